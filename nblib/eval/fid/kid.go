package fid

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// KID returns the unbiased squared MMD between the rows of a (m x d) and b (n x d) with the cubic
// polynomial kernel (x.y/d + 1)^3; see the package documentation. Both sets need at least [MinSamples]
// rows.
func KID(a, b *mat.Dense) (float64, error) {
	if err := checkPair(a, b, "a", "b"); err != nil {
		return 0, err
	}
	return kidUnchecked(a, b), nil
}

func kidUnchecked(a, b *mat.Dense) float64 {
	m, d := a.Dims()
	n, _ := b.Dims()
	kxx := offDiagonalSum(kernel(a, a, d))
	kyy := offDiagonalSum(kernel(b, b, d))
	kxy := mat.Sum(kernel(a, b, d))
	return kxx/float64(m*(m-1)) + kyy/float64(n*(n-1)) - 2*kxy/float64(m*n)
}

// kernel returns (x y^T / d + 1)^3 elementwise.
func kernel(x, y *mat.Dense, d int) *mat.Dense {
	var k mat.Dense
	k.Mul(x, y.T())
	k.Apply(func(_, _ int, v float64) float64 {
		t := v/float64(d) + 1
		return t * t * t
	}, &k)
	return &k
}

func offDiagonalSum(k *mat.Dense) float64 {
	n, _ := k.Dims()
	s := mat.Sum(k)
	for i := range n {
		s -= k.At(i, i)
	}
	return s
}

// KIDSubsets estimates KID the way torch-fidelity and clean-fid do for large sets: the mean and standard
// deviation of [KID] over the given number of random subsets of size rows drawn without replacement from
// each set (size is reduced to the smaller set's row count when larger). rng makes it reproducible.
func KIDSubsets(a, b *mat.Dense, subsets, size int, rng *rand.Rand) (mean, std float64, err error) {
	if err := checkPair(a, b, "a", "b"); err != nil {
		return 0, 0, err
	}
	if subsets < 1 {
		return 0, 0, fmt.Errorf("fid: KIDSubsets needs at least one subset, got %d", subsets)
	}
	na, _ := a.Dims()
	nb, _ := b.Dims()
	size = min(size, na, nb)
	if size < MinSamples {
		return 0, 0, fmt.Errorf("fid: KIDSubsets subset size %d is below %d", size, MinSamples)
	}
	vals := make([]float64, subsets)
	for s := range vals {
		vals[s] = kidUnchecked(sampleRows(a, size, rng), sampleRows(b, size, rng))
	}
	mean, std = meanStd(vals)
	return mean, std, nil
}

func sampleRows(x *mat.Dense, k int, rng *rand.Rand) *mat.Dense {
	n, d := x.Dims()
	perm := rng.Perm(n)[:k]
	out := mat.NewDense(k, d, nil)
	for i, r := range perm {
		out.SetRow(i, x.RawRowView(r))
	}
	return out
}

// meanStd returns the mean and the population standard deviation (divisor n).
func meanStd(v []float64) (mean, std float64) {
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	for _, x := range v {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(v)))
}
