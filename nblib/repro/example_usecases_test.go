package repro_test

import (
	"fmt"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/repro"
)

// A verdict is decided by one rule on paired per-trace outcomes: here 40 test traces, of which the
// first k are classified correctly (acc(k)). On D1-Netflix ori+synth gets 12 more traces right than
// original, an interval above 0; on D3-Google 2 fewer, an interval that contains 0.
func ExampleFig8Verdicts() {
	acc := func(k int) repro.Acc {
		a := repro.Acc{Mean: 100 * float64(k) / 40, Items: make([]float64, 40)}
		for i := range k {
			a.Items[i] = 1
		}
		return a
	}
	step := func(label string, k int) repro.Fig8Step { return repro.Fig8Step{Label: label, Acc: acc(k)} }
	r := &repro.Fig8Result{Curves: []repro.Fig8Curve{
		{Name: "D1-Netflix", Steps: []repro.Fig8Step{step("original", 24), step("synth 2/class", 16), step("synth 8/class", 25), step("ori+synth", 36)}},
		{Name: "D3-Google", Steps: []repro.Fig8Step{step("original", 24), step("synth 2/class", 12), step("synth 8/class", 20), step("ori+synth", 22)}},
	}}
	for _, v := range repro.Fig8Verdicts(r) {
		fmt.Println(strings.SplitN(v, " (mean", 2)[0] + " ...")
	}
	// Output:
	// synth accuracy grows as synthetic images are added (most vs fewest): holds ...
	// synth with the most images reaches the original accuracy (synth - original > -5): cannot tell ...
	// ori+synth > original: cannot tell ...
}

// Every figure and table is an item that `netdiffus repro NAME` runs.
func ExampleItems() {
	for _, it := range repro.Items() {
		fmt.Println(it.Name)
	}
	// Output:
	// fig2
	// fig2b
	// fig2c
	// fig4
	// fig5
	// fig6
	// fig8
	// table1
	// table2
	// table3
}
