package synth

import (
	"math"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// nearestCentroid is the simple reference classifier of the separability
// checks: series are averaged down to at most 128 points (what a 128x128
// GASF image resized with area interpolation keeps) and scaled to [0,1] by
// their maximum absolute value (as the GASF pipeline does), class centroids come from an 80/20 per-class split
// (seeded shuffle), and each test series takes the class of the closest
// centroid in Euclidean distance. It returns the test accuracy.
func nearestCentroid(series [][]float64, labels []int, nClasses int, seed uint64) float64 {
	x := make([][]float64, len(series))
	for i, s := range series {
		x[i] = maxScale(areaDown(s, 128))
	}
	sp := traffic.SplitPerClass(labels, 0.8, traffic.Shuffled, seed)
	l := len(x[0])
	cent := make([][]float64, nClasses)
	count := make([]float64, nClasses)
	for c := range cent {
		cent[c] = make([]float64, l)
	}
	for _, i := range sp.Train {
		c := labels[i]
		count[c]++
		for j, v := range x[i] {
			cent[c][j] += v
		}
	}
	for c := range cent {
		for j := range cent[c] {
			cent[c][j] /= math.Max(count[c], 1)
		}
	}
	correct := 0
	for _, i := range sp.Test {
		best, bestD := -1, math.Inf(1)
		for c := range cent {
			if count[c] == 0 {
				continue
			}
			d := 0.0
			for j, v := range x[i] {
				d += (v - cent[c][j]) * (v - cent[c][j])
			}
			if d < bestD {
				best, bestD = c, d
			}
		}
		if best == labels[i] {
			correct++
		}
	}
	return float64(correct) / float64(len(sp.Test))
}

func maxScale(s []float64) []float64 {
	m := 0.0
	for _, v := range s {
		m = math.Max(m, math.Abs(v))
	}
	out := make([]float64, len(s))
	for i, v := range s {
		if m > 0 {
			out[i] = v / m
		}
	}
	return out
}

// accuracy runs nearestCentroid on the default feature of ds.
func accuracy(ds *traffic.Dataset, seed uint64) float64 {
	s, err := ds.Series(ds.Default)
	if err != nil {
		panic(err)
	}
	return nearestCentroid(s, ds.Labels(), len(ds.Classes), seed)
}

// areaDown averages s into n equal windows (OpenCV INTER_AREA in 1-D) when
// it is longer than n.
func areaDown(s []float64, n int) []float64 {
	if len(s) <= n {
		return s
	}
	out := make([]float64, n)
	scale := float64(len(s)) / float64(n)
	for i := range out {
		a, b := float64(i)*scale, float64(i+1)*scale
		for j := int(a); float64(j) < b && j < len(s); j++ {
			lo, hi := math.Max(a, float64(j)), math.Min(b, float64(j+1))
			out[i] += s[j] * (hi - lo)
		}
		out[i] /= scale
	}
	return out
}
