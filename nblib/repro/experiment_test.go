package repro

import (
	"context"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/preset"
)

// tinyExperiment is a seconds-long experiment on the pure Go backend: WW (3 classes), 8x8 images,
// 8 channels, a few steps. It checks the wiring, not fidelity.
func tinyExperiment(steps int64) ExperimentConfig {
	p := preset.SmokePreset()
	p.Net.Size, p.Net.ModelChannels, p.Net.NormGroups = 8, 8, 4
	p.Net.AttentionResolutions = nil
	p.Train.BatchSize = 8
	p.Train.Steps, p.Sample.Steps, p.Sample.PerClass, p.Measure.PCAComponents = steps, 4, 6, 4
	p.Downstream.Classifiers, p.Downstream.Seeds = []string{"nb", "rf"}, []uint64{1, 2}
	return ExperimentFor(p, "ww", "")
}

func goBackend(t *testing.T) compute.Backend {
	t.Helper()
	b, err := compute.NewWithConfig("go")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestExperimentWiring(t *testing.T) {
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	cfg := tinyExperiment(4)
	res, err := runExperiment(context.Background(), goBackend(t), cfg, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	// WW small: 3 access types x 30 pages, the first 80% of each for training.
	if res.TrainImages != 72 || res.TestImages != 18 || res.SynthImages != 18 || len(res.Classes) != 3 {
		t.Errorf("images: train %d, test %d, synth %d, classes %d", res.TrainImages, res.TestImages, res.SynthImages, len(res.Classes))
	}
	for name, v := range map[string]float64{"FID": res.FID, "KID": res.KID, "class FID mean": res.ClassFIDMean, "JSD": res.Hist.JSD} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Errorf("%s = %v", name, v)
		}
	}
	if res.FID < 0 || len(res.ClassFID) != 3 || len(res.Hist.Real) != cfg.Preset.Measure.HistogramBins {
		t.Errorf("FID %v, class FIDs %v, %d histogram bins", res.FID, res.ClassFID, len(res.Hist.Real))
	}
	if len(res.Accuracy) != 2*3 {
		t.Fatalf("%d scores, want 2 classifiers x 3 scenarios", len(res.Accuracy))
	}
	for _, s := range res.Accuracy {
		if s.AccMean < 0 || s.AccMean > 1 {
			t.Errorf("%+v", s)
		}
		if want := map[string]int{"original": 72, "synth": 18, "ori+synth": 90}[s.Scenario]; s.TrainRows != want {
			t.Errorf("%s/%s trained on %d rows, want %d", s.Classifier, s.Scenario, s.TrainRows, want)
		}
	}
	if len(res.Examples) != 3 || len(res.Examples[0].Real) != 64 || len(res.Loss) == 0 {
		t.Errorf("%d example pairs, %d loss points", len(res.Examples), len(res.Loss))
	}
}

// TestModelDirKey checks what selects a model folder: more steps or other sampling settings continue
// the same model, another learning rate trains another.
func TestModelDirKey(t *testing.T) {
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	cfg := tinyExperiment(2)
	more := cfg
	more.Preset.Train.Steps = 4
	more.Preset.Sample.Guidance = 5
	if more.ModelDir() != cfg.ModelDir() {
		t.Fatalf("more steps must continue the same model: %s vs %s", more.ModelDir(), cfg.ModelDir())
	}
	other := cfg
	other.Preset.Train.LearningRate *= 2
	if other.ModelDir() == cfg.ModelDir() {
		t.Error("a different learning rate must train a different model")
	}
}

func TestExperimentBadConfig(t *testing.T) {
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	cfg := tinyExperiment(1)
	cfg.Group = "gopher"
	if _, err := runExperiment(context.Background(), goBackend(t), cfg, io.Discard); err == nil || !strings.Contains(err.Error(), `no group "gopher"`) {
		t.Errorf("unknown group: %v", err)
	}
	cfg = tinyExperiment(1)
	cfg.Preset.Downstream.Classifiers = []string{"svm"}
	if _, err := runExperiment(context.Background(), goBackend(t), cfg, io.Discard); err == nil || !strings.Contains(err.Error(), `Downstream.Classifiers item "svm"`) {
		t.Errorf("unknown classifier: %v", err)
	}
}

func TestExperimentPlots(t *testing.T) {
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	res, err := runExperiment(context.Background(), goBackend(t), tinyExperiment(2), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]func() (any, error){
		"loss":      func() (any, error) { return res.LossPlot() },
		"class FID": func() (any, error) { return res.ClassFIDPlot() },
		"histogram": func() (any, error) { return res.HistogramPlot() },
		"accuracy":  func() (any, error) { return res.AccuracyPlot() },
		"grid":      func() (any, error) { return res.ExampleGrid(2) },
	} {
		if _, err := f(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	classifiers, acc := res.accuracyByScenario()
	if len(classifiers) != 2 || len(acc["ori+synth"]) != 2 {
		t.Errorf("classifiers %v, scores %v", classifiers, acc)
	}
	if _, rows := res.AccuracyTable(); len(rows) != 6 {
		t.Errorf("%d table rows, want 6", len(rows))
	}
	if got := shortNames([]string{"netflix-v01", "alarm"}); got[0] != "v01" || got[1] != "alarm" {
		t.Errorf("shortNames = %q", got)
	}
	if s := res.Summary(); !strings.Contains(s, "FID") || !strings.Contains(s, "KID (unbiased; may be negative)") || !strings.Contains(s, "floor") ||
		!strings.Contains(s, "Against the real test traces") {
		t.Error(s)
	}
	if fid, floor := res.ClassFIDWithFloor(); len(fid) != len(res.Classes) || (floor != res.ClassFIDFloorMean && floor != 0) {
		t.Errorf("ClassFIDWithFloor = %v, %v; matched %v, floor mean %v", fid, floor, res.ClassFIDMatched, res.ClassFIDFloorMean)
	}
}

func TestFidelityDatasets(t *testing.T) {
	smoke, full := preset.SmokePreset().Figures.FidelityDatasets, preset.FullPreset().Figures.FidelityDatasets
	if n := len(smoke); n != 4 || len(full) <= n {
		t.Errorf("fidelity datasets: smoke %d, full %d", n, len(full))
	}
}
