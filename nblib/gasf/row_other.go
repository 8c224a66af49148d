//go:build !amd64 || purego

package gasf

// gasfRowQuarter is gasfRowQuarterGo where no assembly version exists (or
// with the purego build tag).
func gasfRowQuarter(ci, si, amp float64, c, s []float64, dst []float32) {
	gasfRowQuarterGo(ci, si, amp, c, s, dst)
}

// accumulateRow is accumulateRowGo.
func accumulateRow(acc, v []float32, beta float32) { accumulateRowGo(acc, v, beta) }
