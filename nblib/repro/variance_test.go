package repro

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netdiffus/netdiffus/nblib/eval/stats"
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

// TestStoredVarianceReference stores a variance result as the reference, reads it back (missing
// numbers, NaN, included), and checks the verdict page's line on it and its staleness.
func TestStoredVarianceReference(t *testing.T) {
	t.Setenv("NETDIFFUS_REFERENCE", t.TempDir())
	var page strings.Builder
	if err := writeStoredVariance(&page); err != nil || !strings.Contains(page.String(), "no stored cpu reference yet (`netdiffus repro variance -mode cpu -write-reference`") {
		t.Fatalf("no reference: %q, %v", page.String(), err)
	}
	iv := func(est, half float64) stats.Interval {
		return stats.Interval{Estimate: est, Lo: est - half, Hi: est + half, N: 100}
	}
	row := VarianceRow{Name: "D1-Netflix", Models: []VarianceModel{
		{Seed: 1, FIDExcess: iv(0.10, 0.02), SynthAccuracy: iv(60, 5), DCRRatio: iv(1.1, 0.05), MembershipAUC: missing()},
		{Seed: 2, FIDExcess: iv(0.12, 0.03), SynthAccuracy: iv(64, 4), DCRRatio: iv(1.0, 0.06), MembershipAUC: missing()},
		{Seed: 3, FIDExcess: iv(0.14, 0.02), SynthAccuracy: iv(62, 6), DCRRatio: iv(1.2, 0.04), MembershipAUC: missing()},
	}}
	row.fillBetween()
	want := &VarianceResult{Classifier: "cnn2", Rows: []VarianceRow{row}}
	c := VarianceFor(preset.CPUPreset())
	if _, err := WriteReference(VariancePlan, c, want, "abc123", time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	got, meta, err := StoredVariance()
	if err != nil || meta.Commit != "abc123" {
		t.Fatalf("stored variance: %v, %+v", err, meta)
	}
	_, wantRows := want.Table()
	_, gotRows := got.Table()
	if !slices.Equal(slices.Concat(wantRows...), slices.Concat(gotRows...)) {
		t.Errorf("round trip changed the table:\n%q\n%q", wantRows, gotRows)
	}
	page.Reset()
	if err := writeStoredVariance(&page); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"(commit abc123, 2026-12-06T00:00:00Z)", "D1-Netflix, 3 models: FID excess over floor 0.120 [", "(within ± 0.030)",
		"synth accuracy (%, cnn2) 62.0 [", "(within ± 6.0)", "membership AUC NaN [no interval] (within ± NaN)"} {
		if !strings.Contains(page.String(), s) {
			t.Errorf("verdict page line lacks %q:\n%s", s, page.String())
		}
	}
	if slices.Contains(StaleReferences(), VariancePlan) {
		t.Error("the variance run stored with today's configuration is listed as stale")
	}
	c.Seeds = []uint64{1, 2}
	if _, err := WriteReference(VariancePlan, c, want, "abc123", time.Now()); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(StaleReferences(), VariancePlan) {
		t.Error("the variance run stored with other seeds is not listed as stale")
	}
}

// TestStoredVarianceHostile feeds the stored-variance reader files that lie: truncated, another item's,
// fields of another type or unknown, no models at all. Each is an error naming the file (or, for an
// empty run, a table without panics), never a panic.
func TestStoredVarianceHostile(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("NETDIFFUS_REFERENCE", dir)
	path := filepath.Join(dir, "variance-cpu.json")
	for _, tc := range []struct {
		name, file, want string // want: "" for no error
	}{
		{"truncated", `{"item": "variance", "result": {"Rows": [`, "variance-cpu.json is unreadable"},
		{"another item", `{"item": "fig2", "result": {}}`, `holds item "fig2"`},
		{"a field of another type", `{"item": "variance", "result": {"Rows": "many"}}`, "variance-cpu.json does not read into today's result type"},
		{"an unknown field", `{"item": "variance", "result": {"Rows": [], "Extra": 1}}`, "variance-cpu.json does not read into today's result type"},
		{"no models", `{"item": "variance", "result": {"Classifier": "nb", "Rows": [{"Name": "D1-Netflix", "Models": []}]}}`, ""},
	} {
		if err := os.WriteFile(path, []byte(tc.file), 0o644); err != nil {
			t.Fatal(err)
		}
		r, _, err := StoredVariance()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path)):
			t.Errorf("%s: error %v, want one naming %s and saying %q", tc.name, err, path, tc.want)
		case tc.want == "":
			r.Table()
			var page strings.Builder
			if err := writeStoredVariance(&page); err != nil || !strings.Contains(page.String(), "D1-Netflix, 0 models") {
				t.Errorf("%s: verdict line %q, %v", tc.name, page.String(), err)
			}
		}
	}
}

// FuzzStoredVariance: whatever the stored variance file holds, reading it, tabulating it and writing
// its verdict-page line return an error or a result, never a panic.
func FuzzStoredVariance(f *testing.F) {
	f.Add([]byte(`{"item": "variance", "result": {"Classifier": "nb", "Rows": [{"Name": "D1-Netflix", "Models": [{"Seed": 1, "FIDExcess": {"Estimate": 1, "Lo": 0, "Hi": 2, "N": 3}}]}]}}`))
	f.Add([]byte(`{"item": "variance", "result": {"Rows": [{"Models": [{}, {}]}]}}`))
	f.Add([]byte(`{"item": "variance"`))
	f.Fuzz(func(t *testing.T, b []byte) {
		dir := t.TempDir()
		t.Setenv("NETDIFFUS_REFERENCE", dir)
		if err := os.WriteFile(filepath.Join(dir, "variance-cpu.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		r, _, err := StoredVariance()
		if err != nil || r == nil {
			return
		}
		r.Table()
		var page strings.Builder
		if err := writeStoredVariance(&page); err != nil {
			t.Errorf("a file StoredVariance read fails on the verdict page: %v", err)
		}
	})
}
