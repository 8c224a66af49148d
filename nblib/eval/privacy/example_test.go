package privacy_test

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/nblib/eval/privacy"
)

// A "generator" that returns its training points with a little noise is flagged; the audit's warning
// says why in plain words.
func ExampleAudit() {
	rng := rand.New(rand.NewPCG(1, 2))
	draw := func(n int) privacy.Set {
		x := mat.NewDense(n, 8, nil)
		y := make([]int, n)
		for i := range n {
			y[i] = i % 2
			for j := range 8 {
				x.Set(i, j, float64(y[i])+rng.NormFloat64())
			}
		}
		return privacy.Set{X: x, Y: y}
	}
	train, test := draw(40), draw(40)
	copies := mat.DenseCopyOf(train.X)
	copies.Apply(func(_, _ int, v float64) float64 { return v + 0.01*rng.NormFloat64() }, copies)
	r, err := privacy.Audit("points", train, test, privacy.Set{X: copies, Y: train.Y}, privacy.Config{Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println("flagged:", r.Flagged)
	fmt.Printf("DCR ratio below 0.1: %v; near copies %.0f%%\n", r.Pooled.DCRRatio.Estimate < 0.1, 100*r.Pooled.NearCopyShare.Estimate)
	// Output:
	// flagged: true
	// DCR ratio below 0.1: true; near copies 100%
}
