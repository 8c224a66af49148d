package unet

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
)

// goldenLossesPath holds the losses and gradient norms of fixed-seed runs recorded from the
// training-step graph before the speed work of issue 21 (commit b1fd098: GoMLX's own SiLU and
// softmax gradients, the clipping norm and EMA blend per variable). Regenerate only on purpose, from
// a commit whose graph is the reference:
//
//	UNET_GOLDEN_UPDATE=1 go test ./nblib/diffusion/unet -run TestStepLossesMatchGolden
const goldenLossesPath = "testdata/step_losses_golden.json"

// goldenRun is one fixed-seed run: a configuration trained for Steps steps on fixedBatch(cfg, step).
type goldenRun struct {
	Name  string
	cfg   Config
	back  func(testing.TB) compute.Backend
	Steps int
}

// smokeNet is the smoke preset's network and training settings (preset.SmokePreset, which this
// package cannot import) with 3 classes so that labels and label dropout are exercised.
func smokeNet() Config {
	c := model32(3)
	c.Name = "smoke"
	c.Net.Size, c.Net.ModelChannels, c.Net.NormGroups = 16, 16, 8
	c.Net.AttentionResolutions = []int{8}
	c.Train.LearningRate = 1e-3
	c.Train.Prediction = diffusion.PredictV
	return c
}

func goldenRuns() []goldenRun {
	ort := func(t testing.TB) compute.Backend { return ortBackend(t) }
	return []goldenRun{
		{Name: "smoke-onnx", cfg: smokeNet(), back: ort, Steps: 8},
		{Name: "tiny-go", cfg: tiny(), back: goBackend, Steps: 5},
	}
}

// TestStepLossesMatchGolden checks that the training step still computes what it computed before
// it was made faster: the same fixed-seed runs give the recorded losses and gradient norms within
// relative 2e-3 per step. A rewritten graph may round differently in float32 (~1e-7 relative for the
// hand-written SiLU gradient, growing through 8 Adam updates); a changed formula moves them by far
// more: with SiLU's gradient missing its y s term, the smoke run's later steps fail (the first step
// does not see it: the zero-initialised convolutions after each SiLU block every gradient but their
// own kernels' at step 1, which is why the runs take several steps).
func TestStepLossesMatchGolden(t *testing.T) {
	const tol = 2e-3
	golden := map[string][]StepResult{}
	update := os.Getenv("UNET_GOLDEN_UPDATE") != ""
	if !update {
		data, err := os.ReadFile(goldenLossesPath)
		if err != nil {
			t.Fatalf("reading %s: %v", goldenLossesPath, err)
		}
		if err := json.Unmarshal(data, &golden); err != nil {
			t.Fatalf("%s: %v", goldenLossesPath, err)
		}
	}
	got := map[string][]StepResult{}
	for _, run := range goldenRuns() {
		t.Run(run.Name, func(t *testing.T) {
			tr, err := New(run.back(t), run.cfg)
			if err != nil {
				t.Fatal(err)
			}
			for s := range run.Steps {
				x, labels := fixedBatch(run.cfg, uint64(s+1))
				r, err := tr.TrainStep(x, labels)
				if err != nil {
					t.Fatal(err)
				}
				got[run.Name] = append(got[run.Name], r)
			}
			if update {
				return
			}
			want, ok := golden[run.Name]
			if !ok || len(want) != run.Steps {
				t.Fatalf("%s has no %d-step record for %s", goldenLossesPath, run.Steps, run.Name)
			}
			for s, w := range want {
				g := got[run.Name][s]
				rl, rg := relDiff(g.Loss, w.Loss), relDiff(g.GradNorm, w.GradNorm)
				t.Logf("step %d: loss %.6f (golden %.6f, rel %.1e), grad norm %.5f (golden %.5f, rel %.1e)",
					s+1, g.Loss, w.Loss, rl, g.GradNorm, w.GradNorm, rg)
				if rl > tol || rg > tol {
					t.Errorf("step %d: loss %.6f grad norm %.5f, the old graph gave %.6f and %.5f (tolerance %g relative)",
						s+1, g.Loss, g.GradNorm, w.Loss, w.GradNorm, tol)
				}
			}
		})
	}
	if update {
		data, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Clean(goldenLossesPath), append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Println("wrote", goldenLossesPath)
	}
}

func relDiff(a, b float64) float64 { return math.Abs(a-b) / math.Max(math.Abs(b), 1e-12) }
