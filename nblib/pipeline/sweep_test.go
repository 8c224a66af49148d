package pipeline

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// TestNearCopyShare checks the near-copy measure on hand-made images: the threshold is the nearest-rank
// 5th percentile of the test images' same-class nearest-training distances (pixel units), and a synthetic
// image is a near copy when it is nearer than that to a training image of its own class only.
func TestNearCopyShare(t *testing.T) {
	img := func(vals ...float32) diffusion.Array { // one value per 1x1x1 image, model range
		a := diffusion.NewArray(len(vals), 1, 1, 1)
		copy(a.Data, vals)
		return a
	}
	d := &Data{Train: img(-1, 1), TrainY: []int{0, 1}}
	// 40 test images of class 0 at -1 + 0.05 i: distances 0.025 i in pixel units (half the model range's).
	var test []float32
	for i := 1; i <= 40; i++ {
		test = append(test, float32(-1+0.05*float64(i)))
	}
	d.Test, d.TestY = img(test...), make([]int, 40)
	thr := nearCopyThreshold(d) // 5% of 40: nearest rank 2, the second smallest distance
	if math.Abs(thr-0.05) > 1e-6 {
		t.Fatalf("threshold %g, want 0.05", thr)
	}
	// Distances: 0.04 (near), 0.06 (not), 0.025 to class 1's image (near), and class 0 at class 1's
	// image: 1.0 to its own class's (not).
	synth := img(-0.92, -0.88, 0.95, 1)
	if share := nearCopyShare(d, synth, []int{0, 0, 1, 0}, thr); share != 0.5 {
		t.Errorf("near-copy share %g, want 0.5", share)
	}
}

// TestSamplerSweepEntries: DDPM-1000, DDPM-50 and four samplers per budget, each within its budget
// of network calls and valid for the preset; the base's clipping and seed are kept.
func TestSamplerSweepEntries(t *testing.T) {
	p := preset.SmokePreset()
	entries := SamplerSweepEntries(p.Sample, SweepCalls)
	if len(entries) != 2+4*len(SweepCalls) {
		t.Fatalf("%d entries", len(entries))
	}
	for i, e := range entries {
		calls := diffusion.NetworkCalls(e.Sample.Sampler, e.Sample.Steps)
		if i >= 2 && calls > SweepCalls[(i-2)/4] {
			t.Errorf("%s: %d calls over the budget %d", e.Label, calls, SweepCalls[(i-2)/4])
		}
		q := p
		q.Sample = e.Sample
		if err := q.Validate(); err != nil || !e.Sample.Clip || e.Sample.Seed != p.Sample.Seed {
			t.Errorf("%s: %+v: %v", e.Label, e.Sample, err)
		}
	}
}

// TestSamplerSweepRuns sweeps a tiny model with two samplers and checks the rows and the table.
func TestSamplerSweepRuns(t *testing.T) {
	p := tiny(preset.SmokePreset(), 2)
	d, err := LoadDefault(p, "ww", "")
	if err != nil {
		t.Fatal(err)
	}
	b := goBackend(t)
	m, err := Train(context.Background(), b, p, t.TempDir(), d.Train, d.TrainY, ModelInfo{Data: d.Name, Classes: d.Classes}, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var entries []SweepEntry
	for _, e := range SamplerSweepEntries(p.Sample, []int{3}) {
		if e.Sample.Sampler == diffusion.Heun && e.Sample.Churn == 0 || e.Sample.Sampler == diffusion.DPMSolver2M && e.Sample.Spacing == diffusion.Trailing {
			entries = append(entries, e)
		}
	}
	rows, err := SamplerSweep(context.Background(), b, p, d, m, entries, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Calls != 3 || rows[1].Calls != 3 {
		t.Fatalf("rows %+v", rows)
	}
	for _, r := range rows {
		if math.IsNaN(r.FID) || r.FIDFloor <= 0 || len(r.SynthAcc) != 1 || len(r.OriginalAcc) != 1 || r.NearCopy < 0 || r.NearCopy > 1 || r.NearCopyThreshold <= 0 {
			t.Errorf("row %+v", r)
		}
	}
	var buf bytes.Buffer
	if err := WriteSweepTable(&buf, rows); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"heun-2 karras", "dpmpp2m-3 trailing", "original data", "near-copy threshold"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
	other := *d
	other.Classes = append([]string{"x"}, d.Classes[1:]...)
	if _, err := SamplerSweep(context.Background(), b, p, &other, m, entries, nil); err == nil {
		t.Error("a model swept on data of other classes: no error")
	}
}
