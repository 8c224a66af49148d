package classify

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Classifier is a multi-class classifier on the rows of a matrix.
type Classifier interface {
	// Fit trains on x (n x d) and labels y in [0, K); it returns an error for bad data.
	Fit(x *mat.Dense, y []int) error
	// PredictProba returns an n x K matrix of class probabilities for the rows of x.
	PredictProba(x *mat.Dense) (*mat.Dense, error)
}

// Factory makes a fresh, untrained classifier whose randomness derives from seed, so experiments can
// repeat a fit over several seeds.
type Factory func(seed uint64) Classifier

// Predict returns the most probable class of each row (the lowest index on ties).
func Predict(c Classifier, x *mat.Dense) ([]int, error) {
	p, err := c.PredictProba(x)
	if err != nil {
		return nil, err
	}
	return Argmax(p), nil
}

// Argmax returns the column of the largest entry of each row (the first on ties).
func Argmax(p *mat.Dense) []int {
	n, _ := p.Dims()
	out := make([]int, n)
	for i := range n {
		best := math.Inf(-1)
		for j, v := range p.RawRowView(i) {
			if v > best {
				best, out[i] = v, j
			}
		}
	}
	return out
}

// CheckTraining validates a training set and returns the number of classes K = max(y)+1. It rejects an
// empty set, a label count that differs from the row count, negative labels, a class in [0, K) with no
// samples, and NaN or infinite features (naming the row and column).
func CheckTraining(x *mat.Dense, y []int) (int, error) {
	if x == nil || x.IsEmpty() {
		return 0, fmt.Errorf("classify: empty training set")
	}
	n, _ := x.Dims()
	if n != len(y) {
		return 0, fmt.Errorf("classify: %d training rows but %d labels", n, len(y))
	}
	k := 0
	for i, l := range y {
		if l < 0 {
			return 0, fmt.Errorf("classify: training row %d has negative label %d", i, l)
		}
		k = max(k, l+1)
	}
	counts := make([]int, k)
	for _, l := range y {
		counts[l]++
	}
	for c, cnt := range counts {
		if cnt == 0 {
			return 0, fmt.Errorf("classify: class %d has no training samples (labels must be 0..%d with every class present; relabel or add samples)", c, k-1)
		}
	}
	return k, CheckFinite(x, "training")
}

// CheckFinite returns an error naming the first NaN or infinite entry of x.
func CheckFinite(x *mat.Dense, what string) error {
	n, _ := x.Dims()
	for i := range n {
		for j, v := range x.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("classify: %s row %d feature %d is %v: clean or drop that sample", what, i, j, v)
			}
		}
	}
	return nil
}

// CheckPredict validates rows to predict against the training width d.
func CheckPredict(x *mat.Dense, d int) error {
	if x == nil || x.IsEmpty() {
		return fmt.Errorf("classify: nothing to predict")
	}
	if _, c := x.Dims(); c != d {
		return fmt.Errorf("classify: model trained on %d features, got %d (same extractor and image size?)", d, c)
	}
	return CheckFinite(x, "test")
}
