package pipeline

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/eval/stats"
)

// TSTRPoints is how many values each trace is averaged down to for the trace classifier.
const TSTRPoints = 64

// TraceTSTR is train-on-synthetic, test-on-real on the traces themselves: a Random Forest on each
// trace averaged down to TSTRPoints values in real units (one scale for all traces: the 99th
// percentile of |value| over the real training traces, so volume stays visible), trained once on the
// real training traces (the floor, TRTR) and once on the synthetic full-length traces, and tested on
// the real test traces; each accuracy has its 95% bootstrap interval over the test traces and the
// difference its paired one. A generator whose traces carry the classes' information scores near the
// floor; the image-side accuracy (Accuracy) says nothing about what the decoded traces keep.
type TraceTSTR struct {
	Classifier  string
	Points      int
	Real, Synth stats.Interval // accuracy (fraction) of the classifier trained on real / on synthetic traces
	Gap         stats.Interval // Synth - Real, paired over the real test traces
}

// traceTSTR trains the trace classifier on the real training and on the synthetic traces and tests
// both on the real test traces.
func traceTSTR(c protocols.Config, train [][]float64, trainY []int, test [][]float64, testY []int, synth [][]float64, synthY []int) (*TraceTSTR, error) {
	scale := traceScale(train)
	xs := make([]*mat.Dense, 3)
	for i, set := range [][][]float64{train, test, synth} {
		x, err := averagedTraces(set, TSTRPoints, scale)
		if err != nil {
			return nil, err
		}
		xs[i] = x
	}
	factory, err := c.Factory(protocols.RF, nil, protocols.SeriesShape(TSTRPoints))
	if err != nil {
		return nil, err
	}
	test1 := protocols.Dataset{X: xs[1], Y: testY}
	real, err := protocols.Evaluate(factory, protocols.Dataset{X: xs[0], Y: trainY}, test1, c.Seeds)
	if err != nil {
		return nil, fmt.Errorf("trace classifier on real traces: %w", err)
	}
	syn, err := protocols.Evaluate(factory, protocols.Dataset{X: xs[2], Y: synthY}, test1, c.Seeds)
	if err != nil {
		return nil, fmt.Errorf("trace classifier on synthetic traces: %w", err)
	}
	return &TraceTSTR{Classifier: protocols.RF, Points: TSTRPoints, Real: stats.BootstrapMean(real.ItemCorrect, 1),
		Synth: stats.BootstrapMean(syn.ItemCorrect, 1), Gap: stats.PairedMeanDiff(syn.ItemCorrect, real.ItemCorrect, 1)}, nil
}

// traceScale is the 99th percentile of |value| over the traces (1 when it is not positive).
func traceScale(traces [][]float64) float64 {
	var all []float64
	for _, t := range traces {
		for _, v := range t {
			all = append(all, math.Abs(v))
		}
	}
	if len(all) == 0 {
		return 1
	}
	slices.Sort(all)
	if q := all[min(len(all)-1, int(0.99*float64(len(all))))]; q > 0 {
		return q
	}
	return 1
}

// averagedTraces averages every trace down to k values (the mean of each of k equal segments, a
// segment of a shorter trace being the value under it) and divides by scale.
func averagedTraces(traces [][]float64, k int, scale float64) (*mat.Dense, error) {
	if len(traces) == 0 {
		return nil, fmt.Errorf("pipeline: no traces to classify")
	}
	x := mat.NewDense(len(traces), k, nil)
	for i, t := range traces {
		if len(t) == 0 {
			return nil, fmt.Errorf("pipeline: trace %d is empty", i)
		}
		row := x.RawRowView(i)
		for j := range row {
			lo := j * len(t) / k
			hi := max(lo+1, (j+1)*len(t)/k)
			var s float64
			for _, v := range t[lo:hi] {
				s += v
			}
			row[j] = s / float64(hi-lo) / scale
		}
	}
	return x, nil
}
