package stats_test

import (
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/eval/stats"
)

// A paired comparison of two classifiers on the same eight test traces (1: correct), decided by the
// one verdict rule: eight traces cannot tell a one-trace difference.
func ExampleDecide() {
	synth := []float64{1, 1, 0, 1, 1, 0, 1, 1}
	original := []float64{1, 0, 0, 1, 1, 0, 1, 1}
	gain := stats.PairedMeanDiff(synth, original, 1).Scale(100)
	v := stats.Decide(stats.Greater(0), gain)
	fmt.Println("synth > original:", v.Outcome)
	fmt.Printf("gain %+.1f points\n", gain.Estimate)
	// Output:
	// synth > original: cannot tell
	// gain +12.5 points
}
