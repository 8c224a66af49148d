package trees

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/internal/synthdata"
	"github.com/netdiffus/netdiffus/nblib/eval/metrics"
	"gonum.org/v1/gonum/mat"
)

func accuracy(t testing.TB, c classify.Classifier, x *mat.Dense, y []int) float64 {
	t.Helper()
	p, err := classify.Predict(c, x)
	if err != nil {
		t.Fatal(err)
	}
	a, err := metrics.Accuracy(y, p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// The issue's target: within 2 accuracy points of scikit-learn / XGBoost on the same data. The
// references were run with seeds 0, 1, 2 (testdata of internal/synthdata); we compare means over the
// same three seeds for the forest (XGBoost without subsampling is deterministic, as is our booster).
func TestAccuracyMatchesPythonReferences(t *testing.T) {
	if testing.Short() {
		t.Skip("fits 3 forests and a 100-round booster (~2 s)")
	}
	ref, _, err := synthdata.ReferenceResults(filepath.Join("..", "internal", "synthdata", "testdata", "classify_ref.txt"))
	if err != nil {
		t.Fatal(err)
	}
	xtr, ytr, xte, yte := synthdata.Reference()
	var rf []float64
	for seed := range uint64(3) {
		f := &RandomForest{Seed: seed}
		if err := f.Fit(xtr, ytr); err != nil {
			t.Fatal(err)
		}
		rf = append(rf, accuracy(t, f, xte, yte))
	}
	g := &GradientBoosting{}
	if err := g.Fit(xtr, ytr); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		ours []float64
	}{{"random_forest", rf}, {"xgboost", []float64{accuracy(t, g, xte, yte)}}} {
		got, _ := metrics.MeanStd(c.ours)
		want, _ := metrics.MeanStd(ref[c.name])
		t.Logf("%s: ours %.4f, reference %.4f", c.name, got, want)
		if got < want-0.02 {
			t.Errorf("%s accuracy %.4f is more than 2 points below the reference %.4f", c.name, got, want)
		}
	}
}

// Closed form: two classes, x = 0,1,2,3, y = 0,0,1,1, one round of depth-1 stumps. At the start
// p = 1/2, so for class 1 g = (1/2, 1/2, -1/2, -1/2), h = 1/2: the split x <= 1.5 gives leaves
// -eta*G/(H+lambda) = -0.3*1/(1+1) = -0.15 (left) and +0.15 (right); class 0's tree is the mirror.
// So P(class 1 | x=0) = 1/(1+e^{0.3}).
func TestBoostingOneStumpClosedForm(t *testing.T) {
	x := mat.NewDense(4, 1, []float64{0, 1, 2, 3})
	g := &GradientBoosting{Rounds: 1, MaxDepth: 1}
	if err := g.Fit(x, []int{0, 0, 1, 1}); err != nil {
		t.Fatal(err)
	}
	p, err := g.PredictProba(mat.NewDense(2, 1, []float64{0, 3}))
	if err != nil {
		t.Fatal(err)
	}
	want := 1 / (1 + math.Exp(0.3))
	if math.Abs(p.At(0, 1)-want) > 1e-12 || math.Abs(p.At(1, 0)-want) > 1e-12 {
		t.Errorf("probabilities %v, want %g for the wrong class", mat.Formatted(p), want)
	}
	if th := g.trees[0][1].nodes[0].threshold; th != 1.5 {
		t.Errorf("threshold %g, want 1.5", th)
	}
}

// The small-node path (sorting) must find the same splits as the histogram path.
func TestBoostingSmallNodePathMatchesHistograms(t *testing.T) {
	xtr, ytr := synthdata.Series(3, 4, 60, 40, 0.2) // series: no duplicated (symmetric) features
	xte, _ := synthdata.Series(4, 4, 20, 40, 0.2)
	var probs []*mat.Dense
	for _, threshold := range []int{0, 1 << 30} {
		smallNode = threshold
		g := &GradientBoosting{Rounds: 10}
		if err := g.Fit(xtr, ytr); err != nil {
			t.Fatal(err)
		}
		p, _ := g.PredictProba(xte)
		probs = append(probs, p)
	}
	smallNode = 64
	// Gradient sums are added in a different order on the two paths: 1e-9 allows for that rounding.
	if !mat.EqualApprox(probs[0], probs[1], 1e-9) {
		t.Error("histogram and sorted split searches disagree")
	}
}

func TestDeterministicAcrossWorkers(t *testing.T) {
	xtr, ytr := synthdata.Images(5, 3, 30, 8, 0.2)
	for _, mk := range []func(w int) classify.Classifier{
		func(w int) classify.Classifier { return &RandomForest{NTrees: 10, Seed: 7, Workers: w} },
		func(w int) classify.Classifier { return &GradientBoosting{Rounds: 5, Workers: w} },
	} {
		var probs []*mat.Dense
		for _, w := range []int{1, 4} {
			c := mk(w)
			if err := c.Fit(xtr, ytr); err != nil {
				t.Fatal(err)
			}
			p, _ := c.PredictProba(xtr)
			probs = append(probs, p)
		}
		if !mat.Equal(probs[0], probs[1]) {
			t.Errorf("%T: results depend on the worker count", mk(1))
		}
	}
}

// A fully grown forest fits separable training data exactly, and each tree's leaves are pure.
func TestForestFitsSeparableData(t *testing.T) {
	x := mat.NewDense(6, 2, []float64{0, 0, 0, 1, 1, 0, 1, 1, 5, 5, 6, 5})
	y := []int{0, 1, 1, 0, 2, 2} // XOR on the first four, a third class far away
	f := &RandomForest{NTrees: 50, MaxFeatures: 2, Seed: 1}
	if err := f.Fit(x, y); err != nil {
		t.Fatal(err)
	}
	if a := accuracy(t, f, x, y); a < 5.0/6 {
		t.Errorf("training accuracy %g on XOR + 1 class", a)
	}
}

func TestBadTrainingData(t *testing.T) {
	good := mat.NewDense(3, 2, []float64{0, 1, 2, 3, 4, 5})
	nan := mat.NewDense(3, 2, []float64{0, 1, 2, math.NaN(), 4, 5})
	cases := []struct {
		name string
		x    *mat.Dense
		y    []int
		want string
	}{
		{"nan", nan, []int{0, 1, 1}, "row 1 feature 1 is NaN"},
		{"empty class", good, []int{0, 2, 2}, "class 1 has no training samples"},
		{"label count", good, []int{0, 1}, "3 training rows but 2 labels"},
		{"negative", good, []int{0, -1, 1}, "negative label"},
	}
	for _, c := range cases {
		for _, clf := range []classify.Classifier{&RandomForest{NTrees: 2}, &GradientBoosting{Rounds: 2}} {
			if err := clf.Fit(c.x, c.y); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%T %s: error %v, want %q", clf, c.name, err, c.want)
			}
		}
	}
	f := &RandomForest{NTrees: 2}
	_ = f.Fit(good, []int{0, 1, 1})
	if _, err := f.PredictProba(mat.NewDense(1, 3, nil)); err == nil || !strings.Contains(err.Error(), "trained on 2 features, got 3") {
		t.Errorf("width mismatch: %v", err)
	}
}

func ExampleGradientBoosting() {
	x := mat.NewDense(6, 1, []float64{0, 1, 2, 10, 11, 12})
	y := []int{0, 0, 0, 1, 1, 1}
	g := &GradientBoosting{Rounds: 10}
	if err := g.Fit(x, y); err != nil {
		panic(err)
	}
	pred, _ := classify.Predict(g, mat.NewDense(2, 1, []float64{1.5, 20}))
	fmt.Println(pred)
	// Output: [0 1]
}

func ExampleRandomForest() {
	x := mat.NewDense(6, 1, []float64{0, 1, 2, 10, 11, 12})
	y := []int{0, 0, 0, 1, 1, 1}
	f := &RandomForest{NTrees: 20, Seed: 1}
	if err := f.Fit(x, y); err != nil {
		panic(err)
	}
	pred, _ := classify.Predict(f, mat.NewDense(2, 1, []float64{1.5, 20}))
	fmt.Println(pred)
	// Output: [0 1]
}

func BenchmarkFit(b *testing.B) {
	xtr, ytr, _, _ := synthdata.Reference()
	for _, c := range []struct {
		name string
		mk   func() classify.Classifier
	}{
		{"RandomForest", func() classify.Classifier { return &RandomForest{} }},
		{"GradientBoosting", func() classify.Classifier { return &GradientBoosting{} }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if err := c.mk().Fit(xtr, ytr); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
