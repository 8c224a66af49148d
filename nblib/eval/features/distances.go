package features

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
)

// PixelHistogram returns the fraction of all pixels of the images falling in each of bins equal bins of
// [lo, hi] (hi included in the last bin). A pixel outside [lo, hi] is an error naming image and pixel.
func PixelHistogram(im Images, bins int, lo, hi float64) ([]float64, error) {
	if bins < 1 || !(hi > lo) {
		return nil, fmt.Errorf("features: histogram needs bins >= 1 and hi > lo, got %d bins on [%g, %g]", bins, lo, hi)
	}
	if err := im.Check("histogram input"); err != nil {
		return nil, err
	}
	h := make([]float64, bins)
	var total float64
	for i := range im.Len() {
		for j, v := range im.Pixels.RawRowView(i) {
			if v < lo || v > hi {
				return nil, fmt.Errorf("features: image %d pixel %d = %g outside [%g, %g] (scale images to the histogram range)", i, j, v, lo, hi)
			}
			b := min(int((v-lo)/(hi-lo)*float64(bins)), bins-1)
			h[b]++
			total++
		}
	}
	for b := range h {
		h[b] /= total
	}
	return h, nil
}

// JSD returns the Jensen-Shannon divergence in bits between two histograms of equal length (each
// summing to 1).
func JSD(p, q []float64) (float64, error) {
	if err := checkHistograms(p, q); err != nil {
		return 0, err
	}
	var s float64
	for i := range p {
		m := (p[i] + q[i]) / 2
		s += klTerm(p[i], m)/2 + klTerm(q[i], m)/2
	}
	return max(s, 0), nil
}

func klTerm(p, m float64) float64 {
	if p == 0 {
		return 0
	}
	return p * math.Log2(p/m)
}

// HistogramEMD returns the 1-D earth mover's distance between two histograms over bins of width
// binWidth: sum_b |P_b - Q_b| binWidth, with P, Q the cumulative sums.
func HistogramEMD(p, q []float64, binWidth float64) (float64, error) {
	if err := checkHistograms(p, q); err != nil {
		return 0, err
	}
	var cp, cq, s float64
	for i := range p {
		cp += p[i]
		cq += q[i]
		s += math.Abs(cp - cq)
	}
	return s * binWidth, nil
}

func checkHistograms(p, q []float64) error {
	if len(p) != len(q) || len(p) == 0 {
		return fmt.Errorf("features: histograms have %d and %d bins", len(p), len(q))
	}
	for i := range p {
		if p[i] < 0 || q[i] < 0 || math.IsNaN(p[i]+q[i]) {
			return fmt.Errorf("features: histogram bin %d is negative or NaN (%g, %g)", i, p[i], q[i])
		}
	}
	return nil
}

// Wasserstein1 returns the exact 1-D earth mover's distance between the empirical distributions of two
// samples: the integral of |F_a(x) - F_b(x)| dx.
func Wasserstein1(a, b []float64) (float64, error) {
	if len(a) == 0 || len(b) == 0 {
		return 0, fmt.Errorf("features: Wasserstein1 needs two non-empty samples, got %d and %d values", len(a), len(b))
	}
	for _, s := range [][]float64{a, b} {
		for i, v := range s {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return 0, fmt.Errorf("features: Wasserstein1: value %d is %v", i, v)
			}
		}
	}
	sa, sb := slices.Clone(a), slices.Clone(b)
	slices.Sort(sa)
	slices.Sort(sb)
	all := append(slices.Clone(sa), sb...)
	slices.Sort(all)
	var s float64
	ia, ib := 0, 0
	for k := 0; k < len(all)-1; k++ {
		x := all[k]
		for ia < len(sa) && sa[ia] <= x {
			ia++
		}
		for ib < len(sb) && sb[ib] <= x {
			ib++
		}
		fa, fb := float64(ia)/float64(len(sa)), float64(ib)/float64(len(sb))
		s += math.Abs(fa-fb) * (all[k+1] - x)
	}
	return s, nil
}

// Autocorrelation returns r_1..r_maxLag of one series (see the package doc). A constant series has no
// autocorrelation and is an error.
func Autocorrelation(x []float64, maxLag int) ([]float64, error) {
	if maxLag < 1 || maxLag >= len(x) {
		return nil, fmt.Errorf("features: autocorrelation lag %d needs a series longer than it (length %d)", maxLag, len(x))
	}
	var m float64
	for _, v := range x {
		m += v
	}
	m /= float64(len(x))
	var den float64
	for _, v := range x {
		den += (v - m) * (v - m)
	}
	if den == 0 || math.IsNaN(den) {
		return nil, fmt.Errorf("features: series is constant or has NaN: autocorrelation undefined")
	}
	r := make([]float64, maxLag)
	for k := 1; k <= maxLag; k++ {
		var num float64
		for t := 0; t+k < len(x); t++ {
			num += (x[t] - m) * (x[t+k] - m)
		}
		r[k-1] = num / den
	}
	return r, nil
}

// MeanAutocorrelation averages r_1..r_maxLag over the rows (series) of x.
func MeanAutocorrelation(x *mat.Dense, maxLag int) ([]float64, error) {
	n, _ := x.Dims()
	mean := make([]float64, maxLag)
	for i := range n {
		r, err := Autocorrelation(x.RawRowView(i), maxLag)
		if err != nil {
			return nil, fmt.Errorf("series %d: %w", i, err)
		}
		for k, v := range r {
			mean[k] += v / float64(n)
		}
	}
	return mean, nil
}

// AutocorrelationDistance is the mean absolute difference of the two sets' mean autocorrelations over
// lags 1..maxLag (0 for identical temporal structure, at most 2).
func AutocorrelationDistance(real, synth *mat.Dense, maxLag int) (float64, error) {
	ra, err := MeanAutocorrelation(real, maxLag)
	if err != nil {
		return 0, fmt.Errorf("real %w", err)
	}
	sa, err := MeanAutocorrelation(synth, maxLag)
	if err != nil {
		return 0, fmt.Errorf("synthetic %w", err)
	}
	var s float64
	for k := range ra {
		s += math.Abs(ra[k] - sa[k])
	}
	return s / float64(maxLag), nil
}
