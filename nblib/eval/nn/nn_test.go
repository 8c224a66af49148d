package nn

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend"
	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/internal/synthdata"
	"github.com/netdiffus/netdiffus/nblib/eval/metrics"
	"gonum.org/v1/gonum/mat"
)

func goBackend(t *testing.T) compute.Backend {
	t.Helper()
	b, err := compute.NewWithConfig("go")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func accuracyOf(t *testing.T, c classify.Classifier, x *mat.Dense, y []int) float64 {
	t.Helper()
	p, err := classify.Predict(c, x)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := metrics.Accuracy(y, p)
	return a
}

// Each network must learn a 3-class 8x8 GASF problem well above chance (1/3) on the pure Go backend:
// the classes differ in frequency and are easy at noise 0.05, so 0.6 leaves a wide margin for the
// short training while still failing a network that does not learn.
func TestNetworksLearnOnGoBackend(t *testing.T) {
	backend := goBackend(t)
	xtr, ytr := synthdata.Images(1, 3, 40, 8, 0.05)
	xte, yte := synthdata.Images(2, 3, 20, 8, 0.05)
	series, sy := synthdata.Series(1, 3, 40, 16, 0.05)
	seriesTest, syte := synthdata.Series(2, 3, 20, 16, 0.05)
	cases := []struct {
		name   string
		nw     *Network
		x, xt  *mat.Dense
		y, yt  []int
		minAcc float64
	}{
		{"mlp", &Network{Arch: MLP, Height: 8, Width: 8, Channels: 1, Epochs: 15, LearningRate: 3e-3}, xtr, xte, ytr, yte, 0.6},
		{"cnn-quick", &Network{Arch: CNNQuick, Height: 8, Width: 8, Channels: 1, Epochs: 8, LearningRate: 3e-3}, xtr, xte, ytr, yte, 0.6},
		{"cnn-quick-1d", &Network{Arch: CNNQuick, Height: 1, Width: 16, Channels: 1, Conv1D: true, Epochs: 15, LearningRate: 3e-3}, series, seriesTest, sy, syte, 0.6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.nw.Backend, c.nw.Seed = backend, 1
			var losses []float64
			c.nw.Progress = func(_, _ int, l float64) { losses = append(losses, l) }
			if err := c.nw.Fit(c.x, c.y); err != nil {
				t.Fatal(err)
			}
			acc := accuracyOf(t, c.nw, c.xt, c.yt)
			t.Logf("accuracy %.3f, loss %.3f -> %.3f", acc, losses[0], losses[len(losses)-1])
			if acc < c.minAcc {
				t.Errorf("accuracy %.3f < %.2f", acc, c.minAcc)
			}
			if !(losses[len(losses)-1] < losses[0]) {
				t.Errorf("training loss did not fall: %v", losses)
			}
		})
	}
}

// The authors' CNN needs at least 16x16 inputs (four 2x2 pools); one epoch checks the graph builds,
// trains and returns normalised probabilities.
func TestCNN8BuildsAndPredicts(t *testing.T) {
	if testing.Short() {
		t.Skip("CNN8 on the Go backend takes several seconds")
	}
	x, y := synthdata.Images(3, 2, 8, 16, 0.1)
	nw := &Network{Backend: goBackend(t), Arch: CNN8, Height: 16, Width: 16, Channels: 1, Epochs: 1, BatchSize: 8}
	if err := nw.Fit(x, y); err != nil {
		t.Fatal(err)
	}
	p, err := nw.PredictProba(x)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 16 {
		// float32 softmax: rows sum to 1 within a few ulps of float32.
		if s := mat.Sum(p.RowView(i)); math.Abs(s-1) > 1e-5 {
			t.Errorf("row %d sums to %g", i, s)
		}
	}
}

func TestNetworkErrors(t *testing.T) {
	x := mat.NewDense(2, 4, nil)
	cases := []struct {
		nw   *Network
		want string
	}{
		{&Network{Height: 2, Width: 2, Channels: 1}, "Backend is nil"},
		{&Network{Backend: goBackend(t), Height: 3, Width: 2, Channels: 1}, "rows have 4 values, want 3x2x1 = 6"},
	}
	for _, c := range cases {
		if err := c.nw.Fit(x, []int{0, 1}); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	if _, err := (&Network{}).PredictProba(x); err == nil {
		t.Error("predict before fit accepted")
	}
}

// The learned encoder must be deterministic for a seed and must see a distribution shift: FID between
// two samples of the same generator must be well below FID against a noisier generator.
func TestEncoderFeatures(t *testing.T) {
	backend := goBackend(t)
	x, y := synthdata.Images(1, 3, 40, 8, 0.05)
	real := features.Images{Height: 8, Width: 8, Channels: 1, Pixels: x}
	same, _ := synthdata.Images(2, 3, 40, 8, 0.05)
	noisy, _ := synthdata.Images(3, 3, 40, 8, 0.3)
	var feats []*mat.Dense
	for range 2 {
		enc, err := TrainEncoder(NewEncoderNetwork(backend, 7), real, y)
		if err != nil {
			t.Fatal(err)
		}
		f, err := enc.Extract(real)
		if err != nil {
			t.Fatal(err)
		}
		feats = append(feats, f)
		if enc.Name() != "encoder-cnn-quick" {
			t.Errorf("name %s", enc.Name())
		}
		if len(feats) == 1 {
			fs, _ := enc.Extract(features.Images{Height: 8, Width: 8, Channels: 1, Pixels: same})
			fn, _ := enc.Extract(features.Images{Height: 8, Width: 8, Channels: 1, Pixels: noisy})
			dSame, err1 := fid.Frechet(f, fs)
			dNoisy, err2 := fid.Frechet(f, fn)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			t.Logf("FID same generator %.4f, noisy generator %.4f", dSame, dNoisy)
			if !(dNoisy > 2*dSame) {
				t.Errorf("encoder FID does not separate: same %g, noisy %g", dSame, dNoisy)
			}
		}
	}
	if !mat.Equal(feats[0], feats[1]) {
		t.Error("encoder features differ between two trainings with the same seed")
	}
}
