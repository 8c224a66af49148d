package pipeline

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// goBackend is the backend the notebooks and the command line use (backend.Shared: ONNX Runtime when
// it is installed, else pure Go).
func goBackend(t *testing.T) compute.Backend {
	t.Helper()
	b, _, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tiny shrinks a preset to seconds: 8x8 images (or length-8 series), 8 channels, two levels, a few
// steps, no attention, tiny batches.
func tiny(p preset.Preset, dims int) preset.Preset {
	p.Net.Dims, p.Net.Size, p.Net.ModelChannels, p.Net.NormGroups = dims, 8, 8, 4
	p.Net.ChannelMult, p.Net.NumResBlocks, p.Net.AttentionResolutions, p.Net.NumHeads = []int{1, 2}, 1, nil, 1
	p.Train.Steps, p.Train.BatchSize, p.Train.DiffusionSteps = 2, 4, 50
	p.Sample.Steps, p.Sample.PerClass = 3, 3
	p.Data.Variant = datasets.Small
	p.Measure.PCAComponents = 4
	p.Downstream.Classifiers, p.Downstream.Seeds = []string{"nb"}, []uint64{1}
	return p
}

// TestEveryPresetCombination trains a tiny model for each combination the presets use (learned and
// fixed sigma, with and without a null class, 1-D and 2-D, eps and v prediction; "" keeps the preset's) and samples it through Sample, the path of
// the notebooks (Run) and of netdiffus sample/generate/eval, with guidance on and off where the model has
// a null class; guidance on a model without one must be refused.
func TestEveryPresetCombination(t *testing.T) {
	b := goBackend(t)
	cases := []struct {
		name         string
		base         func() preset.Preset
		dims         int
		learn, null  bool
		wantVariance diffusion.VarianceKind
		pred         diffusion.Prediction
	}{
		{"smoke and cpu: 2-D, fixed sigma, null class", preset.SmokePreset, 2, false, true, diffusion.FixedLarge, ""},
		{"2-D, fixed sigma, no null class", preset.SmokePreset, 2, false, false, diffusion.FixedLarge, ""},
		{"full: 2-D, learned sigma, no null class", preset.FullPreset, 2, true, false, diffusion.Learned, ""},
		{"2-D, learned sigma, null class (guided eps, conditional v)", preset.FullPreset, 2, true, true, diffusion.Learned, ""},
		{"1-D, fixed sigma, null class", preset.SmokePreset, 1, false, true, diffusion.FixedLarge, ""},
		{"1-D, learned sigma, no null class", preset.FullPreset, 1, true, false, diffusion.Learned, ""},

		{"2-D, learned sigma, no null class, eps prediction (the artifact's)", preset.FullPreset, 2, true, false, diffusion.Learned, diffusion.PredictEps},
		{"2-D, fixed sigma, null class, eps prediction", preset.SmokePreset, 2, false, true, diffusion.FixedLarge, diffusion.PredictEps},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := tiny(tc.base(), tc.dims)
			p.Net.LearnSigma, p.Net.NullClass = tc.learn, tc.null
			if tc.pred != "" {
				p.Train.Prediction = tc.pred
			}
			p.Train.LabelDropout = map[bool]float64{true: 0.2, false: 0}[tc.null]
			p.Sample.Guidance = 0
			d, err := LoadDefault(p, "ww", "")
			if err != nil {
				t.Fatal(err)
			}
			m, err := Train(context.Background(), b, p, t.TempDir(), d.Train, d.TrainY, ModelInfo{Data: d.Name, Classes: d.Classes}, TrainOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Config().Net.Variance(); got != tc.wantVariance {
				t.Errorf("model variance %s, want %s", got, tc.wantVariance)
			}
			for _, guidance := range []float64{0, 1, 3} {
				s := p.Sample
				s.Guidance = guidance
				x, y, err := Sample(context.Background(), m, s, []int{2, 0, 3}, nil)
				if guidance > 1 && !tc.null {
					if err == nil || !strings.Contains(err.Error(), "null class") {
						t.Errorf("guidance %g without a null class: %v, want a refusal", guidance, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("guidance %g: %v", guidance, err)
				}
				checkSamples(t, x, y, append([]int{5}, m.Config().Net.ExampleShape()...), tc.dims)
			}
		})
	}
}

func checkSamples(t *testing.T, x diffusion.Array, y []int, want []int, dims int) {
	t.Helper()
	if !sameInts(x.Shape, want) || !sameInts(y, []int{0, 0, 2, 2, 2}) {
		t.Fatalf("samples %v labels %v, want shape %v and labels 0,0,2,2,2", x.Shape, y, want)
	}
	for i, v := range x.Data {
		if math.IsNaN(float64(v)) || v < -1 || v > 1 || (dims == 2 && pixels.Quantise(v) != v) {
			t.Fatalf("value %d is %v: want finite, in [-1, 1], and on the 8-bit grid for images", i, v)
		}
	}
	series, err := Decode(x)
	if err != nil || len(series) != 5 {
		t.Fatalf("decode: %d series, %v", len(series), err)
	}
	for _, s := range series {
		for _, v := range s {
			if v < 0 || v > 1 {
				t.Fatalf("decoded value %v outside [0, 1]", v)
			}
		}
	}
}

func sameInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestTrainLogsTheFirstReport: the progress log has the first report of a run (so a long training says
// early that it runs and how fast), then every fifth report and the last one; a resumed run logs its
// own first report again.
func TestTrainLogsTheFirstReport(t *testing.T) {
	b := goBackend(t)
	dir := t.TempDir()
	p := tiny(preset.SmokePreset(), 2)
	p.Train.Steps, p.Train.ReportEvery = 6, 1
	d, err := LoadDefault(p, "ww", "")
	if err != nil {
		t.Fatal(err)
	}
	info := ModelInfo{Data: d.Name, Classes: d.Classes}
	steps := func(log string) []string {
		var out []string
		for _, l := range strings.Split(strings.TrimSpace(log), "\n") {
			if f := strings.Fields(l); len(f) > 1 && f[0] == "step" {
				out = append(out, f[1])
			}
		}
		return out
	}
	var log strings.Builder
	if _, err := Train(context.Background(), b, p, dir, d.Train, d.TrainY, info, TrainOptions{Log: &log}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(steps(log.String()), " "); got != "1/6 5/6 6/6" {
		t.Errorf("logged steps %q, want 1/6 5/6 6/6:\n%s", got, log.String())
	}
	log.Reset()
	p.Train.Steps = 8
	if _, err := Train(context.Background(), b, p, dir, d.Train, d.TrainY, info, TrainOptions{Log: &log}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(steps(log.String()), " "); got != "7/8 8/8" {
		t.Errorf("resumed run logged steps %q, want 7/8 8/8:\n%s", got, log.String())
	}
}

// TestTrainResumes trains 2 steps, then asks for 4: the second run resumes and keeps the whole loss curve;
// a finished model trains nothing; fewer steps, or another configuration, are errors naming the folder.
func TestTrainResumes(t *testing.T) {
	b := goBackend(t)
	dir := t.TempDir()
	p := tiny(preset.SmokePreset(), 2)
	p.Train.ReportEvery = 1
	d, err := LoadDefault(p, "ww", "")
	if err != nil {
		t.Fatal(err)
	}
	info := ModelInfo{Data: d.Name, Classes: d.Classes}
	var seen []int64
	opt := TrainOptions{Observer: func(pr Progress) { seen = append(seen, pr.Step) }}
	if _, err := Train(context.Background(), b, p, dir, d.Train, d.TrainY, info, opt); err != nil {
		t.Fatal(err)
	}
	p.Train.Steps = 4
	m, err := Train(context.Background(), b, p, dir, d.Train, d.TrainY, info, opt)
	if err != nil {
		t.Fatal(err)
	}
	if m.Trainer.Steps() != 4 || len(m.Loss) != 4 || m.Loss[0].Step != 1 || m.Loss[3].Step != 4 {
		t.Errorf("resumed to step %d with curve %+v, want the whole history, steps 1 to 4", m.Trainer.Steps(), m.Loss)
	}
	if !sameInts64(seen, []int64{1, 2, 3, 4}) {
		t.Errorf("observer saw steps %v, want 1 2 3 4", seen)
	}
	again, err := Open(b, dir)
	if err != nil || len(again.Loss) != 4 || len(again.Info.Classes) != 3 || again.Info.Preset.Train.Steps != 4 || again.Info.Counts[0] != 24 || again.Info.TrainSeconds <= 0 {
		t.Errorf("Open: %v, loss %d points, info %+v", err, len(again.Loss), again.Info)
	}
	p.Train.Steps = 2
	if _, err := Train(context.Background(), b, p, dir, d.Train, d.TrainY, info, opt); err == nil || !strings.Contains(err.Error(), "has trained 4 steps") {
		t.Errorf("asking for 2 steps of a 4-step model: %v", err)
	}
	p.Train.Steps = 6
	p.Net.ModelChannels = 16
	if _, err := Train(context.Background(), b, p, dir, d.Train, d.TrainY, info, opt); err == nil ||
		!strings.Contains(err.Error(), "Net.ModelChannels 8 (folder) vs 16 (asked)") || !strings.Contains(err.Error(), dir) {
		t.Errorf("another configuration: %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, LossFile), []byte("{"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(b, dir); err == nil || !strings.Contains(err.Error(), LossFile) {
		t.Errorf("corrupt loss curve: %v", err)
	}
}

func sameInts64(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestTrainBadInput(t *testing.T) {
	b := goBackend(t)
	p := tiny(preset.SmokePreset(), 2)
	d, err := LoadDefault(p, "ww", "")
	if err != nil {
		t.Fatal(err)
	}
	info := ModelInfo{Classes: d.Classes}
	p16 := p
	p16.Net.Size = 16
	if _, err := Train(context.Background(), b, p16, t.TempDir(), d.Train, d.TrainY, info, TrainOptions{}); err == nil || !strings.Contains(err.Error(), "shaped [8 8 1]") {
		t.Errorf("8x8 images for a 16x16 model: %v", err)
	}
	bad := append([]int(nil), d.TrainY...)
	bad[0] = 7
	if _, err := Train(context.Background(), b, p, t.TempDir(), d.Train, bad, info, TrainOptions{}); err == nil || !strings.Contains(err.Error(), "outside the 3 classes") {
		t.Errorf("label 7 of 3 classes: %v", err)
	}
	if _, err := Train(context.Background(), b, p, "", d.Train, d.TrainY, info, TrainOptions{}); err == nil {
		t.Error("no model folder")
	}
	if _, err := LoadDefault(p, "ww", "gopher"); err == nil || !strings.Contains(err.Error(), `no group "gopher"`) {
		t.Errorf("unknown group: %v", err)
	}
	if _, err := Open(b, t.TempDir()); err == nil || !strings.Contains(err.Error(), "no checkpoint") {
		t.Errorf("empty folder: %v", err)
	}
	// A folder another trainer holds: refused before anything in it is read or written.
	busy := t.TempDir()
	unlock, err := unet.LockDir(busy)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if _, err := Train(context.Background(), b, p, busy, d.Train, d.TrainY, info, TrainOptions{}); err == nil || !strings.Contains(err.Error(), "in use by another trainer") {
		t.Errorf("locked folder: %v", err)
	}
	for _, name := range []string{"pipeline.json", "loss.json"} {
		if _, err := os.Stat(filepath.Join(busy, name)); err == nil {
			t.Errorf("Train wrote %s into a folder another trainer holds", name)
		}
	}
}

// TestRunMeasures runs the whole pipeline on WW with tiny settings: the split (first 80% of each of the
// 3 classes of 30 pages), the counts and the measurement shapes.
func TestRunMeasures(t *testing.T) {
	p := tiny(preset.SmokePreset(), 2)
	p.Sample.PerClass = 6
	p.Downstream.Classifiers, p.Downstream.Seeds = []string{"nb", "rf"}, []uint64{1, 2}
	d, err := LoadDefault(p, "ww", "")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), goBackend(t), p, d, t.TempDir(), TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.TrainImages != 72 || res.TestImages != 18 || res.SynthImages != 18 || len(res.Classes) != 3 || res.Size != 8 {
		t.Errorf("images: train %d, test %d, synth %d, classes %d", res.TrainImages, res.TestImages, res.SynthImages, len(res.Classes))
	}
	if math.IsNaN(res.FID) || res.FID < 0 || len(res.ClassFID) != 3 || len(res.Hist.Real) != p.Measure.HistogramBins || len(res.Accuracy) != 6 {
		t.Errorf("FID %v, class FIDs %v, %d bins, %d scores", res.FID, res.ClassFID, len(res.Hist.Real), len(res.Accuracy))
	}
	for _, s := range res.Accuracy {
		if want := map[string]int{"original": 72, "synth": 18, "ori+synth": 90}[s.Scenario]; s.TrainRows != want || s.AccMean < 0 || s.AccMean > 1 {
			t.Errorf("%+v: want %d training rows", s, want)
		}
	}
	if len(res.Examples) != 3 || len(res.Examples[0].Real) != 64 {
		t.Errorf("%d example pairs", len(res.Examples))
	}
	// The floors: FrechetWithFloor's floor is the real-vs-real FID; the synthetic set (18) is as large as
	// the test set (18), so the size-matched FID is the FID itself.
	if res.FIDFloor != res.RealFID || res.FIDFloor <= 0 || res.FIDMatched != res.FID {
		t.Errorf("FID %v, floor %v (RealFID %v), matched %v", res.FID, res.FIDFloor, res.RealFID, res.FIDMatched)
	}
	if res.KIDMatched != res.KID || math.IsNaN(res.KIDFloor) {
		t.Errorf("KID %v, floor %v, matched %v", res.KID, res.KIDFloor, res.KIDMatched)
	}
	// 6 test and 6 synthetic images per class: both per-class sides use 6 rows.
	if res.FloorNote != "" || res.ClassFIDRows != 6 || len(res.ClassFIDFloor) != 3 || len(res.ClassFIDMatched) != 3 || res.ClassFIDFloorMean <= 0 {
		t.Errorf("per-class floor: rows %d, floor %v (mean %v), matched %v, note %q", res.ClassFIDRows, res.ClassFIDFloor, res.ClassFIDFloorMean, res.ClassFIDMatched, res.FloorNote)
	}
	// Trace fidelity on the decoded series: W1 and the discriminative score are on [0, 1] and [0, 1/2].
	tf := res.Traces
	if res.TraceNote != "" || tf.Marginal.Value <= 0 || tf.Marginal.Value > 1 || tf.Marginal.Floor < 0 || tf.Discriminative.Value < 0 || tf.Discriminative.Value > 0.5 {
		t.Errorf("traces %+v, note %q", tf, res.TraceNote)
	}
	if res.SampleWarning == "" { // 2 steps of EMA at decay 0.995: the EMA has not covered its horizon of 200
		t.Error("no sampling warning for EMA weights after 2 steps")
	}
}

// TestConfigDiff: equal configurations (empty and nil lists alike, an unset prediction and eps alike)
// have no difference; a changed size or prediction is listed by its path.
func TestConfigDiff(t *testing.T) {
	base := preset.SmokePreset().Model(3)
	base.Net.AttentionResolutions = nil
	for _, tc := range []struct {
		name   string
		change func(c *unet.Config)
		want   []string
	}{
		{"same", func(c *unet.Config) {}, nil},
		{"nil and empty lists", func(c *unet.Config) { c.Net.AttentionResolutions = []int{} }, nil},
		{"name ignored", func(c *unet.Config) { c.Name = "other" }, nil},
		{"size", func(c *unet.Config) { c.Net.Size = 32 }, []string{"Net.Size 32 (folder) vs 16 (asked)"}},
		{"eps folder, v asked", func(c *unet.Config) { c.Train.Prediction = "" }, []string{`Train.Prediction "eps" (folder) vs "v" (asked)`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			have := base
			have.Net.ChannelMult = append([]int(nil), base.Net.ChannelMult...)
			tc.change(&have)
			if got := ConfigDiff(have, base); strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("ConfigDiff = %q, want %q", got, tc.want)
			}
		})
	}
	eps := base
	eps.Train.Prediction = diffusion.PredictEps
	unset := base
	unset.Train.Prediction = ""
	if got := ConfigDiff(unset, eps); len(got) != 0 {
		t.Errorf("unset prediction vs eps: %q, want no difference", got)
	}
}
