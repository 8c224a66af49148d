package repro

import (
	"fmt"
	"io"

	"github.com/netdiffus/netdiffus/nblib/eval/stats"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/plots"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Fig8Config is Fig. 8, adding synthetic data step by step: the accuracy of a classifier trained on the
// original images, then on only the first m synthetic images of each class for growing m, then on the
// original and all synthetic images, always tested on the real test images.
type Fig8Config struct {
	Preset        preset.Preset
	Classifier    string
	Datasets      []string
	SynthPerClass []int // m; values above what a class has are capped (and repeats dropped)
}

// Fig8For is Fig. 8's configuration under a preset: smoke D1-Netflix and D3-Google with the Random
// Forest; cpu and full the three D1 platforms and the two D3 devices (the paper's panels) with the
// preset's CNN. The steps are 1, 2, 4 and 8 synthetic images per class on the small data (8 is every
// one: a model draws as many as the class has training images) and 10 to 80 on the full data.
func Fig8For(p preset.Preset) Fig8Config {
	c := Fig8Config{Preset: p, Classifier: p.Downstream.CNN,
		Datasets:      []string{"d1-youtube", "d1-stan", "d1-netflix", "d3-google", "d3-alexa"},
		SynthPerClass: []int{1, 2, 4, 8}}
	switch p.Name {
	case preset.Smoke:
		c.Classifier, c.Datasets = protocols.RF, []string{"d1-netflix", "d3-google"}
	case preset.Full:
		c.SynthPerClass = []int{10, 20, 40, 80}
	}
	return c
}

// Fig8Step is one x position: "original", "synth m/class" or "ori+synth".
type Fig8Step struct {
	Label    string
	PerClass int // synthetic images per class (0 for original)
	Acc
}

// Fig8Curve is one dataset.
type Fig8Curve struct {
	Name  string
	Steps []Fig8Step
}

// Fig8Result holds one curve per dataset.
type Fig8Result struct {
	Classifier string
	Curves     []Fig8Curve
}

// Fig8 runs (or loads) Fig. 8.
func Fig8(c Fig8Config, force bool, log io.Writer) (*Fig8Result, error) {
	if log == nil {
		log = io.Discard
	}
	return Cached("fig8", c, force, func() (*Fig8Result, error) { return fig8(c, log) })
}

func fig8(c Fig8Config, log io.Writer) (*Fig8Result, error) {
	res := &Fig8Result{Classifier: c.Classifier}
	for _, name := range c.Datasets {
		set, err := LoadImageSet(c.Preset, name, false, log)
		if err != nil {
			return nil, err
		}
		curve, err := fig8Curve(c, set)
		if err != nil {
			return nil, fmt.Errorf("fig8 %s: %w", name, err)
		}
		fmt.Fprintf(log, "fig8 %s: %d steps\n", name, len(curve.Steps))
		res.Curves = append(res.Curves, curve)
	}
	return res, nil
}

func fig8Curve(c Fig8Config, set *ImageSet) (Fig8Curve, error) {
	f, err := Classifier{Name: c.Classifier, Sizes: c.Preset.Downstream}.factory(protocols.ImageShape(set.Train.Images.Height))
	if err != nil {
		return Fig8Curve{}, err
	}
	seeds := c.Preset.Downstream.Seeds
	orig, synth, test := set.Train.Dataset(), set.Synth.Dataset(), set.Test.Dataset()
	curve := Fig8Curve{Name: paperName(set.Name)}
	eval := func(label string, m int, train protocols.Dataset) error {
		r, err := protocols.Evaluate(f, train, test, seeds)
		if err != nil {
			return fmt.Errorf("%s: %w", label, err)
		}
		curve.Steps = append(curve.Steps, Fig8Step{Label: label, PerClass: m, Acc: accOf(r)})
		return nil
	}
	if err := eval("original", 0, orig); err != nil {
		return curve, err
	}
	most := 0
	for _, n := range synth.PerClassRows() {
		most = max(most, len(n))
	}
	last := 0
	for _, m := range c.SynthPerClass {
		if m = min(m, most); m <= last {
			continue
		}
		last = m
		if err := eval(fmt.Sprintf("synth %d/class", m), m, synth.FirstPerClass(m)); err != nil {
			return curve, err
		}
	}
	both, err := protocols.Concat(orig, synth)
	if err != nil {
		return curve, err
	}
	return curve, eval("ori+synth", most, both)
}

// paperFig8 is what the paper's text says of Fig. 8 (the curves are not tabulated).
var paperFig8 = map[string]string{
	"D1": "with 160 synthetic images, synth reaches or passes original",
	"D3": "synth drops, grows with more images; ori+synth > original",
}

// Fig8Compare is the notebook's table: per dataset and step, the paper's statement, the reference and
// this run.
func Fig8Compare(this, ref *Fig8Result) (header []string, rows [][]string) {
	header = []string{"data", "step", "paper", "cpu reference", "this run"}
	steps := func(r *Fig8Result) []curvePoint[Fig8Step] {
		if r == nil {
			return nil
		}
		return flatten(r.Curves, func(c Fig8Curve) (string, string, []Fig8Step) { return c.Name, "", c.Steps })
	}
	key := func(s curvePoint[Fig8Step]) string { return s.Curve + "/" + s.Point.Label }
	acc := func(s curvePoint[Fig8Step]) string { return s.Point.Acc.String() }
	for _, c := range pairUp(steps(this), steps(ref), key) {
		r := c.Row()
		paper := "–"
		if r.Index == 0 {
			d, _ := splitName(r.Curve)
			if p, ok := paperFig8[map[string]string{"d1": "D1", "d3": "D3"}[d]]; ok {
				paper = p
			}
		}
		rows = append(rows, []string{r.Curve, r.Point.Label, paper, cell(c.Ref, c.HasRef, false, acc), cell(c.This, c.HasThis, true, acc)})
	}
	return header, rows
}

// Fig8Plot draws accuracy against the step (original, synthetic only with growing m, ori+synth).
func Fig8Plot(r *Fig8Result) (*plot.Plot, error) {
	var series []plots.Series
	for _, c := range r.Curves {
		s := plots.Series{Name: c.Name}
		for i, st := range c.Steps {
			s.X, s.Y = append(s.X, float64(i)), append(s.Y, st.Mean)
		}
		series = append(series, s)
	}
	return plots.Lines("Fig. 8: original, synth with m per class, ori+synth ("+r.Classifier+")",
		"step (0 original, then synth m/class, last ori+synth)", "accuracy (%)", series...)
}

// Fig8Verdicts decides the paper's claims by the one verdict rule, per dataset on the same test traces:
// synth accuracy grows from the fewest to the most synthetic images, synth with the most reaches the
// original accuracy (within 5 points: synth - original > -5), and ori+synth beats original.
func Fig8Verdicts(r *Fig8Result) []string {
	var grow, reach, better []accCase
	for _, c := range r.Curves {
		if len(c.Steps) < 3 {
			continue
		}
		orig, all := c.Steps[0], c.Steps[len(c.Steps)-1]
		firstSyn, lastSyn := c.Steps[1], c.Steps[len(c.Steps)-2]
		grow = append(grow, accCase{Name: c.Name, A: lastSyn.Acc, B: firstSyn.Acc})
		reach = append(reach, accCase{Name: c.Name, A: lastSyn.Acc, B: orig.Acc})
		better = append(better, accCase{Name: c.Name, A: all.Acc, B: orig.Acc})
	}
	return []string{
		judgeGains("synth accuracy grows as synthetic images are added (most vs fewest)", stats.Greater(0), grow, ""),
		judgeGains("synth with the most images reaches the original accuracy (synth - original > -5)", stats.Greater(-5), reach, "D1 yes, D3 no"),
		judgeGains("ori+synth > original", stats.Greater(0), better, ""),
	}
}

func init() {
	register(newItem("fig8", "Fig. 8: adding synthetic data step by step", Fig8For, Fig8, Fig8Compare, Fig8Verdicts, onePlot("fig8_synthetic_steps", Fig8Plot)))
}
