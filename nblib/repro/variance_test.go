package repro

import (
	"io"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/preset"
)

// TestModelVarianceTinyModels trains two tiny models of WW with different seeds through the experiment
// cache and checks what the variance table is made of: one row per model with its within-model
// intervals, a valid between-model interval, and models that differ (the seed reaches the weights).
func TestModelVarianceTinyModels(t *testing.T) {
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	p := preset.SmokePreset()
	p.Net.Size, p.Net.ModelChannels, p.Net.NormGroups = 8, 8, 4
	p.Net.ChannelMult, p.Net.NumResBlocks, p.Net.AttentionResolutions, p.Net.NumHeads = []int{1, 2}, 1, nil, 1
	p.Train.Steps, p.Train.BatchSize, p.Train.DiffusionSteps = 3, 4, 50
	p.Sample.Steps = 3
	p.Measure.PCAComponents = 4
	p.Downstream.Classifiers, p.Downstream.Seeds = []string{"nb"}, []uint64{1}
	c := VarianceConfig{Preset: p, Datasets: []string{"ww"}, Seeds: []uint64{1, 2}}
	r, err := ModelVariance(c, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 1 || len(r.Rows[0].Models) != 2 || r.Classifier != "nb" {
		t.Fatalf("result %+v", r)
	}
	a, b := r.Rows[0].Models[0], r.Rows[0].Models[1]
	if a.FIDExcess.Estimate == b.FIDExcess.Estimate {
		t.Errorf("two seeds gave the same FID excess %v: the seed does not reach the model", a.FIDExcess)
	}
	for _, iv := range []struct {
		name string
		ok   bool
	}{{"within FID excess", a.FIDExcess.Valid()}, {"within synth accuracy", a.SynthAccuracy.Valid()}, {"within DCR ratio", a.DCRRatio.Valid()},
		{"between FID excess", r.Rows[0].FIDExcess.Valid()}, {"between synth accuracy", r.Rows[0].SynthAccuracy.Valid() || a.SynthAccuracy.Estimate == b.SynthAccuracy.Estimate}} {
		if !iv.ok {
			t.Errorf("%s: no valid interval", iv.name)
		}
	}
	header, rows := r.Table()
	if len(rows) != 4 || len(rows[0]) != len(header) || !strings.Contains(rows[2][1], "between 2 models") {
		t.Errorf("table %q", rows)
	}
	if _, err := ModelVariance(VarianceConfig{Preset: p, Datasets: []string{"ww"}, Seeds: []uint64{1}}, false, io.Discard); err == nil {
		t.Error("one seed accepted")
	}
	if _, err := ModelVariance(VarianceConfig{Preset: p, Datasets: []string{"ww"}, Seeds: []uint64{0, 1}, Splits: true}, false, io.Discard); err == nil {
		t.Error("split seed 0 (the paper's split) accepted among random splits")
	}
	split := p
	split.Data.SplitSeed = 2
	if ExperimentFor(p, "ww", "").modelKey() == ExperimentFor(split, "ww", "").modelKey() {
		t.Error("a model on another split shares the cache key of the paper's split")
	}
}
