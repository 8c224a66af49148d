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
		if math.IsNaN(r.FID) || r.FIDFloor <= 0 || len(r.SynthAcc) != 1 || len(r.OriginalAcc) != 1 || !(r.NearCopy.Estimate >= 0 && r.NearCopy.Estimate <= 1) || !(r.MembershipAUC.Estimate >= 0 && r.MembershipAUC.Estimate <= 1) {
			t.Errorf("row %+v", r)
		}
	}
	var buf bytes.Buffer
	if err := WriteSweepTable(&buf, rows); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"heun-2 karras", "dpmpp2m-3 trailing", "original data", "near copies (fresh: 0.05)", "membership AUC (no leak: 0.5)"} {
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
