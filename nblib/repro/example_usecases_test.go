package repro_test

import (
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/repro"
)

// A verdict is computed from the numbers: here ori+synth beats original on one dataset of two.
func ExampleFig8Verdicts() {
	step := func(label string, acc float64) repro.Fig8Step {
		return repro.Fig8Step{Label: label, Acc: repro.Acc{Mean: acc}}
	}
	r := &repro.Fig8Result{Curves: []repro.Fig8Curve{
		{Name: "D1-Netflix", Steps: []repro.Fig8Step{step("original", 60), step("synth 2/class", 40), step("synth 8/class", 62), step("ori+synth", 75)}},
		{Name: "D3-Google", Steps: []repro.Fig8Step{step("original", 60), step("synth 2/class", 30), step("synth 8/class", 50), step("ori+synth", 55)}},
	}}
	for _, v := range repro.Fig8Verdicts(r) {
		fmt.Println(v)
	}
	// Output:
	// synth accuracy grows as synthetic images are added (most vs fewest): holds (2 of 2 datasets).
	// synth with the most images reaches the original accuracy (the paper: D1 yes, D3 no): holds partly (1 of 2 datasets).
	// ori+synth >= original: holds partly (1 of 2 datasets).
}

// Every figure and table is an item that `netdiffus repro NAME` runs.
func ExampleItems() {
	for _, it := range repro.Items() {
		fmt.Println(it.Name)
	}
	// Output:
	// fig2
	// fig4
	// fig5
	// fig6
	// fig8
	// table1
	// table2
	// table3
}
