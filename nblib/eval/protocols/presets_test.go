package protocols

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/nn"
	"github.com/netdiffus/netdiffus/nblib/eval/trees"
	"github.com/netdiffus/netdiffus/nblib/internal/testbackend"
)

// The presets must hold what their documentation promises.
func TestPresets(t *testing.T) {
	full, cpu := FullConfig(), CPUConfig()
	paper := []string{CNN8, GBT, MLP, NB, RF}
	if !slices.Equal(full.Classifiers, paper) || full.CNN != CNN8 {
		t.Errorf("full classifiers %v (CNN %s), want the paper's %v with cnn8", full.Classifiers, full.CNN, paper)
	}
	if full.ForestTrees != 100 || full.BoostRounds != 100 || full.BoostDepth != 6 || full.BatchSize != 32 || full.ImageSize != 128 {
		t.Errorf("full sizes differ from the reference script / paper: %+v", full)
	}
	if cpu.CNN != CNN2 || len(cpu.Classifiers) != 5 || cpu.ImageSize != 32 {
		t.Errorf("cpu: %+v", cpu)
	}
	for _, c := range []Config{full, cpu} {
		if len(c.Seeds) == 0 || len(c.EnsembleSeeds) < 2 || len(c.Fractions) == 0 || c.SynthPerClass[0] != 0 {
			t.Errorf("%s: seeds %v, ensemble %v, fractions %v, steps %v", c.Name, c.Seeds, c.EnsembleSeeds, c.Fractions, c.SynthPerClass)
		}
	}
}

// Every named classifier must come out of Factory with the preset's settings; the authors' CNN uses
// momentum SGD by default.
func TestFactories(t *testing.T) {
	cfg := FullConfig()
	cfg.Classifiers = []string{CNN8, CNN2, MLP, RF, GBT, NB}
	fs, err := cfg.Factories(testbackend.Go(t), ImageShape(32))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		c := f.New(7)
		switch v := c.(type) {
		case *nn.Network:
			wantEpochs := map[string]int{CNN8: 50, CNN2: 50, MLP: 300}[f.Name]
			if v.Epochs != wantEpochs || v.Seed != 7 || v.Height != 32 || v.BatchSize != 32 {
				t.Errorf("%s: %+v", f.Name, v)
			}
			if f.Name == CNN8 && v.EffectiveOptimizer() != nn.SGDMomentum {
				t.Errorf("cnn8 optimizer %v", v.EffectiveOptimizer())
			}
		case *trees.RandomForest:
			if v.NTrees != 100 || v.Seed != 7 {
				t.Errorf("rf: %+v", v)
			}
		case *trees.GradientBoosting:
			if v.Rounds != 100 || v.MaxDepth != 6 {
				t.Errorf("gbt: %+v", v)
			}
		case *classify.GaussianNB:
		default:
			t.Errorf("%s: unexpected %T", f.Name, c)
		}
	}
	cases := []struct {
		name  string
		err   func() error
		wants string
	}{
		{"unknown", func() error { _, err := cfg.Factory("svm", nil, ImageShape(8)); return err }, `unknown classifier "svm"`},
		{"no backend", func() error { _, err := cfg.Factory(CNN8, nil, ImageShape(8)); return err }, "needs a GoMLX backend"},
		{"no shape", func() error { _, err := cfg.Factory(MLP, testbackend.Go(t), InputShape{}); return err }, "needs the input shape"},
	}
	for _, c := range cases {
		if err := c.err(); err == nil || !strings.Contains(err.Error(), c.wants) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.wants)
		}
	}
}

func TestCropSizesAndLimit(t *testing.T) {
	cfg := Config{CropFractions: []float64{0.01, 0.25, 0.26, 1, 2}, TracesPerClass: 3}
	if got := cfg.CropSizes(32); !slices.Equal(got, []int{1, 8, 32}) {
		t.Errorf("crop sizes %v, want [1 8 32] (at least 1, deduplicated, at most the side)", got)
	}
	orig, _, _ := data(10)
	if n := cfg.Limit(orig).Len(); n != 12 {
		t.Errorf("limit 3 per class of 4 classes kept %d rows", n)
	}
}

// TestLegacyNames: a configuration stored with the former names (Name "quick", classifier "cnn-quick")
// reads as CPUConfig's, Factory takes the former classifier name, and today's names are written.
func TestLegacyNames(t *testing.T) {
	legacy := `{"Name":"quick","Classifiers":["cnn-quick","gbt","mlp","nb","rf"],"CNN":"cnn-quick","Seeds":[1,2]}`
	var c Config
	if err := json.Unmarshal([]byte(legacy), &c); err != nil {
		t.Fatal(err)
	}
	if c.Name != CPUName || c.CNN != CNN2 || c.Classifiers[0] != CNN2 || c.Classifiers[1] != GBT {
		t.Errorf("legacy configuration reads as %+v", c)
	}
	b, _ := json.Marshal(CPUConfig())
	if strings.Contains(string(b), "quick") {
		t.Errorf("CPUConfig writes a former name: %s", b)
	}
	if _, err := CPUConfig().Factory(LegacyCNN2, nil, InputShape{Height: 8, Width: 8, Channels: 1}); err == nil || !strings.Contains(err.Error(), "backend") {
		t.Errorf("Factory(%s) without a backend: %v, want the network's backend error (the name known)", LegacyCNN2, err)
	}
	if _, err := CPUConfig().Factory("cnn-fast", nil, InputShape{}); err == nil || !strings.Contains(err.Error(), "unknown classifier") {
		t.Errorf("Factory(cnn-fast): %v, want unknown classifier", err)
	}
}
