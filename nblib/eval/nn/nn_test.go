package nn

import (
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/internal/synthdata"
	"github.com/netdiffus/netdiffus/nblib/eval/metrics"
	"github.com/netdiffus/netdiffus/nblib/internal/testbackend"
	"gonum.org/v1/gonum/mat"
)

func accuracyOf(t testing.TB, c classify.Classifier, x *mat.Dense, y []int) float64 {
	t.Helper()
	p, err := classify.Predict(c, x)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := metrics.Accuracy(y, p)
	return a
}

const repoRoot = "../../.."

// Each network must learn a 3-class 8x8 GASF problem well above chance (1/3) on the pure Go backend
// and on ONNX Runtime: the classes differ in frequency and are easy at noise 0.05, so 0.6 leaves a
// wide margin for the short training while still failing a network that does not learn.
func TestNetworksLearn(t *testing.T) {
	testbackend.Run(t, repoRoot, testNetworksLearn)
}

func testNetworksLearn(t *testing.T, backend compute.Backend) {
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
		{"cnn2", &Network{Arch: CNN2, Height: 8, Width: 8, Channels: 1, Epochs: 8, LearningRate: 3e-3}, xtr, xte, ytr, yte, 0.6},
		{"cnn2-1d", &Network{Arch: CNN2, Height: 1, Width: 16, Channels: 1, Conv1D: true, Epochs: 15, LearningRate: 3e-3}, series, seriesTest, sy, syte, 0.6},
		{"cnn2-sgdm", &Network{Arch: CNN2, Height: 8, Width: 8, Channels: 1, Epochs: 8, Optimizer: SGDMomentum}, xtr, xte, ytr, yte, 0.6},
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
// trains with its default momentum SGD and returns normalised probabilities, on both backends.
func TestCNN8BuildsAndPredicts(t *testing.T) {
	testbackend.Run(t, repoRoot, testCNN8BuildsAndPredicts)
}

func testCNN8BuildsAndPredicts(t *testing.T, b compute.Backend) {
	x, y := synthdata.Images(3, 2, 8, 16, 0.1)
	nw := &Network{Backend: b, Arch: CNN8, Height: 16, Width: 16, Channels: 1, Epochs: 1, BatchSize: 8}
	if got := nw.EffectiveOptimizer(); got != SGDMomentum {
		t.Errorf("CNN8 default optimizer %v, want the authors' sgd-momentum", got)
	}
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

// With one batch holding every training row, the recalibrated batch-norm averages are exactly that
// batch's statistics, so inference (averages) must reproduce a training-mode forward pass (batch
// statistics) of the same rows. float32 arithmetic through two conv blocks: 1e-5 on probabilities.
func TestBatchNormRecalibration(t *testing.T) {
	testbackend.Run(t, repoRoot, func(t *testing.T, b compute.Backend) {
		x, y := synthdata.Images(5, 3, 8, 8, 0.1)
		nw := &Network{Backend: b, Arch: CNN2, Height: 8, Width: 8, Channels: 1, Epochs: 3, BatchSize: 24, Optimizer: SGDMomentum, Seed: 2}
		if err := nw.Fit(x, y); err != nil {
			t.Fatal(err)
		}
		inference, err := nw.PredictProba(x)
		if err != nil {
			t.Fatal(err)
		}
		store, err := nw.store.Clone() // the training-mode pass updates averages: keep nw's intact
		if err != nil {
			t.Fatal(err)
		}
		exec, err := model.NewExec(b, store, func(scope *model.Scope, in *graph.Node) *graph.Node {
			scope.SetTraining(in.Graph(), true)
			return graph.Softmax(nw.logits(scope, in))
		})
		if err != nil {
			t.Fatal(err)
		}
		training, err := nw.run(exec, x)
		if err != nil {
			t.Fatal(err)
		}
		if d := maxAbsDiff(inference, training); d > 1e-5 {
			t.Errorf("inference and training-mode probabilities differ by %g", d)
		}
	})
}

func maxAbsDiff(a, b *mat.Dense) float64 {
	var d mat.Dense
	d.Sub(a, b)
	return math.Max(mat.Max(&d), -mat.Min(&d))
}

func TestNetworkErrors(t *testing.T) {
	x := mat.NewDense(2, 4, nil)
	cases := []struct {
		nw   *Network
		want string
	}{
		{&Network{Height: 2, Width: 2, Channels: 1}, "Backend is nil"},
		{&Network{Backend: testbackend.Go(t), Height: 3, Width: 2, Channels: 1}, "rows have 4 values, want 3x2x1 = 6"},
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
	backend := testbackend.Go(t)
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
		if enc.Name() != "encoder-cnn2" {
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
