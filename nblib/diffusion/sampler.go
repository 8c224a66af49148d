package diffusion

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
)

// Denoiser predicts the noise eps in x_t for every example of a batch. t holds each example's step
// in the original T-step schedule (samplers that skip steps still pass original steps); labels holds
// each example's class (nil for an unconditional model). It returns an Array shaped like xt.
type Denoiser func(xt Array, t []int, labels []int) (Array, error)

// SamplerKind names a reverse-process sampler.
type SamplerKind string

const (
	// DDPM is ancestral sampling (Ho et al. 2020): x_{t-1} ~ N(mu_theta(x_t), sigma_t^2 I).
	DDPM SamplerKind = "ddpm"
	// DDIM is the sampler of Song et al. (2021) with a chosen number of steps and eta (eta = 0:
	// deterministic; eta = 1: DDPM-like noise).
	DDIM SamplerKind = "ddim"
	// Heun is the second-order sampler of Karras et al. (2022, "EDM", Algorithms 1 and 2): Heun's
	// method on the probability-flow ODE in y = x_t / sqrt(abar_t), two denoiser calls per step and one
	// for the last; SampleConfig.Churn > 0 adds EDM's stochastic churn.
	Heun SamplerKind = "heun"
	// DPMSolver2M is DPM-Solver++(2M) (Lu et al. 2022): a second-order multistep solver of the same
	// ODE in log-SNR with x_0 predictions, one denoiser call per step.
	DPMSolver2M SamplerKind = "dpmpp2m"
)

// Samplers lists every sampler.
func Samplers() []SamplerKind { return []SamplerKind{DDPM, DDIM, Heun, DPMSolver2M} }

// Check returns an error naming the samplers when k is not one ("" is DDPM).
func (k SamplerKind) Check() error {
	switch k {
	case "", DDPM, DDIM, Heun, DPMSolver2M:
		return nil
	}
	return fmt.Errorf("diffusion: unknown sampler %q (use %q, %q, %q or %q)", k, DDPM, DDIM, Heun, DPMSolver2M)
}

// VarianceKind selects the reverse-process variance of the DDPM sampler.
type VarianceKind string

const (
	// FixedSmall uses the posterior variance beta_t (1 - abar_{t-1}) / (1 - abar_t).
	FixedSmall VarianceKind = "fixedsmall"
	// FixedLarge uses beta_t (with step 0 taking the posterior variance of step 1), improved-diffusion's
	// default for models without learned variance.
	FixedLarge VarianceKind = "fixedlarge"
	// Learned reads the variance from the model: the denoiser returns 2C channels (channels last),
	// eps in the first C and v in [-1, 1] in the last C, and DDPM uses
	// Schedule.LearnedLogVariance(t, v). DDIM uses only eps.
	Learned VarianceKind = "learned"
)

// SampleConfig configures a sampling run. The zero value of each optional field has a stated default.
type SampleConfig struct {
	Sampler      SamplerKind  // DDPM (default), DDIM, Heun or DPMSolver2M
	Steps        int          // number of reverse steps; 0 means T. Steps < T skips evenly spaced steps
	Eta          float64      // DDIM noise scale (0: deterministic)
	Churn        float64      // Heun's S_churn (0: deterministic); gamma = min(Churn/Steps, sqrt(2) - 1)
	Variance     VarianceKind // DDPM variance; default FixedSmall
	ExampleShape []int        // shape of one example, e.g. [H, W, C]
	BatchSize    int          // examples per denoiser call; 0 means 64
	Seed         uint64       // the same seed, counts and batch size give the same samples
	ClipDenoised bool         // clamp the predicted x_0 to [-1, 1] at each step (images in [-1, 1])
	// Spacing chooses which Steps of the T-step schedule are visited when Steps < T; default Leading
	// (Karras for Heun, which accepts no other).
	Spacing Spacing
	// Progress, when set, is called after each denoiser call with the calls done and the total.
	Progress func(done, total int)
}

func (c SampleConfig) withDefaults(T int) (SampleConfig, error) {
	if c.Sampler == "" {
		c.Sampler = DDPM
	}
	if err := c.Sampler.Check(); err != nil {
		return c, err
	}
	if math.IsNaN(c.Churn) || math.IsInf(c.Churn, 0) || c.Churn < 0 {
		return c, fmt.Errorf("diffusion: churn must be a finite number >= 0, got %g", c.Churn)
	}
	if c.Churn > 0 && c.Sampler != Heun {
		return c, fmt.Errorf("diffusion: churn %g applies to the %q sampler only, not %q (set it to 0)", c.Churn, Heun, c.Sampler)
	}
	if c.Variance == "" {
		c.Variance = FixedSmall
	}
	if c.Variance != FixedSmall && c.Variance != FixedLarge && c.Variance != Learned {
		return c, fmt.Errorf("diffusion: unknown variance %q (use %q, %q or %q)", c.Variance, FixedSmall, FixedLarge, Learned)
	}
	if c.Steps == 0 {
		c.Steps = T
	}
	if c.Steps < 1 || c.Steps > T {
		return c, fmt.Errorf("diffusion: %d sampling steps requested, the schedule has %d (use 1..%d)", c.Steps, T, T)
	}
	if c.BatchSize == 0 {
		c.BatchSize = 64
	}
	if c.BatchSize < 0 || len(c.ExampleShape) == 0 {
		return c, fmt.Errorf("diffusion: sample config needs a positive batch size and an example shape, got %d and %v", c.BatchSize, c.ExampleShape)
	}
	if c.Spacing == "" && c.Sampler == Heun {
		c.Spacing = Karras
	}
	if c.Spacing == "" {
		c.Spacing = Leading
	}
	if c.Sampler == Heun && c.Spacing != Karras {
		return c, fmt.Errorf("diffusion: the %q sampler needs spacing %q, got %q: its first trapezoid step from sigma_{T-1} (about 2e4 on the cosine schedule) diverges", Heun, Karras, c.Spacing)
	}
	if err := c.Spacing.Check(); err != nil {
		return c, err
	}
	if c.Eta < 0 {
		return c, fmt.Errorf("diffusion: DDIM eta must be >= 0, got %g", c.Eta)
	}
	return c, nil
}

// Spacing names a rule for choosing n of the T steps of a schedule.
type Spacing string

const (
	// Leading is SpacedSteps: floor(i T/n), i = 0..n-1, improved-diffusion's "ddimN" (first reverse
	// step T - T/n, last 0).
	Leading Spacing = "leading"
	// Trailing is TrailingSteps: round(T - i T/n) - 1 reversed (first reverse step T - 1, where the
	// signal-to-noise ratio is nearly 0 and matches the pure-noise start; last T/n - 1), the
	// "trailing" spacing of Lin et al. (2024).
	Trailing Spacing = "trailing"
	// Linspace is LinspaceSteps: round(i (T-1)/(n-1)), from 0 to T - 1.
	Linspace Spacing = "linspace"
	// Karras is Schedule.KarrasSteps: the EDM time steps (Karras et al. 2022, rho = 7) between the
	// noise levels KarrasSigmaMax and sigma_0, rounded to the schedule's steps. It needs the schedule,
	// so Spacing.Steps gives Leading's steps for it; the samplers call Schedule.SpacedSteps.
	Karras Spacing = "karras"
)

// Spacings lists every spacing.
func Spacings() []Spacing { return []Spacing{Leading, Trailing, Linspace, Karras} }

// SpacedSteps returns the n steps of s chosen by sp, increasing: sp.Steps for the spacings that need
// only T, KarrasSteps for Karras.
func (s *Schedule) SpacedSteps(sp Spacing, n int) []int {
	if sp == Karras {
		return s.KarrasSteps(n)
	}
	return sp.Steps(s.Steps(), n)
}

// Check returns an error naming the spacings when sp is not one ("" is Leading).
func (sp Spacing) Check() error {
	switch sp {
	case "", Leading, Trailing, Linspace, Karras:
		return nil
	}
	return fmt.Errorf("diffusion: unknown spacing %q (use %q, %q, %q or %q)", sp, Leading, Trailing, Linspace, Karras)
}

// Steps returns the n steps of a T-step schedule chosen by the spacing, increasing.
func (sp Spacing) Steps(T, n int) []int {
	switch sp {
	case Trailing:
		return TrailingSteps(T, n)
	case Linspace:
		return LinspaceSteps(T, n)
	}
	return SpacedSteps(T, n)
}

// TrailingSteps returns round(T - i T/n) - 1 for i = n-1 down to 0: for T = 1000, n = 50 these are
// 19, 39, ..., 999.
func TrailingSteps(T, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[n-1-i] = int(math.Round(float64(T)-float64(i)*float64(T)/float64(n))) - 1
	}
	return out
}

// LinspaceSteps returns round(i (T-1)/(n-1)) for i = 0..n-1, from 0 to T - 1; n = 1 gives T - 1
// (the one step must start from noise).
func LinspaceSteps(T, n int) []int {
	if n == 1 {
		return []int{T - 1}
	}
	out := make([]int, n)
	for i := range out {
		out[i] = int(math.Round(float64(i) * float64(T-1) / float64(n-1)))
	}
	return out
}

// SpacedSteps returns n steps of a T-step schedule, evenly spaced and increasing: floor(i*T/n) for
// i = 0..n-1. For T = 1000 and n = 50 these are 0, 20, ..., 980, as improved-diffusion's "ddim50".
func SpacedSteps(T, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i * T / n
	}
	return out
}

// Respace returns the schedule restricted to the given increasing steps, with betas recomputed so
// that its cumulative products equal the original abar at those steps:
// beta'_i = 1 - abar[steps[i]] / abar[steps[i-1]].
func (s *Schedule) Respace(steps []int) *Schedule {
	betas := make([]float64, len(steps))
	prev := 1.0
	for i, t := range steps {
		betas[i] = 1 - s.AlphasCumprod[t]/prev
		prev = s.AlphasCumprod[t]
	}
	return scheduleFromBetas(s.Kind, betas)
}

// SampleClasses draws counts[c] examples of class c for every c (a balanced dataset is counts all
// equal) and returns them in class order with their labels. labels passed to d are the classes; pass
// counts of length 1 and use the labels only if the model is unconditional.
func (s *Schedule) SampleClasses(ctx context.Context, d Denoiser, counts []int, cfg SampleConfig) (Array, []int, error) {
	var labels []int
	for c, n := range counts {
		if n < 0 {
			return Array{}, nil, fmt.Errorf("diffusion: negative count %d for class %d", n, c)
		}
		for range n {
			labels = append(labels, c)
		}
	}
	return s.SampleLabels(ctx, d, labels, cfg)
}

// SampleLabels draws one example per entry of labels, in batches of cfg.BatchSize. Batch k uses its
// own random stream seeded by (cfg.Seed, k), so results are reproducible.
func (s *Schedule) SampleLabels(ctx context.Context, d Denoiser, labels []int, cfg SampleConfig) (Array, []int, error) {
	cfg, err := cfg.withDefaults(s.Steps())
	if err != nil {
		return Array{}, nil, err
	}
	if len(labels) == 0 {
		return Array{}, nil, fmt.Errorf("diffusion: nothing to sample (all counts are zero)")
	}
	out := NewArray(append([]int{len(labels)}, cfg.ExampleShape...)...)
	steps := s.SpacedSteps(cfg.Spacing, cfg.Steps)
	rs := s.Respace(steps)
	numBatches := (len(labels) + cfg.BatchSize - 1) / cfg.BatchSize
	total, done := numBatches*NetworkCalls(cfg.Sampler, len(steps)), 0
	progress := func() {
		done++
		if cfg.Progress != nil {
			cfg.Progress(done, total)
		}
	}
	n := out.ExampleSize()
	for k := range numBatches {
		lo, hi := k*cfg.BatchSize, min((k+1)*cfg.BatchSize, len(labels))
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(k)))
		var x Array
		if cfg.Sampler == Heun || cfg.Sampler == DPMSolver2M {
			x, err = s.solve(ctx, d, steps, labels[lo:hi], cfg, rng, progress)
		} else {
			x, err = rs.reverse(ctx, d, steps, labels[lo:hi], cfg, rng, progress)
		}
		if err != nil {
			return Array{}, nil, err
		}
		copy(out.Data[lo*n:hi*n], x.Data)
	}
	return out, append([]int(nil), labels...), nil
}

// reverse runs the reverse process of the respaced schedule rs (whose step i is original step
// orig[i]) for one batch.
func (rs *Schedule) reverse(ctx context.Context, d Denoiser, orig []int, labels []int, cfg SampleConfig, rng *rand.Rand, progress func()) (Array, error) {
	x := NewArray(append([]int{len(labels)}, cfg.ExampleShape...)...)
	x.FillNormal(rng)
	noise := NewArray(x.Shape...)
	for i := len(orig) - 1; i >= 0; i-- {
		if err := ctx.Err(); err != nil {
			return Array{}, err
		}
		tOrig, tLocal := fill(len(labels), orig[i]), fill(len(labels), i)
		out, err := d(x, tOrig, labels)
		if err != nil {
			return Array{}, fmt.Errorf("diffusion: denoiser at step %d: %w", orig[i], err)
		}
		eps, v, err := splitPrediction(out, x, cfg.Variance == Learned)
		if err != nil {
			return Array{}, err
		}
		x0 := rs.PredictX0FromEps(x, tLocal, eps)
		if cfg.ClipDenoised {
			clip(x0)
		}
		noise.FillNormal(rng)
		if cfg.Sampler == DDIM {
			x = rs.ddimStep(x0, x, i, noise, cfg.Eta)
		} else {
			x = rs.ddpmStep(x0, x, tLocal, i, noise, cfg.Variance, v)
		}
		progress()
	}
	return x, nil
}

// splitPrediction checks the denoiser output against x and, for a learned variance, splits the
// last axis into eps and v. A learned-variance model's output (2C channels) given to a fixed-variance
// sampler, or the reverse, is an error that names both shapes and the setting to change.
func splitPrediction(out, x Array, learned bool) (eps, v Array, err error) {
	last := len(x.Shape) - 1
	if !learned {
		if !out.SameShape(x) {
			return Array{}, Array{}, fmt.Errorf("diffusion: denoiser returned shape %v for input %v; want %v (a model with learned variance returns 2C channels: sample it with Variance %q)",
				out.Shape, x.Shape, x.Shape, Learned)
		}
		return out, Array{}, nil
	}
	want := append(append([]int(nil), x.Shape[:last]...), 2*x.Shape[last])
	if !out.SameShape(Array{Shape: want}) {
		return Array{}, Array{}, fmt.Errorf("diffusion: learned-variance denoiser returned shape %v for input %v, want %v (eps and v: 2C channels; a fixed-variance model needs Variance %q or %q)",
			out.Shape, x.Shape, want, FixedSmall, FixedLarge)
	}
	c := x.Shape[last]
	eps, v = NewArray(x.Shape...), NewArray(x.Shape...)
	for p := range len(x.Data) / c {
		copy(eps.Data[p*c:(p+1)*c], out.Data[2*p*c:(2*p+1)*c])
		copy(v.Data[p*c:(p+1)*c], out.Data[(2*p+1)*c:(2*p+2)*c])
	}
	return eps, v, nil
}

// ddpmStep samples x_{t-1} = mu(x_0, x_t) + sigma_t z, with no noise at the last step. v holds the
// learned variance values when variance is Learned.
func (rs *Schedule) ddpmStep(x0, xt Array, t []int, i int, z Array, variance VarianceKind, v Array) Array {
	mean := rs.PosteriorMean(x0, xt, t)
	if i == 0 {
		return mean
	}
	logVar := rs.PosteriorLogVarianceClipped[i]
	if variance == FixedLarge {
		logVar = math.Log(rs.Betas[i])
	}
	sigma := float32(math.Exp(0.5 * logVar))
	for j := range mean.Data {
		if variance == Learned {
			sigma = float32(math.Exp(0.5 * rs.LearnedLogVariance(i, float64(v.Data[j]))))
		}
		mean.Data[j] += sigma * z.Data[j]
	}
	return mean
}

// ddimStep computes x_{t-1} = sqrt(abar_prev) x_0 + sqrt(1 - abar_prev - sigma^2) eps + sigma z with
// sigma = eta sqrt((1 - abar_prev)/(1 - abar_t)) sqrt(1 - abar_t/abar_prev). eps is re-derived from
// the (possibly clipped) x_0 and x_t, eps = (x_t / sqrt(abar_t) - x_0) / sqrt(1/abar_t - 1), as
// improved-diffusion's _predict_eps_from_xstart: with a clamped x_0 the raw eps would point x_{t-1}
// back towards the unclamped prediction. Without clipping the two eps agree to rounding.
func (rs *Schedule) ddimStep(x0, xt Array, i int, z Array, eta float64) Array {
	ab, abPrev := rs.AlphasCumprod[i], rs.AlphasCumprodPrev[i]
	sigma := eta * math.Sqrt((1-abPrev)/(1-ab)) * math.Sqrt(1-ab/abPrev)
	cx0, ceps := math.Sqrt(abPrev), math.Sqrt(math.Max(0, 1-abPrev-sigma*sigma))
	rA, rM1 := rs.SqrtRecipAlphasCumprod[i], rs.SqrtRecipM1AlphasCumprod[i]
	out := NewArray(x0.Shape...)
	for j := range out.Data {
		x0j := float64(x0.Data[j])
		eps := (rA*float64(xt.Data[j]) - x0j) / rM1
		v := cx0*x0j + ceps*eps
		if i > 0 {
			v += sigma * float64(z.Data[j])
		}
		out.Data[j] = float32(v)
	}
	return out
}

func fill(n, v int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// Guided wraps a class-conditional denoiser trained with label dropout into a classifier-free guided
// one: eps = eps(x, t, null) + scale (eps(x, t, y) - eps(x, t, null)). scale = 1 is the plain
// conditional model; larger values trade diversity for class fidelity. Each call evaluates d once on a
// doubled batch. A learned-variance model (output with twice the input's channels, eps then v per
// position) is guided on its eps half, and its v comes from the conditional half unchanged, as
// guided-diffusion does; any other output shape is an error naming both shapes.
func Guided(d Denoiser, scale float64, nullLabel int) Denoiser {
	return func(xt Array, t []int, labels []int) (Array, error) {
		if nullLabel < 0 {
			return Array{}, fmt.Errorf("diffusion: guided denoiser: null label %d: guidance needs a model trained with a null class (label dropout); use scale 1 or train with NullClass", nullLabel)
		}
		b := xt.Batch()
		if len(t) != b || len(labels) != b {
			return Array{}, fmt.Errorf("diffusion: guided denoiser: %d steps and %d labels for a batch of %d", len(t), len(labels), b)
		}
		both := NewArray(append([]int{2 * b}, xt.Shape[1:]...)...)
		copy(both.Data, xt.Data)
		copy(both.Data[len(xt.Data):], xt.Data)
		tt := append(append([]int(nil), t...), t...)
		ll := append(append([]int(nil), labels...), fill(b, nullLabel)...)
		out, err := d(both, tt, ll)
		if err != nil {
			return Array{}, err
		}
		channels, err := outputChannels(out, both)
		if err != nil {
			return Array{}, fmt.Errorf("diffusion: guided denoiser, doubled batch: %w", err)
		}
		return guide(out, xt, channels, scale), nil
	}
}

// outputChannels returns the channels per position of a denoiser's output for the input in: the
// input's C (the mean prediction only) or 2C (and the learned variance value); any other shape is an
// error naming both.
func outputChannels(out, in Array) (int, error) {
	last := len(in.Shape) - 1
	c := in.Shape[last]
	if out.SameShape(in) {
		return c, nil
	}
	learned := append(append([]int(nil), in.Shape[:last]...), 2*c)
	if out.SameShape(Array{Shape: learned}) {
		return 2 * c, nil
	}
	return 0, fmt.Errorf("the model returned shape %v for input %v, want %v (eps or v) or %v (and the learned variance)",
		out.Shape, in.Shape, in.Shape, learned)
}

// guide combines the conditional (first half) and unconditional (second half) predictions of out,
// which has channels values per position of xt: eps values are guided, v values (channels = 2C)
// are taken from the conditional half.
func guide(out, xt Array, channels int, scale float64) Array {
	c := xt.Shape[len(xt.Shape)-1]
	shape := append(append([]int(nil), xt.Shape[:len(xt.Shape)-1]...), channels)
	res := NewArray(shape...)
	n := len(res.Data)
	for i := range res.Data {
		cond := float64(out.Data[i])
		if i%channels >= c { // learned-variance value: conditional half as is
			res.Data[i] = float32(cond)
			continue
		}
		u := float64(out.Data[n+i])
		res.Data[i] = float32(u + scale*(cond-u))
	}
	return res
}
