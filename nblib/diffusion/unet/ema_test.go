package unet

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/gomlx/core/tensors"
)

func TestEMAWarmupFormula(t *testing.T) {
	cases := []struct {
		decay float64
		n     int64
		want  float64
	}{
		{0.995, 1, 2.0 / 11}, {0.995, 2, 3.0 / 12}, {0.995, 100, 101.0 / 110}, {0.995, 1790, 0.995}, {0.995, 100000, 0.995},
		{0.9, 80, 0.9}, {0.9, 70, 71.0 / 80},
	}
	for _, c := range cases {
		if got := EMAWarmup(c.decay, c.n); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("EMAWarmup(%g, %d) = %v, want %v", c.decay, c.n, got, c.want)
		}
	}
	// The initial weights' share after n updates is the product of the decays 2..n.
	if got, want := EMAInitialShare(0.995, 3), (3.0/12)*(4.0/13); math.Abs(got-want) > 1e-15 {
		t.Errorf("EMAInitialShare(0.995, 3) = %v, want %v", got, want)
	}
}

// flatVar returns a copy of the float32 values of the store variable at path.
func flatVar(t *testing.T, tr *Trainer, path string) []float32 {
	t.Helper()
	v := tr.Store().GetVariable(path)
	if v == nil {
		t.Fatalf("no variable %s", path)
	}
	val, err := v.Value()
	if err != nil {
		t.Fatal(err)
	}
	data, err := tensors.CopyFlatData[float32](val)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestEMAWarmupInGraph trains 4 steps and recomputes one weight's EMA on the host from the weights
// after each step: ema_1 = w_1, ema_n = d_n ema_{n-1} + (1 - d_n) w_n with d_n = EMAWarmup(0.9, n).
// Tolerance 1e-6 relative: float32 arithmetic in the graph.
func TestEMAWarmupInGraph(t *testing.T) {
	cfg := tiny()
	tr, err := New(goBackend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	x, labels := fixedBatch(cfg, 5)
	var path string
	var ema []float64
	for n := int64(1); n <= 4; n++ {
		if _, err := tr.TrainStep(x, labels); err != nil {
			t.Fatal(err)
		}
		if path == "" {
			for v := range tr.Store().IterVariables() {
				if strings.HasPrefix(v.Path(), netScope+"/") && v.Trainable && v.Shape().Size() > 8 {
					path = v.Path()
					break
				}
			}
		}
		w := flatVar(t, tr, path)
		if ema == nil {
			ema = make([]float64, len(w))
		}
		d := EMAWarmup(cfg.Train.EMADecay, n)
		for i, wi := range w {
			if n == 1 {
				ema[i] = float64(wi)
			} else {
				ema[i] = d*ema[i] + (1-d)*float64(wi)
			}
		}
		got := flatVar(t, tr, emaScope+path)
		for i := range got {
			if math.Abs(float64(got[i])-ema[i]) > 1e-6*math.Max(1, math.Abs(ema[i])) {
				t.Fatalf("step %d, %s[%d]: EMA %v, host recomputation %v", n, path, i, got[i], ema[i])
			}
		}
	}
}

// TestSamplingWarning: EMA weights before the EMA horizon and raw weights by choice are warned
// about; EMA weights after the horizon are not.
func TestSamplingWarning(t *testing.T) {
	cfg := tiny() // EMADecay 0.9: horizon 10 steps
	tr, err := New(goBackend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	x, labels := fixedBatch(cfg, 5)
	if _, err := tr.TrainStep(x, labels); err != nil {
		t.Fatal(err)
	}
	_, warn, err := tr.DenoiserWithWarning(true)
	if err != nil || !strings.Contains(warn, "horizon of 10 steps") {
		t.Errorf("after 1 step: warning %q, error %v; want the horizon named", warn, err)
	}
	if w := tr.SamplingWarning(false); !strings.Contains(w, "raw weights") {
		t.Errorf("raw weights: warning %q", w)
	}
	tr.step = 10 // the warning depends on the step count only
	if w := tr.SamplingWarning(true); w != "" {
		t.Errorf("after the horizon: warning %q, want none", w)
	}
}
