//go:build amd64 && !purego

package gasf

import "golang.org/x/sys/cpu"

// hasAVX2 selects the 4-lane kernel.
var hasAVX2 = cpu.X86.HasAVX && cpu.X86.HasAVX2

// gasfRowQuarter is gasfRowQuarterGo computed with SSE2 or AVX2 (see
// row_amd64.s); the results are bit identical. len(c), len(s) >= len(dst).
func gasfRowQuarter(ci, si, amp float64, c, s []float64, dst []float32) {
	c, s = c[:len(dst)], s[:len(dst)]
	if m := len(dst) &^ 3; hasAVX2 && m > 0 {
		gasfRowQuarterAVX2(ci, si, amp, c, s, dst[:m])
		c, s, dst = c[m:], s[m:], dst[m:]
	}
	if len(dst) > 0 {
		gasfRowQuarterSSE2(ci, si, amp, c, s, dst)
	}
}

//go:noescape
func gasfRowQuarterSSE2(ci, si, amp float64, c, s []float64, dst []float32)

//go:noescape
func gasfRowQuarterAVX2(ci, si, amp float64, c, s []float64, dst []float32)

// accumulateRow does acc[j] += float32(v[j]*beta), eight lanes at a time
// with AVX2.
func accumulateRow(acc, v []float32, beta float32) {
	v = v[:len(acc)]
	if m := len(acc) &^ 7; hasAVX2 && m > 0 {
		accumulateAVX(acc[:m], v, beta)
		acc, v = acc[m:], v[m:]
	}
	accumulateRowGo(acc, v, beta)
}

//go:noescape
func accumulateAVX(acc, v []float32, beta float32)
