package gasf

import "math"

// gasfRowQuarterGo writes GASF gamma-0.25 values of one row segment:
// dst[j] = float32(amp * sqrt(sqrt((ci*c[j] - si*s[j] + 1) / 2))), the
// same float64 operations as Gamma(Field(...)). It is the reference for the
// assembly version and the fallback on other architectures.
func gasfRowQuarterGo(ci, si, amp float64, c, s []float64, dst []float32) {
	c, s = c[:len(dst)], s[:len(dst)]
	for j := range dst {
		g := float64(ci*c[j]) - float64(si*s[j])
		dst[j] = float32(amp * math.Sqrt(math.Sqrt((g+1)/2)))
	}
}

// accumulateRowGo does acc[j] += float32(v[j]*beta) for j < len(acc).
func accumulateRowGo(acc, v []float32, beta float32) {
	v = v[:len(acc)]
	for j := range acc {
		acc[j] += float32(v[j] * beta)
	}
}
