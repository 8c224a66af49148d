package trees

import (
	"slices"
	"sort"
)

// binning maps each feature's values to at most maxBins bins: bin(v) = number of cuts < v, so
// "bin <= b" is "v <= cuts[b]" on raw values.
type binning struct {
	cuts [][]float64 // per feature, ascending
}

func newBinning(cols [][]float64, maxBins int) *binning {
	b := &binning{cuts: make([][]float64, len(cols))}
	for j, col := range cols {
		b.cuts[j] = featureCuts(col, maxBins)
	}
	return b
}

// featureCuts returns midpoints between distinct values when there are at most maxBins of them, else
// the values at the i/maxBins quantiles (i = 1..maxBins-1), deduplicated.
func featureCuts(col []float64, maxBins int) []float64 {
	sorted := slices.Clone(col)
	slices.Sort(sorted)
	distinct := slices.Compact(slices.Clone(sorted))
	if len(distinct) <= maxBins {
		cuts := make([]float64, 0, len(distinct)-1)
		for i := 1; i < len(distinct); i++ {
			cuts = append(cuts, distinct[i-1]/2+distinct[i]/2)
		}
		return cuts
	}
	cuts := make([]float64, 0, maxBins-1)
	for q := 1; q < maxBins; q++ {
		v := sorted[q*len(sorted)/maxBins]
		if len(cuts) == 0 || v > cuts[len(cuts)-1] {
			cuts = append(cuts, v)
		}
	}
	if cuts[len(cuts)-1] >= distinct[len(distinct)-1] { // the top cut must leave the maximum on its right
		cuts = cuts[:len(cuts)-1]
	}
	return cuts
}

// binColumns returns the bin indices feature-major: out[j*n+i] for row i, feature j.
func (b *binning) binColumns(cols [][]float64) []uint8 {
	d, n := len(cols), len(cols[0])
	out := make([]uint8, n*d)
	for j, col := range cols {
		cuts := b.cuts[j]
		for i, v := range col {
			out[j*n+i] = uint8(sort.SearchFloat64s(cuts, v)) // first cut >= v = number of cuts < v
		}
	}
	return out
}

func (b *binning) nBins(j int) int { return len(b.cuts[j]) + 1 }
