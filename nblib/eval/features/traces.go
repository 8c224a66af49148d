package features

import (
	"fmt"
	"math"

	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"gonum.org/v1/gonum/mat"
)

// Scored is one trace-fidelity measure of synthetic series with its floor, the same measure between
// the real training and the real test series (what fresh real traces score at these sizes).
type Scored struct {
	Value float64 // real training vs synthetic
	Floor float64 // real training vs real test
}

// String prints the value beside its floor.
func (s Scored) String() string { return fmt.Sprintf("%.4g (floor %.4g)", s.Value, s.Floor) }

// TraceFidelity holds the paper's future-work measures for decoded synthetic series.
type TraceFidelity struct {
	// Marginal is the Wasserstein-1 distance between the values of all series pooled (the marginal
	// distribution of the feature), in the feature's units.
	Marginal Scored
	// Autocorrelation is AutocorrelationDistance over lags 1..MaxLag; constant series (no
	// autocorrelation) are left out and counted in ConstantSeries.
	Autocorrelation Scored
	// Discriminative is DiscriminativeScore on the raw series, |accuracy - 1/2|: 0 when a classifier
	// cannot tell the sets apart. Accuracy is 1/2 + the score (or 1/2 - it, below chance).
	Discriminative Scored
	// ConstantSeries counts the series of (train, test, synth) skipped by the autocorrelation.
	ConstantSeries [3]int
}

// TraceConfig configures MeasureTraces.
type TraceConfig struct {
	MaxLag        int              // autocorrelation lags 1..MaxLag (default 10)
	NewClassifier classify.Factory // the discriminator (default Gaussian naive Bayes)
	Seed          uint64
}

// MeasureTraces compares synthetic series (rows of synth) with real ones: each measure between the
// real training series and synth, and between the real training and real test series for its floor.
// All three sets need the same series length.
func MeasureTraces(train, test, synth *mat.Dense, cfg TraceConfig) (TraceFidelity, error) {
	if cfg.MaxLag == 0 {
		cfg.MaxLag = 10
	}
	if cfg.NewClassifier == nil {
		cfg.NewClassifier = func(uint64) classify.Classifier { return &classify.GaussianNB{} }
	}
	_, d := train.Dims()
	for name, x := range map[string]*mat.Dense{"real test": test, "synthetic": synth} {
		if _, dx := x.Dims(); dx != d {
			return TraceFidelity{}, fmt.Errorf("features: %s series have length %d, real training %d", name, dx, d)
		}
	}
	var res TraceFidelity
	var err error
	pair := func(name string, f func(a, b *mat.Dense) (float64, error)) (Scored, error) {
		v, err := f(train, synth)
		if err != nil {
			return Scored{}, fmt.Errorf("features: %s, real vs synthetic: %w", name, err)
		}
		fl, err := f(train, test)
		if err != nil {
			return Scored{}, fmt.Errorf("features: %s floor, real training vs real test: %w", name, err)
		}
		return Scored{Value: v, Floor: fl}, nil
	}
	if res.Marginal, err = pair("marginal W1", func(a, b *mat.Dense) (float64, error) { return Wasserstein1(a.RawMatrix().Data, b.RawMatrix().Data) }); err != nil {
		return res, err
	}
	acf := map[*mat.Dense][]float64{}
	for i, x := range []*mat.Dense{train, test, synth} {
		if acf[x], res.ConstantSeries[i], err = meanACFSkippingConstant(x, cfg.MaxLag); err != nil {
			return res, fmt.Errorf("features: %s: %w", []string{"real training", "real test", "synthetic"}[i], err)
		}
	}
	if res.Autocorrelation, err = pair("autocorrelation", func(a, b *mat.Dense) (float64, error) { return meanAbsDiff(acf[a], acf[b]), nil }); err != nil {
		return res, err
	}
	res.Discriminative, err = pair("discriminative score", func(a, b *mat.Dense) (float64, error) {
		return DiscriminativeScore(a, b, cfg.NewClassifier, cfg.Seed)
	})
	return res, err
}

// meanACFSkippingConstant is MeanAutocorrelation over the non-constant rows; it returns how many rows
// were constant and an error when all are.
func meanACFSkippingConstant(x *mat.Dense, maxLag int) ([]float64, int, error) {
	n, _ := x.Dims()
	mean := make([]float64, maxLag)
	used, constant := 0, 0
	for i := range n {
		r, err := Autocorrelation(x.RawRowView(i), maxLag)
		if err != nil {
			if isConstant(x.RawRowView(i)) {
				constant++
				continue
			}
			return nil, 0, fmt.Errorf("series %d: %w", i, err)
		}
		for k, v := range r {
			mean[k] += v
		}
		used++
	}
	if used == 0 {
		return nil, constant, fmt.Errorf("all %d series are constant: autocorrelation undefined", n)
	}
	for k := range mean {
		mean[k] /= float64(used)
	}
	return mean, constant, nil
}

func isConstant(x []float64) bool {
	for _, v := range x {
		if v != x[0] && !math.IsNaN(v) {
			return false
		}
	}
	return !math.IsNaN(x[0])
}

func meanAbsDiff(a, b []float64) float64 {
	s := 0.0
	for k := range a {
		s += math.Abs(a[k] - b[k])
	}
	return s / float64(len(a))
}
