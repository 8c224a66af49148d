package protocols

import (
	"fmt"
	"math/rand/v2"

	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/metrics"
	"gonum.org/v1/gonum/mat"
)

// Dataset is a labelled feature matrix: row i has label Y[i] in [0, K).
type Dataset struct {
	X *mat.Dense
	Y []int
}

// Len returns the number of rows.
func (d Dataset) Len() int { return len(d.Y) }

func (d Dataset) check(name string) error {
	if d.X == nil || d.X.IsEmpty() || len(d.Y) == 0 {
		return fmt.Errorf("protocols: %s set is empty", name)
	}
	if n, _ := d.X.Dims(); n != len(d.Y) {
		return fmt.Errorf("protocols: %s set has %d rows but %d labels", name, n, len(d.Y))
	}
	return nil
}

// Result is the score of one training configuration over several seeds.
type Result struct {
	PerSeed         []metrics.Scores // one entry per seed, in the order given
	AccMean, AccStd float64          // accuracy: mean and sample standard deviation over seeds
	F1Mean, F1Std   float64          // macro-F1: mean and sample standard deviation over seeds
	TrainRows       int              // training rows used
	Classes         int              // K, the number of classes trained on
	// ItemCorrect is, per test row in order, the share of seeds whose classifier got it right: the
	// per-trace outcome that paired intervals (nblib/eval/stats) resample.
	ItemCorrect []float64
}

// Evaluate trains newClassifier(seed) on train for each seed and scores it on test. Test labels must
// lie in the classes seen in training.
func Evaluate(newClassifier classify.Factory, train, test Dataset, seeds []uint64) (Result, error) {
	if err := train.check("training"); err != nil {
		return Result{}, err
	}
	if err := test.check("test"); err != nil {
		return Result{}, err
	}
	if len(seeds) == 0 {
		return Result{}, fmt.Errorf("protocols: no seeds given")
	}
	k, err := classify.CheckTraining(train.X, train.Y)
	if err != nil {
		return Result{}, err
	}
	for i, l := range test.Y {
		if l < 0 || l >= k {
			return Result{}, fmt.Errorf("protocols: test row %d has label %d, but training has classes 0..%d", i, l, k-1)
		}
	}
	res := Result{TrainRows: train.Len(), Classes: k, ItemCorrect: make([]float64, test.Len())}
	var accs, f1s []float64
	for _, seed := range seeds {
		c := newClassifier(seed)
		if err := c.Fit(train.X, train.Y); err != nil {
			return Result{}, fmt.Errorf("seed %d: %w", seed, err)
		}
		pred, err := classify.Predict(c, test.X)
		if err != nil {
			return Result{}, fmt.Errorf("seed %d: %w", seed, err)
		}
		s, err := metrics.Score(test.Y, pred, k)
		if err != nil {
			return Result{}, err
		}
		for i, p := range pred {
			if p == test.Y[i] {
				res.ItemCorrect[i] += 1 / float64(len(seeds))
			}
		}
		res.PerSeed = append(res.PerSeed, s)
		accs, f1s = append(accs, s.Accuracy), append(f1s, s.MacroF1)
	}
	res.AccMean, res.AccStd = metrics.MeanStd(accs)
	res.F1Mean, res.F1Std = metrics.MeanStd(f1s)
	return res, nil
}

// Scenario names a training set of the paper.
type Scenario string

// The paper's three scenarios.
const (
	Original      Scenario = "original"
	Synthetic     Scenario = "synth"
	OriginalSynth Scenario = "ori+synth"
)

// Scenarios evaluates training on the original rows, the synthetic rows, and both, always testing on
// held-out real rows.
func Scenarios(newClassifier classify.Factory, original, synth, test Dataset, seeds []uint64) (map[Scenario]Result, error) {
	both, err := Concat(original, synth)
	if err != nil {
		return nil, err
	}
	out := map[Scenario]Result{}
	for s, train := range map[Scenario]Dataset{Original: original, Synthetic: synth, OriginalSynth: both} {
		r, err := Evaluate(newClassifier, train, test, seeds)
		if err != nil {
			return nil, fmt.Errorf("scenario %s: %w", s, err)
		}
		out[s] = r
	}
	return out, nil
}

// Concat stacks two datasets with the same number of features.
func Concat(a, b Dataset) (Dataset, error) {
	if err := a.check("first"); err != nil {
		return Dataset{}, err
	}
	if err := b.check("second"); err != nil {
		return Dataset{}, err
	}
	na, da := a.X.Dims()
	nb, db := b.X.Dims()
	if da != db {
		return Dataset{}, fmt.Errorf("protocols: cannot stack sets with %d and %d features (same extractor and image size?)", da, db)
	}
	x := mat.NewDense(na+nb, da, nil)
	x.Slice(0, na, 0, da).(*mat.Dense).Copy(a.X)
	x.Slice(na, na+nb, 0, da).(*mat.Dense).Copy(b.X)
	y := append(append([]int{}, a.Y...), b.Y...)
	return Dataset{X: x, Y: y}, nil
}

// Subset returns the given rows.
func (d Dataset) Subset(rows []int) Dataset {
	_, c := d.X.Dims()
	x := mat.NewDense(len(rows), c, nil)
	y := make([]int, len(rows))
	for i, r := range rows {
		x.SetRow(i, d.X.RawRowView(r))
		y[i] = d.Y[r]
	}
	return Dataset{X: x, Y: y}
}

// PerClassRows returns, for each class label, its rows in order.
func (d Dataset) PerClassRows() map[int][]int {
	out := map[int][]int{}
	for i, l := range d.Y {
		out[l] = append(out[l], i)
	}
	return out
}

// FirstPerClass keeps the first m rows of every class (all of a class with fewer).
func (d Dataset) FirstPerClass(m int) Dataset {
	var rows []int
	seen := map[int]int{}
	for i, l := range d.Y {
		if seen[l] < m {
			seen[l]++
			rows = append(rows, i)
		}
	}
	return d.Subset(rows)
}

// FractionPerClass keeps a seeded random fraction of every class's rows (at least one per class).
func (d Dataset) FractionPerClass(fraction float64, seed uint64) Dataset {
	return d.Subset(fractionRows(d.Y, fraction, seed))
}

// fractionRows picks the rows FractionPerClass keeps; they depend only on the labels, so two datasets
// with the same labels (series and their images) get the same rows.
func fractionRows(y []int, fraction float64, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0xf7ac))
	var rows []int
	byClass := Dataset{Y: y}.PerClassRows()
	for _, c := range classesOf(y) {
		idx := byClass[c]
		keep := max(1, int(fraction*float64(len(idx))+0.5))
		for _, p := range rng.Perm(len(idx))[:min(keep, len(idx))] {
			rows = append(rows, idx[p])
		}
	}
	return rows
}

// classesOf returns 0..max(y) so that iteration order is deterministic.
func classesOf(y []int) []int {
	k := 0
	for _, l := range y {
		k = max(k, l+1)
	}
	out := make([]int, k)
	for i := range out {
		out[i] = i
	}
	return out
}
