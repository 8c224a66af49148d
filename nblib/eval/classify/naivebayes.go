package classify

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// GaussianNB is Gaussian Naive Bayes with scikit-learn's variance smoothing; see the package doc.
type GaussianNB struct {
	// VarSmoothing is the fraction of the largest feature variance added to every variance; 0 means
	// scikit-learn's default 1e-9.
	VarSmoothing float64

	logPrior []float64   // K
	mean     [][]float64 // K x d
	variance [][]float64 // K x d, smoothed
}

// Fit estimates priors, means and smoothed variances per class.
func (g *GaussianNB) Fit(x *mat.Dense, y []int) error {
	k, err := CheckTraining(x, y)
	if err != nil {
		return err
	}
	n, d := x.Dims()
	smoothing := g.VarSmoothing
	if smoothing == 0 {
		smoothing = 1e-9
	}
	eps := smoothing * maxColumnVariance(x)
	counts := make([]float64, k)
	g.mean, g.variance = zeros(k, d), zeros(k, d)
	for i := range n {
		counts[y[i]]++
		add(g.mean[y[i]], x.RawRowView(i))
	}
	for c := range k {
		scale(g.mean[c], 1/counts[c])
	}
	for i := range n {
		m, v := g.mean[y[i]], g.variance[y[i]]
		for j, xv := range x.RawRowView(i) {
			v[j] += (xv - m[j]) * (xv - m[j])
		}
	}
	g.logPrior = make([]float64, k)
	for c := range k {
		scale(g.variance[c], 1/counts[c])
		for j := range g.variance[c] {
			g.variance[c][j] += eps
		}
		g.logPrior[c] = math.Log(counts[c] / float64(n))
	}
	return nil
}

// PredictProba returns the softmax of the joint log-likelihoods.
func (g *GaussianNB) PredictProba(x *mat.Dense) (*mat.Dense, error) {
	if g.mean == nil {
		return nil, fmt.Errorf("classify: GaussianNB used before Fit")
	}
	if err := CheckPredict(x, len(g.mean[0])); err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	k := len(g.mean)
	out := mat.NewDense(n, k, nil)
	for i := range n {
		row := out.RawRowView(i)
		for c := range k {
			row[c] = g.jointLogLikelihood(x.RawRowView(i), c)
		}
		SoftmaxInPlace(row)
	}
	return out, nil
}

func (g *GaussianNB) jointLogLikelihood(x []float64, c int) float64 {
	s := g.logPrior[c]
	m, v := g.mean[c], g.variance[c]
	for j, xv := range x {
		diff := xv - m[j]
		s -= 0.5*math.Log(2*math.Pi*v[j]) + 0.5*diff*diff/v[j]
	}
	return s
}

// SoftmaxInPlace replaces logits by probabilities, stably (max subtracted).
func SoftmaxInPlace(v []float64) {
	top := math.Inf(-1)
	for _, x := range v {
		top = max(top, x)
	}
	var sum float64
	for i, x := range v {
		v[i] = math.Exp(x - top)
		sum += v[i]
	}
	for i := range v {
		v[i] /= sum
	}
}

func maxColumnVariance(x *mat.Dense) float64 {
	n, d := x.Dims()
	var best float64
	col := make([]float64, n)
	for j := range d {
		mat.Col(col, j, x)
		var mean, ss float64
		for _, v := range col {
			mean += v
		}
		mean /= float64(n)
		for _, v := range col {
			ss += (v - mean) * (v - mean)
		}
		best = max(best, ss/float64(n))
	}
	return best
}

func zeros(r, c int) [][]float64 {
	out := make([][]float64, r)
	for i := range out {
		out[i] = make([]float64, c)
	}
	return out
}

func add(dst, src []float64) {
	for i, v := range src {
		dst[i] += v
	}
}

func scale(v []float64, s float64) {
	for i := range v {
		v[i] *= s
	}
}
