package interactive_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/plots/interactive"
)

// An accuracy chart with error bars: classifiers on the x axis, one bar per scenario. In a notebook
// interactive.Show(c) displays it and writes out/figures/<name>.html; Save writes the page anywhere.
func ExampleAccuracyBars() {
	c, err := interactive.AccuracyBars("accuracy", "Accuracy on held-out traces", "accuracy",
		[]string{"CNN", "random forest"},
		interactive.Bars{Name: "original", Mean: []float64{0.83, 0.80}, Std: []float64{0.02, 0.01}},
		interactive.Bars{Name: "synth", Mean: []float64{0.55, 0.41}, Std: []float64{0.05, 0.03}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Name, c.Width, c.Height)
	// Output: accuracy 720 400
}

// A live training view: fed from a trainer's progress hook, it redraws one notebook output at most
// every Interval; outside a notebook it does nothing.
func ExampleTrainingView() {
	view := interactive.NewTrainingView("tiny U-Net")
	for step := int64(10); step <= 100; step += 10 {
		view.Update(interactive.TrainingProgress{Step: step, TotalSteps: 100, Loss: 1 / float64(step)})
	}
	if err := view.Done(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	fmt.Println("updates sent outside a notebook:", view.Updates())
	// Output: updates sent outside a notebook: 0
}

// ExampleSwitch draws one view per value of a slider; the page switches between them, so the cell that
// displays the block (interactive.DisplayBlock) ends at once.
func ExampleSwitch() {
	gammas := []string{"0.25", "1"}
	block, err := interactive.Switch("demo", []interactive.Control{{Label: "gamma", Values: gammas, Slider: true}},
		func(choice []int) ([]*interactive.Chart, error) {
			c, err := interactive.Lines("demo_"+gammas[choice[0]], "gamma "+gammas[choice[0]], "step", "loss (MSE)", false,
				interactive.XY{Name: "loss", Y: []float64{1, 0.5}})
			return []*interactive.Chart{c}, err
		})
	if err != nil {
		panic(err)
	}
	fmt.Println(strings.SplitN(block.Text, "\n", 2)[0])
	// Output: [interactive view] demo: gamma in {0.25, 1}, starting at 0.25 (the controls need a trusted notebook); at the start:
}
