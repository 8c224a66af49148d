package features

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/metrics"
	"gonum.org/v1/gonum/mat"
)

// DiscriminativeScore trains newClassifier(seed) to separate real (0) from synthetic (1) rows and
// returns |test accuracy - 1/2|. Both sets are cut to the smaller size, shuffled with seed, and split
// in half for training and testing. Each set needs at least 4 rows.
func DiscriminativeScore(real, synth *mat.Dense, newClassifier classify.Factory, seed uint64) (float64, error) {
	nr, dr := real.Dims()
	ns, ds := synth.Dims()
	if dr != ds {
		return 0, fmt.Errorf("features: real rows have %d features, synthetic %d", dr, ds)
	}
	n := min(nr, ns)
	if n < 4 {
		return 0, fmt.Errorf("features: discriminative score needs at least 4 real and 4 synthetic rows, got %d and %d", nr, ns)
	}
	rng := rand.New(rand.NewPCG(seed, 0xd15c))
	rr, sr := rng.Perm(nr)[:n], rng.Perm(ns)[:n]
	half := n / 2
	xtr, ytr := stackRows(real, rr[:half], synth, sr[:half])
	xte, yte := stackRows(real, rr[half:], synth, sr[half:])
	c := newClassifier(seed)
	if err := c.Fit(xtr, ytr); err != nil {
		return 0, err
	}
	pred, err := classify.Predict(c, xte)
	if err != nil {
		return 0, err
	}
	acc, err := metrics.Accuracy(yte, pred)
	if err != nil {
		return 0, err
	}
	return math.Abs(acc - 0.5), nil
}

// stackRows returns the chosen rows of a (label 0) followed by those of b (label 1).
func stackRows(a *mat.Dense, ia []int, b *mat.Dense, ib []int) (*mat.Dense, []int) {
	_, d := a.Dims()
	x := mat.NewDense(len(ia)+len(ib), d, nil)
	y := make([]int, len(ia)+len(ib))
	for k, r := range ia {
		x.SetRow(k, a.RawRowView(r))
	}
	for k, r := range ib {
		x.SetRow(len(ia)+k, b.RawRowView(r))
		y[len(ia)+k] = 1
	}
	return x, y
}
