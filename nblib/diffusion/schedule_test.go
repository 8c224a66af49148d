package diffusion

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Reference values computed independently in plain Python from improved-diffusion's formulas
// (get_named_beta_schedule and the cumulative product of GaussianDiffusion.__init__), printed with
// 10 significant digits.
func TestScheduleValues(t *testing.T) {
	cases := []struct {
		kind  ScheduleKind
		steps int
		t     int
		beta  float64
		abar  float64
	}{
		{Linear, 1000, 0, 1e-4, 0.9999},
		{Linear, 1000, 999, 0.02, 4.035829765e-05},
		{Linear, 1000, 499, 0.01004004004, 0.07858724288},
		{Cosine, 1000, 0, 4.128422482e-05, 0.9999587158},
		{Cosine, 1000, 500, 0.003155691442, 0.4922851724},
		{Cosine, 1000, 999, 0.999, 2.428766907e-09},
		{Linear, 100, 0, 1e-3, 0.999},
	}
	for _, c := range cases {
		s := MustSchedule(c.kind, c.steps)
		// 1e-8 relative: the references have 10 significant digits.
		if !close(s.Betas[c.t], c.beta, 1e-8) || !close(s.AlphasCumprod[c.t], c.abar, 1e-8) {
			t.Errorf("%s/%d t=%d: beta %.10g abar %.10g, want %.10g %.10g", c.kind, c.steps, c.t,
				s.Betas[c.t], s.AlphasCumprod[c.t], c.beta, c.abar)
		}
	}
}

func close(a, b, rel float64) bool { return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b)) }

// TestScheduleInvariants checks identities that hold for every schedule to rounding error (1e-12).
func TestScheduleInvariants(t *testing.T) {
	for _, kind := range []ScheduleKind{Linear, Cosine} {
		s := MustSchedule(kind, 1000)
		for i := range s.Steps() {
			if b := s.Betas[i]; b <= 0 || b > MaxBeta {
				t.Fatalf("%s: beta[%d] = %g outside (0, %g]", kind, i, b, MaxBeta)
			}
			if i > 0 && s.AlphasCumprod[i] >= s.AlphasCumprod[i-1] {
				t.Fatalf("%s: abar not decreasing at %d", kind, i)
			}
			ab := s.AlphasCumprod[i]
			if d := s.SqrtAlphasCumprod[i]*s.SqrtAlphasCumprod[i] + s.SqrtOneMinusAlphasCumprod[i]*s.SqrtOneMinusAlphasCumprod[i]; math.Abs(d-1) > 1e-12 {
				t.Fatalf("%s: abar + (1-abar) = %g at %d", kind, d, i)
			}
			pv := s.Betas[i] * (1 - s.AlphasCumprodPrev[i]) / (1 - ab)
			if math.Abs(pv-s.PosteriorVariance[i]) > 1e-12 {
				t.Fatalf("%s: posterior variance mismatch at %d", kind, i)
			}
		}
	}
	if _, err := NewSchedule("sigmoid", 10); err == nil {
		t.Error("unknown schedule: no error")
	}
	if _, err := NewSchedule(Linear, 0); err == nil {
		t.Error("zero steps: no error")
	}
}

// TestPosteriorIsBayes checks the posterior q(x_{t-1}|x_t,x_0) against Monte Carlo: draw x_0 fixed,
// x_{t-1} ~ q(x_{t-1}|x_0), x_t ~ q(x_t|x_{t-1}); among the pairs, regress x_{t-1} on x_t. For a
// fixed x_0 the posterior mean is linear in x_t with slope coef2 and intercept coef1 x_0, and its
// residual variance is the posterior variance.
func TestPosteriorIsBayes(t *testing.T) {
	s := MustSchedule(Linear, 100)
	rng := rand.New(rand.NewPCG(1, 2))
	const x0, n, step = 0.7, 200000, 40
	var sx, sy, sxx, sxy, syy float64
	for range n {
		prev := math.Sqrt(s.AlphasCumprodPrev[step])*x0 + math.Sqrt(1-s.AlphasCumprodPrev[step])*rng.NormFloat64()
		xt := math.Sqrt(1-s.Betas[step])*prev + math.Sqrt(s.Betas[step])*rng.NormFloat64()
		sx += xt
		sy += prev
		sxx += xt * xt
		sxy += xt * prev
		syy += prev * prev
	}
	mx, my := sx/n, sy/n
	cxx, cxy, cyy := sxx/n-mx*mx, sxy/n-mx*my, syy/n-my*my
	slope := cxy / cxx
	resid := cyy - slope*cxy
	intercept := my - slope*mx
	// Standard errors of ordinary least squares; 5 of them bound a false alarm below 1e-6.
	seSlope := math.Sqrt(resid / (n * cxx))
	seIntercept := math.Sqrt(resid * (1.0/n + mx*mx/(n*cxx)))
	seResid := resid * math.Sqrt(2.0/n)
	checks := []struct {
		name          string
		got, want, se float64
	}{
		{"slope (coef2)", slope, s.PosteriorMeanCoef2[step], seSlope},
		{"intercept (coef1 x0)", intercept, s.PosteriorMeanCoef1[step] * x0, seIntercept},
		{"residual variance", resid, s.PosteriorVariance[step], seResid},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 5*c.se {
			t.Errorf("%s: %g, want %g (se %g)", c.name, c.got, c.want, c.se)
		}
	}
}

func TestQSampleAndInverse(t *testing.T) {
	s := MustSchedule(Cosine, 1000)
	rng := rand.New(rand.NewPCG(3, 4))
	x0 := NewArray(3, 2, 2)
	x0.FillNormal(rng)
	ex := s.MakeTrainingExample(x0, []int{0, 1, 2}, rng, -1, 0)
	back := s.PredictX0FromEps(ex.Noisy, ex.Steps, ex.Noise)
	for i := range x0.Data {
		// float32 storage; at t near T, 1/sqrt(abar) amplifies rounding, hence a relative-to-step bound.
		tol := 1e-5 * s.SqrtRecipAlphasCumprod[ex.Steps[i/4]] * 10
		if math.Abs(float64(back.Data[i]-x0.Data[i])) > tol {
			t.Errorf("value %d: recovered %v, want %v (t=%d)", i, back.Data[i], x0.Data[i], ex.Steps[i/4])
		}
	}
	if EpsMSE(ex.Noise, ex.Noise) != 0 {
		t.Error("EpsMSE of identical arrays is not 0")
	}
}

func TestLabelDropout(t *testing.T) {
	s := MustSchedule(Linear, 10)
	rng := rand.New(rand.NewPCG(5, 6))
	const n = 20000
	labels := make([]int, n)
	ex := s.MakeTrainingExample(NewArray(n, 1), labels, rng, 9, 0.1)
	dropped := 0
	for _, l := range ex.Labels {
		if l == 9 {
			dropped++
		}
	}
	// Binomial(20000, 0.1): sd 42; 5 sd = 210.
	if math.Abs(float64(dropped)-0.1*n) > 210 {
		t.Errorf("dropped %d labels, want about %d", dropped, int(0.1*n))
	}
}
