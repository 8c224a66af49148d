package baselines

import (
	"fmt"
	"math"

	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Series are labelled series of one length, as the GASF pipeline takes them.
type Series = protocols.Traces

// SeriesOf extracts ds's default feature from every trace, with the class labels.
func SeriesOf(ds *traffic.Dataset) (Series, error) {
	x, err := ds.Series(ds.Default)
	if err != nil {
		return Series{}, fmt.Errorf("baselines: dataset %s: %w", ds.Name, err)
	}
	return Series{Series: x, Y: ds.Labels()}, nil
}

// SplitReal splits ds as the NetDiffus experiment does (traffic.SplitPerClass, the first trainFraction
// of each class in dataset order for training) and returns the two parts.
func SplitReal(ds *traffic.Dataset, trainFraction float64, seed uint64) (train, test *traffic.Dataset) {
	s := traffic.SplitPerClass(ds.Labels(), trainFraction, traffic.FirstInOrder, seed)
	return ds.Subset(s.Train), ds.Subset(s.Test)
}

// DiversityResult compares the spread of generated series with the real ones, per class.
type DiversityResult struct {
	RealMPD, GenMPD []float64 // mean pairwise L2 distance per class (-1: fewer than 2 series)
	Ratio           []float64 // GenMPD / RealMPD per class (-1: undefined, e.g. no real spread)
	Mean            float64   // mean Ratio over classes where it is defined: 1 matches the real spread, 0 is collapse
}

// Diversity is the mean pairwise Euclidean distance of the generated series of each class relative
// to that of the real series of the class, each series first min-max scaled to [0, 1] as the GASF
// sees it (a constant series becomes zeros). A generator that emits one series per class scores 0.
func Diversity(real, gen Series, numClasses int) (DiversityResult, error) {
	r, err := protocols.NormalisedSeries(real.Series)
	if err != nil {
		return DiversityResult{}, fmt.Errorf("baselines: real series: %w", err)
	}
	g, err := protocols.NormalisedSeries(gen.Series)
	if err != nil {
		return DiversityResult{}, fmt.Errorf("baselines: generated series: %w", err)
	}
	if len(real.Y) != len(real.Series) || len(gen.Y) != len(gen.Series) {
		return DiversityResult{}, fmt.Errorf("baselines: %d real series with %d labels, %d generated with %d", len(real.Series), len(real.Y), len(gen.Series), len(gen.Y))
	}
	out := DiversityResult{RealMPD: make([]float64, numClasses), GenMPD: make([]float64, numClasses), Ratio: make([]float64, numClasses)}
	var sum float64
	var n int
	for c := range numClasses {
		out.RealMPD[c] = meanPairwise(r.RawMatrix().Data, r.RawMatrix().Cols, real.Y, c)
		out.GenMPD[c] = meanPairwise(g.RawMatrix().Data, g.RawMatrix().Cols, gen.Y, c)
		out.Ratio[c] = -1
		if out.RealMPD[c] > 0 && out.GenMPD[c] >= 0 {
			out.Ratio[c] = out.GenMPD[c] / out.RealMPD[c]
			sum += out.Ratio[c]
			n++
		}
	}
	if n == 0 {
		return out, fmt.Errorf("baselines: diversity undefined: no class has two real and two generated series with spread")
	}
	out.Mean = sum / float64(n)
	return out, nil
}

// meanPairwise is the mean L2 distance over pairs of rows of class c (-1 below two rows).
func meanPairwise(data []float64, cols int, y []int, c int) float64 {
	var rows []int
	for i, l := range y {
		if l == c {
			rows = append(rows, i)
		}
	}
	if len(rows) < 2 {
		return -1
	}
	var sum float64
	for a := range rows {
		ra := data[rows[a]*cols : (rows[a]+1)*cols]
		for b := a + 1; b < len(rows); b++ {
			rb := data[rows[b]*cols : (rows[b]+1)*cols]
			var d float64
			for k := range ra {
				e := ra[k] - rb[k]
				d += e * e
			}
			sum += math.Sqrt(d)
		}
	}
	return sum / float64(len(rows)*(len(rows)-1)/2)
}
