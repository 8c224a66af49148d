package diffusion

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// NetworkCalls returns the denoiser calls one batch of a sampler takes with n steps: n for DDPM, DDIM
// and DPM-Solver++(2M); 2n - 1 for Heun (two per step, one for the last step, which ends at noise 0
// and takes the plain Euler step, as Karras et al.'s Algorithm 1).
func NetworkCalls(sampler SamplerKind, n int) int {
	if sampler == Heun && n > 0 {
		return 2*n - 1
	}
	return n
}

// StepsForCalls returns the most steps whose NetworkCalls is at most calls (at least 1): calls for
// DDPM, DDIM and DPM-Solver++(2M), (calls + 1) / 2 for Heun.
func StepsForCalls(sampler SamplerKind, calls int) int {
	if sampler == Heun {
		return max(1, (calls+1)/2)
	}
	return max(1, calls)
}

// KarrasSigmaMax is the largest noise level of Karras spacing, EDM's sigma_max: at sigma = 80 the
// data's share of x_t's variance is below 1/6400 for data in [-1, 1], so x_t ~ N(0, I) is its
// distribution to that accuracy.
const KarrasSigmaMax = 80.0

// KarrasRho is EDM's rho: the steps are evenly spaced in sigma^(1/rho).
const KarrasRho = 7.0

// KarrasSteps returns n increasing steps of s: the EDM noise levels
// sigma_i = (smax^(1/rho) + i/(n-1) (smin^(1/rho) - smax^(1/rho)))^rho, i = 0..n-1, with
// smax = min(KarrasSigmaMax, sigma_{T-1}) and smin = sigma_0 (sigma_t = sqrt(1/abar_t - 1)), each
// rounded to the step of nearest log sigma; steps that round onto a smaller one's are moved up by one
// so that all n differ. n = 1 gives the step of smax. It panics unless 1 <= n <= T (the sampler
// checks Steps first).
func (s *Schedule) KarrasSteps(n int) []int {
	T := s.Steps()
	if n < 1 || n > T {
		panic(fmt.Sprintf("diffusion: KarrasSteps: %d steps of a %d-step schedule", n, T))
	}
	smax, smin := math.Min(KarrasSigmaMax, s.veSigma(T-1)), s.veSigma(0)
	out := make([]int, n)
	for i := range n {
		f := 0.0
		if n > 1 {
			f = float64(i) / float64(n-1)
		}
		sigma := math.Pow(math.Pow(smax, 1/KarrasRho)+f*(math.Pow(smin, 1/KarrasRho)-math.Pow(smax, 1/KarrasRho)), KarrasRho)
		out[n-1-i] = s.roundSigmaUp(0, sigma)
	}
	for i := 1; i < n; i++ {
		out[i] = max(out[i], out[i-1]+1)
	}
	for i := n - 1; i >= 0 && out[i] > T-1-(n-1-i); i-- { // pushed past T-1: pull back down
		out[i] = T - 1 - (n - 1 - i)
	}
	return out
}

// veSigma returns sigma_t = sqrt((1 - abar_t) / abar_t), the noise level of step t in the variable
// y = x_t / sqrt(abar_t) = x_0 + sigma_t eps.
func (s *Schedule) veSigma(t int) float64 { return s.SqrtRecipM1AlphasCumprod[t] }

// roundSigmaUp returns the step of [from, T) whose sigma is nearest to sigma in log scale: EDM's
// round_sigma for models trained on discrete steps, kept at or above the current step so that churn
// never removes noise.
func (s *Schedule) roundSigmaUp(from int, sigma float64) int {
	best, bestD := from, math.Inf(1)
	for t := from; t < s.Steps(); t++ {
		d := math.Abs(math.Log(s.veSigma(t)) - math.Log(sigma))
		if d < bestD {
			best, bestD = t, d
		}
	}
	return best
}

// solverState is one batch of an ODE solver: the state in float64 and what each call needs.
type solverState struct {
	s      *Schedule
	d      Denoiser
	labels []int
	cfg    SampleConfig
	shape  []int
	call   func() // progress after each denoiser call
}

// predictX0 calls the denoiser at step t on the VP point x (float64, x_t) and returns the x_0 estimate
// (clipped to [-1, 1] when cfg.ClipDenoised) in float64.
func (st *solverState) predictX0(ctx context.Context, x []float64, t int) ([]float64, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in := NewArray(st.shape...)
	for j, v := range x {
		in.Data[j] = float32(v)
	}
	out, err := st.d(in, fill(len(st.labels), t), st.labels)
	if err != nil {
		return nil, fmt.Errorf("diffusion: denoiser at step %d: %w", t, err)
	}
	eps, _, err := splitPrediction(out, in, st.cfg.Variance == Learned)
	if err != nil {
		return nil, err
	}
	st.call()
	rA, rM1 := st.s.SqrtRecipAlphasCumprod[t], st.s.SqrtRecipM1AlphasCumprod[t]
	x0 := make([]float64, len(x))
	for j := range x0 {
		x0[j] = rA*float64(in.Data[j]) - rM1*float64(eps.Data[j])
		if st.cfg.ClipDenoised {
			x0[j] = math.Max(-1, math.Min(1, x0[j]))
		}
	}
	return x0, nil
}

// slope returns dy/dsigma = (y - D(y; sigma)) / sigma at step t (sigma = sigma_t), the eps the
// (clipped) x_0 implies, for the VE variable y = x_t / sqrt(abar_t).
func (st *solverState) slope(ctx context.Context, y []float64, t int) ([]float64, error) {
	ca := st.s.SqrtAlphasCumprod[t]
	x := make([]float64, len(y))
	for j, v := range y {
		x[j] = ca * v
	}
	x0, err := st.predictX0(ctx, x, t)
	if err != nil {
		return nil, err
	}
	sigma := st.s.veSigma(t)
	for j := range x0 {
		x0[j] = (y[j] - x0[j]) / sigma
	}
	return x0, nil
}

// startNoise draws the VP start x ~ N(0, I) from rng, as DDPM and DDIM do.
func startNoise(n int, rng *rand.Rand) []float64 {
	x := make([]float64, n)
	for j := range x {
		x[j] = float64(float32(rng.NormFloat64()))
	}
	return x
}

// heun is Karras et al.'s (2022) second-order sampler (Algorithm 2; Algorithm 1 when churn is 0) on
// the steps orig (increasing) of the discrete schedule, in y = x_t / sqrt(abar_t).
func (st *solverState) heun(ctx context.Context, orig []int, rng *rand.Rand) ([]float64, error) {
	n := len(orig)
	top := orig[n-1]
	x := startNoise(exampleSize(st.shape), rng)
	y := make([]float64, len(x))
	for j, v := range x {
		y[j] = v / st.s.SqrtAlphasCumprod[top]
	}
	gamma := math.Min(st.cfg.Churn/float64(n), math.Sqrt2-1)
	for i := n - 1; i >= 0; i-- {
		t := orig[i]
		if gamma > 0 {
			t = st.churn(y, t, gamma, rng)
		}
		sigma, next := st.s.veSigma(t), 0.0
		if i > 0 {
			next = st.s.veSigma(orig[i-1])
		}
		d, err := st.slope(ctx, y, t)
		if err != nil {
			return nil, err
		}
		euler := make([]float64, len(y))
		for j := range y {
			euler[j] = y[j] + (next-sigma)*d[j]
		}
		if i == 0 {
			y = euler
			break
		}
		d2, err := st.slope(ctx, euler, orig[i-1])
		if err != nil {
			return nil, err
		}
		for j := range y {
			y[j] += (next - sigma) * 0.5 * (d[j] + d2[j])
		}
	}
	return y, nil
}

// churn raises the noise of y from step t to the step nearest sigma_t (1 + gamma) (at or above t),
// adding N(0, sigma_hat^2 - sigma_t^2) noise, and returns that step.
func (st *solverState) churn(y []float64, t int, gamma float64, rng *rand.Rand) int {
	hat := st.s.roundSigmaUp(t, st.s.veSigma(t)*(1+gamma))
	sd := math.Sqrt(math.Max(0, st.s.veSigma(hat)*st.s.veSigma(hat)-st.s.veSigma(t)*st.s.veSigma(t)))
	for j := range y {
		y[j] += sd * float64(float32(rng.NormFloat64()))
	}
	return hat
}

// dpmpp2m is DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2) on the steps orig (increasing) in the VP
// variable x_t, with x_0 predictions; the first step and the last (to abar = 1) are first order.
func (st *solverState) dpmpp2m(ctx context.Context, orig []int, rng *rand.Rand) ([]float64, error) {
	n := len(orig)
	x := startNoise(exampleSize(st.shape), rng)
	lambda := func(t int) float64 { return math.Log(st.s.SqrtAlphasCumprod[t] / st.s.SqrtOneMinusAlphasCumprod[t]) }
	var prevX0 []float64
	var prevH float64
	for i := n - 1; i >= 0; i-- {
		t := orig[i]
		x0, err := st.predictX0(ctx, x, t)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			return x0, nil
		}
		next := orig[i-1]
		h := lambda(next) - lambda(t)
		cx := st.s.SqrtOneMinusAlphasCumprod[next] / st.s.SqrtOneMinusAlphasCumprod[t]
		cd := -st.s.SqrtAlphasCumprod[next] * math.Expm1(-h)
		a, b := 1.0, 0.0 // D = a x0 + b prevX0
		if prevX0 != nil {
			r := prevH / h
			a, b = 1+1/(2*r), -1/(2*r)
		}
		for j := range x {
			dj := a * x0[j]
			if prevX0 != nil {
				dj += b * prevX0[j]
			}
			x[j] = cx*x[j] + cd*dj
		}
		prevX0, prevH = x0, h
	}
	return x, nil
}

func exampleSize(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// solve runs an ODE sampler (Heun or DPM-Solver++(2M)) for one batch of labels and returns it.
func (s *Schedule) solve(ctx context.Context, d Denoiser, orig []int, labels []int, cfg SampleConfig, rng *rand.Rand, progress func()) (Array, error) {
	st := &solverState{s: s, d: d, labels: labels, cfg: cfg, shape: append([]int{len(labels)}, cfg.ExampleShape...), call: progress}
	var y []float64
	var err error
	if cfg.Sampler == Heun {
		y, err = st.heun(ctx, orig, rng)
	} else {
		y, err = st.dpmpp2m(ctx, orig, rng)
	}
	if err != nil {
		return Array{}, err
	}
	out := NewArray(st.shape...)
	for j, v := range y {
		out.Data[j] = float32(v)
	}
	return out, nil
}
