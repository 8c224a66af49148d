package pipeline

import (
	"context"
	"math"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// TestSmokeModelFidelityOnRealData trains the smoke preset's model, as CI's notebooks do, on the
// embedded real Echo traffic (datasets "alexa": 10 voice commands, 80 training images) and checks the
// two properties issue 15 asks of a trained model:
//
//   - brightness and contrast: the pixel mean and standard deviation (on [0, 1]) of the preset's
//     samples are within 0.05 of the real training images'. 0.05 is about a third of the real
//     images' spread and five 8-bit levels; an eps-prediction model of the same size missed it by
//     0.1 on the mean and 0.11 on the spread (vcfp-alexa, see preset.Prediction).
//   - samplers agree: deterministic DDIM-250 lands within a stated FID distance of DDPM-1000, the
//     reference sampler, on PCA features of the real training images: |FID(DDIM-250) -
//     FID(DDPM-1000)| <= 1.5 x the FID floor, the floor being the real test images' FID (what a
//     second draw of real data scores); 1.5 leaves room for backends that round differently.
//
// Measured (ONNX Runtime, 2 cores; -v prints them): DDPM-50 trailing FID 0.116, pixel mean 0.689 and
// std 0.089 against the real 0.682 and 0.096; DDPM-1000 FID 0.253, DDIM-250 0.086, floor 0.217.
func TestSmokeModelFidelityOnRealData(t *testing.T) {
	if testing.Short() {
		t.Skip("trains and samples a smoke model (minutes on 2 cores)")
	}
	p := preset.SmokePreset()
	p.Downstream.Classifiers = nil
	d, err := LoadDefault(p, "alexa", "")
	if err != nil {
		t.Fatal(err)
	}
	b := goBackend(t)
	m, err := Train(context.Background(), b, p, t.TempDir(), d.Train, d.TrainY, ModelInfo{Data: d.Name, Classes: d.Classes}, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	counts := Counts(d.TrainY, len(d.Classes))
	measure := func(s preset.Sample) *Measures {
		t.Helper()
		x, y, err := Sample(context.Background(), m, s, counts, nil)
		if err != nil {
			t.Fatal(err)
		}
		meas, err := Measure(b, p, d, x, y)
		if err != nil {
			t.Fatal(err)
		}
		h := meas.Hist
		t.Logf("%s-%d %s eta %g: FID %.3f (floor %.3f), pixel mean %.4f std %.4f (real %.4f %.4f)",
			s.Sampler, s.Steps, s.Spacing, s.Eta, meas.FID, meas.FIDFloor, h.SynthMean, h.SynthStd, h.RealMean, h.RealStd)
		return meas
	}
	h := measure(p.Sample).Hist
	const pixelTol = 0.05
	if math.Abs(h.SynthMean-h.RealMean) > pixelTol || math.Abs(h.SynthStd-h.RealStd) > pixelTol {
		t.Errorf("smoke samples: pixel mean %.4f std %.4f, real %.4f %.4f: beyond %.2f", h.SynthMean, h.SynthStd, h.RealMean, h.RealStd, pixelTol)
	}
	ref := p.Sample
	ref.Sampler, ref.Steps, ref.Spacing = diffusion.DDPM, 1000, diffusion.Leading
	ddim := p.Sample
	ddim.Sampler, ddim.Steps, ddim.Spacing, ddim.Eta = diffusion.DDIM, 250, diffusion.Leading, 0
	r, g := measure(ref), measure(ddim)
	if tol := 1.5 * r.FIDFloor; math.Abs(g.FID-r.FID) > tol {
		t.Errorf("DDIM-250 FID %.3f, DDPM-1000 FID %.3f: %.3f apart, more than %.3f (1.5 x the floor %.3f)", g.FID, r.FID, math.Abs(g.FID-r.FID), tol, r.FIDFloor)
	}
}
