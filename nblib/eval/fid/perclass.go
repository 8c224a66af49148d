package fid

import (
	"fmt"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// ClassDistance is the distance between the real and synthetic features of one class.
type ClassDistance struct {
	Class    int     // label
	NReal    int     // real rows used
	NSynth   int     // synthetic rows used
	Distance float64 // Frechet distance (or KID, see PerClass)
}

// PerClassResult holds per-class distances and their mean and population standard deviation, the way the
// paper reports FID.
type PerClassResult struct {
	Classes []ClassDistance
	Mean    float64
	Std     float64
}

// DistanceFunc is a distance between two feature sets, such as [Frechet] or [KID].
type DistanceFunc func(a, b *mat.Dense) (float64, error)

// PerClass computes dist between the real and synthetic rows of every class present in realLabels,
// using the first n rows of each class on both sides (n <= 0 means: as many as the smaller side has,
// so both sides always use the same count, as the paper's protocol requires). Labels must have one entry
// per row. A class with fewer than [MinSamples] rows on either side is an error naming the class.
func PerClass(real *mat.Dense, realLabels []int, synth *mat.Dense, synthLabels []int, n int, dist DistanceFunc) (PerClassResult, error) {
	if err := checkLabels(real, realLabels, "real"); err != nil {
		return PerClassResult{}, err
	}
	if err := checkLabels(synth, synthLabels, "synthetic"); err != nil {
		return PerClassResult{}, err
	}
	var res PerClassResult
	var vals []float64
	for _, c := range sortedUnique(realLabels) {
		r, s := rowsOf(realLabels, c), rowsOf(synthLabels, c)
		k := min(len(r), len(s))
		if n > 0 {
			k = min(k, n)
		}
		if k < MinSamples {
			return PerClassResult{}, fmt.Errorf("fid: class %d has %d real and %d synthetic rows: need at least %d of each (generate more samples for that class)", c, len(r), len(s), MinSamples)
		}
		d, err := dist(pickRows(real, r[:k]), pickRows(synth, s[:k]))
		if err != nil {
			return PerClassResult{}, fmt.Errorf("class %d: %w", c, err)
		}
		res.Classes = append(res.Classes, ClassDistance{Class: c, NReal: k, NSynth: k, Distance: d})
		vals = append(vals, d)
	}
	res.Mean, res.Std = meanStd(vals)
	return res, nil
}

func checkLabels(x *mat.Dense, labels []int, name string) error {
	if x == nil || x.IsEmpty() {
		return fmt.Errorf("fid: %s feature set is empty", name)
	}
	n, _ := x.Dims()
	if n != len(labels) {
		return fmt.Errorf("fid: %s feature set has %d rows but %d labels", name, n, len(labels))
	}
	return nil
}

func sortedUnique(v []int) []int {
	u := slices.Clone(v)
	slices.Sort(u)
	return slices.Compact(u)
}

func rowsOf(labels []int, c int) []int {
	var idx []int
	for i, l := range labels {
		if l == c {
			idx = append(idx, i)
		}
	}
	return idx
}

func pickRows(x *mat.Dense, idx []int) *mat.Dense {
	_, d := x.Dims()
	out := mat.NewDense(len(idx), d, nil)
	for i, r := range idx {
		out.SetRow(i, x.RawRowView(r))
	}
	return out
}
