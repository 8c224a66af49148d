package repro

import (
	"io"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/eval/stats"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// tinyPreset is a seconds-long preset: 8x8 images, a 2-step model, 4 sampling steps, 3 synthetic
// images per class, the Random Forest and Naive Bayes with two seeds.
func tinyPreset() preset.Preset {
	p := preset.SmokePreset()
	p.Net.Size, p.Net.ModelChannels, p.Net.NormGroups = 8, 8, 4
	p.Net.AttentionResolutions = nil
	p.Train.BatchSize = 8
	p.Train.Steps, p.Sample.Steps, p.Sample.PerClass = 2, 4, 3
	p.Downstream.Classifiers, p.Downstream.Seeds = []string{"nb", "rf"}, []uint64{1, 2}
	p.Downstream.ForestTrees = 5
	return p
}

// blockSet is a hand-made image set whose classes are separable: class c of group g has every pixel
// at (c + 4g + 1) / 16 plus a little per-image jitter, so any sensible classifier is perfect on it.
func blockSet(t *testing.T, dataset, group string, classes, train, synth, test, size int) *ImageSet {
	t.Helper()
	g := map[string]int{"": 0, "netflix": 0, "stan": 1, "google": 2}[group]
	mk := func(per int, jitter float64) protocols.LabelledImages {
		var rows [][]float64
		var y []int
		for c := range classes {
			for k := range per {
				row := make([]float64, size*size)
				for j := range row {
					row[j] = (float64(c+4*g) + 1 + jitter*float64(k%3)) / 16
				}
				rows, y = append(rows, row), append(y, c)
			}
		}
		im, err := features.NewImages("block images", size, size, 1, rows)
		if err != nil {
			t.Fatal(err)
		}
		return protocols.LabelledImages{Images: im, Y: y}
	}
	names := make([]string, classes)
	for c := range names {
		names[c] = group + string(rune('a'+c))
	}
	name := dataset
	if group != "" {
		name += "-" + group
	}
	return &ImageSet{Name: name, Dataset: dataset, Group: group, Classes: names,
		Train: mk(train, 0.01), Synth: mk(synth, 0.02), Test: mk(test, 0.005)}
}

func TestPooledRelabelsAcrossDatasets(t *testing.T) {
	a := blockSet(t, "d1", "netflix", 2, 3, 2, 1, 4)
	b := blockSet(t, "d1", "stan", 3, 3, 2, 1, 4)
	train, synth, test, k, err := pooled([]*ImageSet{a, b}, func(s *ImageSet, _ int) string { return s.Group })
	if err != nil {
		t.Fatal(err)
	}
	if k != 2 || train.Len() != 6+9 || synth.Len() != 4+6 || test.Len() != 2+3 {
		t.Fatalf("classes %d, rows %d/%d/%d", k, train.Len(), synth.Len(), test.Len())
	}
	// Labels are numbered in sorted order: netflix 0, stan 1.
	for i, y := range train.Y {
		if want := map[bool]int{true: 0, false: 1}[i < 6]; y != want {
			t.Fatalf("row %d label %d, want %d", i, y, want)
		}
	}
	f, err := Classifier{Name: protocols.NB, Sizes: tinyPreset().Downstream}.factory(protocols.ImageShape(4))
	if err != nil {
		t.Fatal(err)
	}
	acc, err := scenarioAcc(f, train, synth, test, []uint64{1})
	if err != nil {
		t.Fatal(err)
	}
	for name, a := range map[string]Acc{"original": acc.Original, "synth": acc.Synth, "ori+synth": acc.OriSynth} {
		if a.Mean != 100 {
			t.Errorf("%s: %.1f%% on separable blocks, want 100", name, a.Mean)
		}
	}
	if acc.OriSynth.TrainRows != 25 {
		t.Errorf("ori+synth trained on %d rows, want 25", acc.OriSynth.TrainRows)
	}
}

func TestFig8StepsCapAndOrder(t *testing.T) {
	set := blockSet(t, "d1", "netflix", 3, 4, 5, 2, 4)
	c := Fig8Config{Preset: tinyPreset(), Classifier: protocols.NB, SynthPerClass: []int{1, 2, 2, 9, 20}}
	curve, err := fig8Curve(c, set)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		label string
		rows  int
	}{{"original", 12}, {"synth 1/class", 3}, {"synth 2/class", 6}, {"synth 5/class", 15}, {"ori+synth", 27}}
	if len(curve.Steps) != len(want) {
		t.Fatalf("steps %+v", curve.Steps)
	}
	for i, w := range want {
		if s := curve.Steps[i]; s.Label != w.label || s.TrainRows != w.rows || s.Mean != 100 {
			t.Errorf("step %d: %+v, want %s on %d rows at 100%%", i, s, w.label, w.rows)
		}
	}
	v := Fig8Verdicts(&Fig8Result{Curves: []Fig8Curve{curve}})
	// Every step classifies every test trace: the paired gains are exactly 0, so "> 0" cannot tell and
	// "> -5" holds.
	if len(v) != 3 || !strings.HasPrefix(v[2], "ori+synth > original: cannot tell (mean +0.0 [+0.0, +0.0]") || !strings.Contains(v[1], "): holds (") {
		t.Errorf("verdicts %q", v)
	}
}

func TestFig6CropsAndTimes(t *testing.T) {
	p := tinyPreset()
	p.Downstream.CropFractions = []float64{0.25, 0.5, 1}
	set := blockSet(t, "d1", "netflix", 2, 3, 3, 2, 8)
	curve, err := fig6Curve(Fig6Config{Preset: p, Classifier: protocols.NB, TimingRepeats: 3}, set)
	if err != nil {
		t.Fatal(err)
	}
	if len(curve.Points) != 3 || curve.Unit != "s" || curve.Name != "D1-Netflix" {
		t.Fatalf("%+v", curve)
	}
	for i, want := range []struct {
		crop   int
		length float64
	}{{2, 45}, {4, 90}, {8, 180}} {
		pt := curve.Points[i]
		if pt.Crop != want.crop || math.Abs(pt.Length-want.length) > 1e-9 || pt.Original.Mean != 100 {
			t.Errorf("point %d: %+v, want crop %d at %g s", i, pt, want.crop, want.length)
		}
		if !(pt.ImageMillis > 0) || !(pt.PaperSideMillis > 0) || len(pt.ImageTimes) != 3 || len(pt.PaperSideTimes) != 3 {
			t.Errorf("point %d: imaging time %v / %v ms from %v / %v", i, pt.ImageMillis, pt.PaperSideMillis, pt.ImageTimes, pt.PaperSideTimes)
		}
	}
}

// TestFig6ImagingVerdict: every timing under 10 ms holds, a length whose median exceeds 10 ms does not
// hold, one straddling 10 ms cannot tell, and medians without timings answer on point estimates.
func TestFig6ImagingVerdict(t *testing.T) {
	point := func(times ...float64) Fig6Point {
		return Fig6Point{ImageMillis: stats.Median(times), PaperSideMillis: 1, ImageTimes: times, PaperSideTimes: []float64{1, 1, 1, 1}}
	}
	for _, tc := range []struct {
		name  string
		times []float64
		want  string
	}{
		{"fast", []float64{1, 2, 3, 2, 1, 2}, ": holds ("},
		{"slow", []float64{20, 21, 22, 20, 21, 22}, ": does not hold ("},
		{"straddling", []float64{5, 15, 5, 15, 5, 15, 9, 11}, ": cannot tell ("},
	} {
		r := &Fig6Result{Curves: []Fig6Curve{{Name: "D2", Points: []Fig6Point{point(0.5, 0.5, 0.5, 0.5), point(tc.times...)}}}}
		if v := fig6ImagingVerdict(r); !strings.Contains(v, "128)"+tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, v, tc.want)
		}
	}
	old := &Fig6Result{Curves: []Fig6Curve{{Name: "D2", Points: []Fig6Point{{ImageMillis: 13.4, PaperSideMillis: 2}}}}}
	if v := fig6ImagingVerdict(old); !strings.Contains(v, ": cannot tell (no interval: timings are stored as medians only; point estimate: within 10 ms on 0 of 1 datasets; over: D2 13.40 ms)") {
		t.Errorf("medians only: %q", v)
	}
}

// TestTable1Wiring runs Table 1 end to end on three tiny models: L1 over D1+D3, L2 over the two D1
// platforms, L3 for each.
func TestTable1Wiring(t *testing.T) {
	if testing.Short() {
		t.Skip("trains three tiny models")
	}
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	c := Table1Config{Preset: tinyPreset(), Classifier: protocols.NB, L3: []string{"d1-netflix", "d1-stan", "d3-google"}}
	r, err := Table1(c, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		level, data      string
		classes          int
		orig, syn, total int
	}{
		{"L1", "D1+D3", 2, 240, 90, 330},
		{"L2", "D1", 2, 160, 60, 220},
		{"L3", "D1-Netflix", 10, 80, 30, 110},
		{"L3", "D1-Stan", 10, 80, 30, 110},
		{"L3", "D3-Google", 10, 80, 30, 110},
	}
	if len(r.Rows) != len(want) {
		t.Fatalf("rows %+v", r.Rows)
	}
	for i, w := range want {
		row := r.Rows[i]
		if row.Level != w.level || row.Data != w.data || row.Classes != w.classes || row.Original.TrainRows != w.orig ||
			row.Synth.TrainRows != w.syn || row.OriSynth.TrainRows != w.total {
			t.Errorf("row %d: %+v, want %+v", i, row, w)
		}
		for _, a := range []Acc{row.Original, row.Synth, row.OriSynth} {
			if a.Mean < 0 || a.Mean > 100 {
				t.Errorf("row %d accuracy %v", i, a)
			}
		}
	}
	// The second call is the cache: the same result without training.
	again, err := Table1(c, false, io.Discard)
	if err != nil || !reflect.DeepEqual(again.Rows[0], r.Rows[0]) {
		t.Errorf("cached result differs: %v", err)
	}
	header, rows := Table1Compare(r, r)
	if len(header) != 6 || len(rows) != 3*len(want) || rows[0][3] != "99.0" || rows[0][4] != rows[0][5] {
		t.Errorf("compare table %v %v", header, rows[:1])
	}
	if v := Table1Verdicts(r); len(v) != 3 {
		t.Errorf("verdicts %q", v)
	}
}

func TestTable3Wiring(t *testing.T) {
	if testing.Short() {
		t.Skip("trains small networks")
	}
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	p := tinyPreset()
	p.Downstream.Epochs = 1
	c := Table3Config{Data: p.Data, Downstream: p.Downstream, Platforms: []string{"netflix"}, Fractions: []float64{1, 0.5}, ImageSize: 8, Seeds: []uint64{1}}
	r, err := Table3(c, false, nil) // a nil log is allowed
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 2 || r.Rows[0].Platform != "D1-Netflix" || r.Rows[0].Series.TrainRows != 80 || r.Rows[1].Images.TrainRows != 40 {
		t.Fatalf("%+v", r.Rows)
	}
	_, rows := Table3Compare(r, nil)
	if rows[0][1] != "80% data" || rows[0][2] != "83.0 / 100.0" || rows[1][1] != "40% data" || rows[0][3] != "–" {
		t.Errorf("compare rows %v", rows)
	}
	ref := &Table3Result{TrainFraction: 0.8, Rows: append(slices.Clone(r.Rows), Table3Row{Platform: "D1-Stan", Fraction: 1, Series: Acc{Mean: 70}, Images: Acc{Mean: 80}})}
	_, rows = Table3Compare(r, ref)
	if len(rows) != 3 || rows[2][0] != "D1-Stan" || rows[2][2] != "91.0 / 99.0" || rows[2][3] != "70.0 / 80.0" || rows[2][4] != "– (not in this preset)" {
		t.Errorf("a reference-only row: %v", rows)
	}
}

func TestReferenceRoundTripAndStaleness(t *testing.T) {
	t.Setenv("NETDIFFUS_REFERENCE", t.TempDir())
	if r, err := ReadReference("fig8"); r != nil || err != nil {
		t.Fatalf("no reference stored yet: got %v, %v", r, err)
	}
	cfg := Fig8For(preset.CPUPreset())
	res := &Fig8Result{Classifier: "rf", Curves: []Fig8Curve{{Name: "D1-Netflix", Steps: []Fig8Step{{Label: "original", Acc: Acc{Mean: 50}}}}}}
	date := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	if _, err := WriteReference("fig8", cfg, res, "abc123", date); err != nil {
		t.Fatal(err)
	}
	got, ref, err := LoadReference[Fig8Result]("fig8")
	if err != nil || got.Curves[0].Steps[0].Mean != 50 || ref.Commit != "abc123" || ref.Date != "2026-12-01T10:00:00Z" {
		t.Fatalf("loaded %+v %+v %v", got, ref, err)
	}
	if err := CheckReference("fig8", cfg); err != nil {
		t.Errorf("same configuration: %v", err)
	}
	changed := cfg
	changed.Preset.Train.Steps++
	err = CheckReference("fig8", changed)
	if err == nil || !strings.Contains(err.Error(), "-write-reference") {
		t.Errorf("a changed preset must make the reference stale: %v", err)
	}
	stale := StaleReferences()
	if slices.Contains(stale, "fig8") || len(stale) != len(Items()) || stale[len(stale)-1] != VariancePlan {
		t.Errorf("only fig8 is stored and current (the variance run comes last): stale %v", stale)
	}
	if _, err := WriteReference("fig6", changed, res, "abc123", date); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(StaleReferences(), "fig6") {
		t.Error("fig6 stored with another configuration is not listed as stale")
	}
}

// TestStoredReferencesMatchCPUPreset fails when a committed reference was made with a configuration
// other than today's cpu preset for its item, so that references cannot go stale silently.
func TestStoredReferencesMatchCPUPreset(t *testing.T) {
	p := preset.CPUPreset()
	stored := 0
	for _, it := range Items() {
		r, err := ReadReference(it.Name)
		if err != nil {
			t.Errorf("%s: %v", it.Name, err)
			continue
		}
		if r == nil {
			continue
		}
		stored++
		if err := CheckReference(it.Name, it.Config(p)); err != nil {
			t.Error(err)
		}
		// The stored result must read into today's result type, tabulate and be judged, as its notebook
		// does.
		res, _, err := it.Stored()
		if err != nil {
			t.Error(err)
			continue
		}
		if _, rows := it.Compare(res, res); len(rows) == 0 {
			t.Errorf("%s: the stored result tabulates to no rows", it.Name)
		}
		if len(it.Verdicts(res)) == 0 {
			t.Errorf("%s: no verdicts on the stored result", it.Name)
		}
	}
	if err := CheckReference(VariancePlan, VarianceFor(p)); err != nil {
		t.Error(err)
	}
	variance := "not stored"
	if v, _, err := StoredVariance(); err != nil {
		t.Error(err)
	} else if v != nil {
		variance = "stored"
		if _, rows := v.Table(); len(rows) == 0 {
			t.Error("the stored variance run tabulates to no rows")
		}
	}
	t.Logf("%d of %d items have a stored reference in %s; the variance run's is %s", stored, len(Items()), ReferenceDir(), variance)
}

func TestItemsRegistered(t *testing.T) {
	for _, name := range []string{"table1", "fig2", "fig2b", "fig2c", "fig4", "fig5", "fig6", "fig8", "table2", "table3"} {
		it, err := ItemNamed(name)
		if err != nil {
			t.Fatal(err)
		}
		if it.Config(preset.CPUPreset()) == nil || it.Run == nil || it.Decode == nil || it.Compare == nil || it.Verdicts == nil || it.Plot == nil || it.Title == "" {
			t.Errorf("%s is incomplete", name)
		}
	}
	if _, err := ItemNamed("fig99"); err == nil {
		t.Error("unknown item: want an error")
	}
}

// TestFig4LimitedModels checks that a limited n trains its own resumable model folder and a full n
// reuses the standard experiment's model.
func TestFig4LimitedModels(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two tiny models")
	}
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	c := Fig4Config{Preset: tinyPreset(), Classifier: protocols.NB, Datasets: []string{"d1-netflix"}, PerClass: []int{2, 8}, LimitedSteps: 2}
	r, err := Fig4(c, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	pts := r.Curves[0].Points
	if len(pts) != 2 || pts[0].Originals != 20 || pts[1].Originals != 80 || pts[0].TrainSteps != 2 || pts[1].TrainSteps != 2 {
		t.Fatalf("points %+v", pts)
	}
	// 3 synthetic images per class (tinyPreset's Sample.PerClass) for 10 classes.
	if pts[0].Synth.TrainRows != 30 || pts[0].OriSynth.TrainRows != 50 {
		t.Errorf("n=2 rows: synth %d, ori+synth %d", pts[0].Synth.TrainRows, pts[0].OriSynth.TrainRows)
	}
	if c.LimitedModelDir("d1", "netflix", 2) == ExperimentFor(c.Preset, "d1", "netflix").ModelDir() {
		t.Error("a limited model must have its own folder")
	}
	// More steps resume the same folder.
	c.LimitedSteps = 4
	dir := c.LimitedModelDir("d1", "netflix", 2)
	s, err := LimitedSynthetic(c, "d1", "netflix", 2, io.Discard)
	if err != nil || s.TrainSteps != 4 || c.LimitedModelDir("d1", "netflix", 2) != dir {
		t.Errorf("resume: %v, steps %d", err, s.TrainSteps)
	}
	if v := Fig4Verdicts(r); len(v) != 1 || !strings.Contains(v[0], "points over 1, 95% stratified paired bootstrap over 20+ test traces each") {
		t.Errorf("verdicts %q", v)
	}
}

func TestTable2Wiring(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a tiny 1-D and a tiny 2-D model")
	}
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	p := tinyPreset()
	p.Measure.PCAComponents = 4
	c := Table2For(p) // smoke-derived: D1-Netflix, the Random Forest
	c.Classifier, c.Steps1D = protocols.NB, 2
	c.Net1D.ModelChannels, c.Net1D.NormGroups = 8, 4
	r, err := Table2(c, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 1 || r.Rows[0].Data != "D1-Netflix" || r.Rows[0].TrainSteps1D != 2 || r.Rows[0].TrainSteps2D != 2 {
		t.Fatalf("%+v", r.Rows)
	}
	row := r.Rows[0]
	if row.Synth1D.TrainRows != 30 || row.OriSynth2D.TrainRows != 110 || !(row.ClassFID1D > 0) || !(row.ClassFID2D > 0) {
		t.Errorf("row %+v", row)
	}
	if ExperimentFor(c.preset1D(), "d1", "netflix").ModelDir() == ExperimentFor(p, "d1", "netflix").ModelDir() {
		t.Error("the 1-D model needs its own folder")
	}
	_, rows := Table2Compare(r, nil)
	if len(rows) != 6 || rows[1][2] != "62.2" || rows[5][2] != "77% (Inception features)" {
		t.Errorf("compare rows %v", rows)
	}
}

func TestFig5SubCasesOnSeparableBlocks(t *testing.T) {
	set := blockSet(t, "d1", "netflix", 10, 6, 4, 2, 8)
	c := Fig5Config{Preset: tinyPreset(), Classifier: protocols.RF, SynthSteps: []int{0, 2, 9}, Seed: 5}
	c.Preset.Downstream.EnsembleSeeds = []uint64{1, 2, 3}
	anomaly, legit := pickClasses(10, c.Seed)
	if len(anomaly) != 2 || len(legit) != 5 || slices.Contains(legit, anomaly[0]) || slices.Contains(legit, anomaly[1]) {
		t.Fatalf("classes: anomaly %v legit %v", anomaly, legit)
	}
	for _, frac := range []float64{1, 0.25} {
		r, err := subCase1(c, set, set.Synth, 2, frac)
		if err != nil {
			t.Fatal(err)
		}
		if r.Original != 100 || r.WithSyn != 100 || len(r.AnomalyClassLabels) != 2 {
			t.Errorf("crop %g: %+v (separable blocks: want 100%% recall)", frac, r)
		}
	}
	steps, err := subCase2(c, set)
	if err != nil {
		t.Fatal(err)
	}
	// m = 0, 2, then 9 capped at the 4 synthetic images each class has.
	if len(steps) != 3 || steps[2].SynthPerClass != 4 || steps[0].LegitRows != 30 || steps[2].LegitRows != 50 || steps[0].AnomalyTests != 4 {
		t.Fatalf("steps %+v", steps)
	}
	for _, e := range steps {
		if e.LegitMean < 0 || e.AnomalyMean < 0 || e.AUROC < 0 || e.AUROC > 1 {
			t.Errorf("%+v", e)
		}
	}
	if v := Fig5Verdicts(&Fig5Result{Entropy: steps}); len(v) != 3 {
		t.Errorf("verdicts %q", v)
	}
}

func TestFig2Datasets(t *testing.T) {
	if got := Fig2For(preset.CPUPreset()).Datasets; len(got) != 8 || got[7] != "alexa" {
		t.Errorf("cpu Fig. 2(a) datasets %v, want the paper's seven and the real Echo traffic", got)
	}
	smoke := preset.SmokePreset()
	if got := Fig2For(smoke).Datasets; !slices.Equal(got, smoke.Figures.FidelityDatasets) {
		t.Errorf("smoke Fig. 2(a) datasets %v, want the preset's %v", got, smoke.Figures.FidelityDatasets)
	}
	for _, name := range AllFidelityDatasets {
		d, g := splitName(name)
		if paperName(name) == "" || d == "" || (d != "d2" && d != "ww" && d != "alexa" && g == "") {
			t.Errorf("%s: dataset %q group %q", name, d, g)
		}
	}
}
