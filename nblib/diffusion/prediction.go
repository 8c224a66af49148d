package diffusion

import "fmt"

// Prediction names what the network is trained to output.
type Prediction string

const (
	// PredictEps is the noise eps (Ho et al. 2020; the paper's guided-diffusion). x_0 is recovered as
	// (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t), which multiplies the network's error by
	// sqrt(1/abar_t - 1): about 2e4 at the last step of the cosine schedule.
	PredictEps Prediction = "eps"
	// PredictV is v = sqrt(abar_t) eps - sqrt(1 - abar_t) x_0 (Salimans & Ho 2022). x_0 =
	// sqrt(abar_t) x_t - sqrt(1 - abar_t) v is well conditioned at every step, so at the noisiest
	// steps the network predicts the data mean instead of an amplified error.
	PredictV Prediction = "v"
)

// Check returns an error naming the valid predictions when p is not one ("" means PredictEps).
func (p Prediction) Check() error {
	switch p {
	case "", PredictEps, PredictV:
		return nil
	}
	return fmt.Errorf("diffusion: unknown prediction %q (use %q or %q)", p, PredictEps, PredictV)
}

// OrEps returns p, or PredictEps for the zero value.
func (p Prediction) OrEps() Prediction {
	if p == "" {
		return PredictEps
	}
	return p
}

// VTarget returns v = sqrt(abar_t) eps - sqrt(1 - abar_t) x_0 for each example (step t[b]): the
// regression target of a PredictV network.
func (s *Schedule) VTarget(x0, noise Array, t []int) Array {
	return s.combine("VTarget", noise, x0, t, func(k int) (float64, float64) { return s.SqrtAlphasCumprod[k], -s.SqrtOneMinusAlphasCumprod[k] })
}

// EpsFromV returns eps = sqrt(abar_t) v + sqrt(1 - abar_t) x_t, the noise implied by a v prediction.
func (s *Schedule) EpsFromV(xt Array, t []int, v Array) Array {
	return s.combine("EpsFromV", v, xt, t, func(k int) (float64, float64) { return s.SqrtAlphasCumprod[k], s.SqrtOneMinusAlphasCumprod[k] })
}

// VDenoiser turns a network that predicts v into a Denoiser that returns eps (EpsFromV), so that
// every sampler and Guided work unchanged. A learned-variance output (2C channels: v, then the
// variance value) keeps its variance half as it is. The steps passed to it are original steps of s.
//
// The samplers then recover x_0 from this eps. At the noisiest step of the cosine schedule the
// float32 rounding of eps (relative 6e-8 of values up to about 4) is multiplied by 2e4: at most about
// 5e-3 in x_0, under one 8-bit level, where an eps network's whole prediction error is multiplied so.
// TestVDenoiserSamplesExactMixture finds the two paths' samples 0.005 (W1) apart at most.
func (s *Schedule) VDenoiser(d Denoiser) Denoiser {
	return func(xt Array, t []int, labels []int) (Array, error) {
		out, err := d(xt, t, labels)
		if err != nil {
			return out, err
		}
		if len(t) != xt.Batch() {
			return Array{}, fmt.Errorf("diffusion: v denoiser: %d steps for a batch of %d", len(t), xt.Batch())
		}
		channels, err := outputChannels(out, xt)
		if err != nil {
			return Array{}, fmt.Errorf("diffusion: v denoiser: %w", err)
		}
		c, n := xt.Shape[len(xt.Shape)-1], xt.ExampleSize()
		for b, step := range t {
			ca, cn := s.SqrtAlphasCumprod[step], s.SqrtOneMinusAlphasCumprod[step]
			for p := range n / c {
				for k := range c {
					i, o := b*n+p*c+k, (b*(n/c)+p)*channels+k
					out.Data[o] = float32(ca*float64(out.Data[o]) + cn*float64(xt.Data[i]))
				}
			}
		}
		return out, nil
	}
}

// X0FromV returns x_0 = sqrt(abar_t) x_t - sqrt(1 - abar_t) v.
func (s *Schedule) X0FromV(xt Array, t []int, v Array) Array {
	return s.combine("X0FromV", xt, v, t, func(k int) (float64, float64) { return s.SqrtAlphasCumprod[k], -s.SqrtOneMinusAlphasCumprod[k] })
}
