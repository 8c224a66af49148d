package diffusion

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// posterior returns E[x_0 | x_t] and the matching eps = (x_t - sqrt(abar) x_0) / sqrt(1 - abar) of the
// mixture, both in float64 from the closed form (no division by sqrt(abar)):
// E[x_0 | x_t, k] = mu_k + sqrt(abar) sd_k^2 (x_t - sqrt(abar) mu_k) / (abar sd_k^2 + 1 - abar).
func (m mixture) posterior(ab, x float64) (x0, eps float64) {
	var num, den float64
	for k := range m.w {
		v := ab*m.sd[k]*m.sd[k] + 1 - ab
		d := x - math.Sqrt(ab)*m.mu[k]
		p := m.w[k] * math.Exp(-d*d/(2*v)) / math.Sqrt(v)
		num += p * (m.mu[k] + math.Sqrt(ab)*m.sd[k]*m.sd[k]*d/v)
		den += p
	}
	x0 = num / den
	return x0, (x - math.Sqrt(ab)*x0) / math.Sqrt(1-ab)
}

// network returns the mixture's exact denoiser as a network that predicts eps or v (then wrapped by
// VDenoiser), each computed from the closed-form posterior.
func (m mixture) network(s *Schedule, p Prediction) Denoiser {
	d := func(xt Array, t []int, _ []int) (Array, error) {
		out := NewArray(xt.Shape...)
		for b, step := range t {
			ab := s.AlphasCumprod[step]
			x0, eps := m.posterior(ab, float64(xt.Data[b]))
			y := eps
			if p == PredictV {
				y = math.Sqrt(ab)*eps - math.Sqrt(1-ab)*x0
			}
			out.Data[b] = float32(y)
		}
		return out, nil
	}
	if p == PredictV {
		return s.VDenoiser(d)
	}
	return d
}

// TestVDenoiserSamplesExactMixture samples the two-mode mixture with its exact posterior given as an
// eps network and as a v network (through VDenoiser), with DDPM-50 trailing and clipping as the
// presets sample. Both must land within W1 0.03 of the data (measured 0.024, -v; the sampler's own
// discretisation) and within 0.005 of each other: the v path loses nothing to float32 rounding at the
// noisiest steps, where x_0 = (x_t - sqrt(1 - abar) eps) / sqrt(abar) multiplies eps by 2e4.
func TestVDenoiserSamplesExactMixture(t *testing.T) {
	m := mixture{w: []float64{0.7, 0.3}, mu: []float64{0.6, -0.4}, sd: []float64{0.1, 0.2}}
	s := MustSchedule(Cosine, 1000)
	const n = 4000
	data := m.draw(n, 3)
	got := map[Prediction][]float64{}
	for _, p := range []Prediction{PredictEps, PredictV} {
		cfg := SampleConfig{Sampler: DDPM, Steps: 50, Spacing: Trailing, Variance: FixedLarge,
			ExampleShape: []int{1}, BatchSize: 1000, Seed: 9, ClipDenoised: true}
		x, _, err := s.SampleClasses(context.Background(), m.network(s, p), []int{n}, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range x.Data {
			got[p] = append(got[p], float64(v))
		}
		d := w1(got[p], data)
		t.Logf("%-3s W1 to the data %.4f", p, d)
		if d > 0.03 {
			t.Errorf("%s network with the exact posterior: W1 to the data %.4f, want <= 0.03", p, d)
		}
	}
	if d := w1(got[PredictEps], got[PredictV]); d > 0.005 {
		t.Errorf("eps and v networks of the same posterior sample %.4f apart (W1), want <= 0.005", d)
	}
}

// TestVDenoiserIdentities checks EpsFromV, X0FromV and VTarget against each other at both ends of the
// schedule, and that VDenoiser converts only the mean half of a learned-variance output.
func TestVDenoiserIdentities(t *testing.T) {
	s := MustSchedule(Cosine, 1000)
	rng := rand.New(rand.NewPCG(4, 4))
	steps := []int{0, 500, 999}
	x0, eps := NewArray(3, 2, 2, 1), NewArray(3, 2, 2, 1)
	for i := range x0.Data {
		x0.Data[i], eps.Data[i] = float32(2*rng.Float64()-1), float32(rng.NormFloat64())
	}
	xt := s.QSample(x0, steps, eps)
	v := s.VTarget(x0, eps, steps)
	gotEps, gotX0 := s.EpsFromV(xt, steps, v), s.X0FromV(xt, steps, v)
	for i := range x0.Data {
		// float32 x_t and v: the round trip is exact to a few float32 ulps of values of size <= 4.
		if math.Abs(float64(gotEps.Data[i]-eps.Data[i])) > 2e-6 || math.Abs(float64(gotX0.Data[i]-x0.Data[i])) > 2e-6 {
			t.Fatalf("value %d (step %d): eps %g -> %g, x0 %g -> %g", i, steps[i/4], eps.Data[i], gotEps.Data[i], x0.Data[i], gotX0.Data[i])
		}
	}
	learned := func(xt Array, _ []int, _ []int) (Array, error) {
		out := NewArray(3, 2, 2, 2)
		for p := range len(xt.Data) {
			out.Data[2*p], out.Data[2*p+1] = v.Data[p], 0.25
		}
		return out, nil
	}
	out, err := s.VDenoiser(learned)(xt, steps, nil)
	if err != nil {
		t.Fatal(err)
	}
	for p := range len(xt.Data) {
		if math.Abs(float64(out.Data[2*p]-gotEps.Data[p])) > 1e-6 || out.Data[2*p+1] != 0.25 {
			t.Fatalf("learned-variance output %d: eps %g (want %g), variance value %g (want 0.25)", p, out.Data[2*p], gotEps.Data[p], out.Data[2*p+1])
		}
	}
	bad := func(Array, []int, []int) (Array, error) { return NewArray(3, 2, 2, 3), nil }
	if _, err := s.VDenoiser(bad)(xt, steps, nil); err == nil {
		t.Error("VDenoiser accepted an output with 3 channels for 1")
	}
}
