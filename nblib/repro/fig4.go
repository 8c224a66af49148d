package repro

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/netdiffus/netdiffus/nblib/eval/stats"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/plots"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Fig4Config is Fig. 4, limited original data: for each dataset and each n, a diffusion model is
// trained on only the first n training traces of every class, draws as many synthetic images per class
// as the full training set has, and classifiers trained on the n originals, on the synthetic images and
// on both are tested on all real test images. One model per (dataset, n), in its own folder: cached and
// resumable like every model. An n at or above a class's full count is the standard experiment's
// model (reused, not retrained).
type Fig4Config struct {
	Preset     preset.Preset
	Classifier string
	Datasets   []string
	PerClass   []int // n: original traces per class
	// LimitedSteps trains the limited models for this many steps instead of Preset.Train.Steps (0: the
	// preset's); smoke shortens them so that CI stays in minutes.
	LimitedSteps int64
}

// Fig4For is Fig. 4's configuration under a preset: smoke D1-Netflix at n = 2 (a 150-step model) and 8
// (every training trace: the standard model) with the Random Forest; cpu D1-Netflix, D3-Google and the
// real Echo traffic ("alexa", 8 training traces per command) at n = 2, 4, 8 and every training trace
// (the standard model: 40 a class on the medium variant, 8 on Echo), each smaller n training its own
// model (docs/reproducing.md: how long); full the
// paper's four datasets and the real Echo traffic at n = 5 to 80 (n = 5 and above keep every Echo
// trace), with the preset's CNN.
func Fig4For(p preset.Preset) Fig4Config {
	c := Fig4Config{Preset: p, Classifier: p.Downstream.CNN, Datasets: []string{"d1-netflix", "d3-google", "alexa"}, PerClass: []int{2, 4, 8}}
	switch p.Name {
	case preset.Smoke:
		c.Classifier, c.Datasets, c.PerClass, c.LimitedSteps = protocols.RF, []string{"d1-netflix"}, []int{2, 8}, 150
	case preset.Full:
		c.Datasets, c.PerClass = []string{"d1-netflix", "d2", "d3-google", "d3-alexa", "alexa"}, []int{5, 10, 20, 40, 80}
	}
	return c
}

// Fig4Point is one n of one dataset.
type Fig4Point struct {
	PerClass   int   // n asked
	Originals  int   // original training images used (n per class, or fewer where a class has fewer)
	TrainSteps int64 // of the model that drew the synthetic images
	ScenarioAcc
}

// Fig4Curve is one dataset.
type Fig4Curve struct {
	Name   string
	Points []Fig4Point
}

// Fig4Result holds one curve per dataset.
type Fig4Result struct {
	Classifier string
	Curves     []Fig4Curve
}

// Fig4 runs (or loads) Fig. 4.
func Fig4(c Fig4Config, force bool, log io.Writer) (*Fig4Result, error) {
	if log == nil {
		log = io.Discard
	}
	return Cached("fig4", c, force, func() (*Fig4Result, error) { return fig4(c, log) })
}

func fig4(c Fig4Config, log io.Writer) (*Fig4Result, error) {
	res := &Fig4Result{Classifier: c.Classifier}
	for _, name := range c.Datasets {
		curve := Fig4Curve{Name: datasetLabel(name)}
		for _, n := range c.PerClass {
			pt, err := fig4Point(c, name, n, log)
			if err != nil {
				return nil, fmt.Errorf("fig4 %s n=%d: %w", name, n, err)
			}
			fmt.Fprintf(log, "fig4 %s n=%d: original %s  synth %s  ori+synth %s\n", name, n, pt.Original, pt.Synth, pt.OriSynth)
			curve.Points = append(curve.Points, pt)
		}
		res.Curves = append(res.Curves, curve)
	}
	return res, nil
}

func fig4Point(c Fig4Config, name string, n int, log io.Writer) (Fig4Point, error) {
	set, err := LoadImageSet(c.Preset, name, false, log) // real images, and the standard model's synthetic ones
	if err != nil {
		return Fig4Point{}, err
	}
	full := set.Train.Dataset()
	part := full.FirstPerClass(n)
	pt := Fig4Point{PerClass: n, Originals: part.Len()}
	synth := set.Synth
	if part.Len() < full.Len() {
		ds, g := splitName(name)
		lim, err := LimitedSynthetic(c, ds, g, n, log)
		if err != nil {
			return pt, err
		}
		if synth, err = lim.Images(); err != nil {
			return pt, err
		}
		pt.TrainSteps = lim.TrainSteps
	} else {
		ds, g := splitName(name)
		syn, err := Synthetic(ExperimentFor(c.Preset, ds, g), false, log)
		if err != nil {
			return pt, err
		}
		pt.TrainSteps = syn.TrainSteps
	}
	f, err := Classifier{Name: c.Classifier, Sizes: c.Preset.Downstream}.factory(protocols.ImageShape(set.Train.Images.Height))
	if err != nil {
		return pt, err
	}
	pt.ScenarioAcc, err = scenarioAcc(f, part, synth.Dataset(), set.Test.Dataset(), c.Preset.Downstream.Seeds)
	return pt, err
}

// limitedExperiment is the experiment whose model is trained on n traces per class.
func (c Fig4Config) limitedExperiment(dataset, group string) ExperimentConfig {
	p := c.Preset
	if c.LimitedSteps > 0 {
		p.Train.Steps = c.LimitedSteps
	}
	return ExperimentFor(p, dataset, group)
}

// LimitedModelDir is the folder of the model trained on the first n training traces per class.
func (c Fig4Config) LimitedModelDir(dataset, group string, n int) string {
	e := c.limitedExperiment(dataset, group)
	return filepath.Join(ResultsDir(), "models", fmt.Sprintf("%s-n%d-%s", e.Name(), n, e.modelKey()))
}

// limitedEntry is LimitedSynthetic's cache entry.
func limitedEntry(c Fig4Config, dataset, group string, n int) cacheEntry {
	e := c.limitedExperiment(dataset, group)
	key := struct {
		Synth    any
		PerClass int
	}{synthKey(e), n}
	return cacheEntry{fmt.Sprintf("synth-%s-n%d", e.Name(), n), key}
}

// LimitedSynthetic trains (or resumes) the model on the first n training traces of every class of the
// dataset and returns (cached) as many synthetic images per class as the full training set has.
func LimitedSynthetic(c Fig4Config, dataset, group string, n int, log io.Writer) (*SynthImages, error) {
	e := c.limitedExperiment(dataset, group)
	entry := limitedEntry(c, dataset, group, n)
	return Cached(entry.name, entry.config, false, func() (*SynthImages, error) {
		b, _, err := backend.Shared()
		if err != nil {
			return nil, err
		}
		p := e.Preset
		d, err := pipeline.LoadDefault(p, dataset, group)
		if err != nil {
			return nil, err
		}
		rows := firstRowsPerClass(d.TrainY, n)
		x, y := subsetArray(d.Train, rows), make([]int, len(rows))
		for i, r := range rows {
			y[i] = d.TrainY[r]
		}
		fmt.Fprintf(log, "%s: training a model on %d traces per class (%d images) in %s\n", e.Name(), n, len(rows), c.LimitedModelDir(dataset, group, n))
		m, err := pipeline.Train(context.Background(), b, p, c.LimitedModelDir(dataset, group, n), x, y,
			pipeline.ModelInfo{Data: fmt.Sprintf("%s, first %d training traces per class", d.Name, n), Classes: d.Classes, Ranges: d.Ranges},
			pipeline.TrainOptions{Log: log})
		if err != nil {
			return nil, err
		}
		sx, sy, err := sampleLike(context.Background(), m, p, d, log)
		if err != nil {
			return nil, err
		}
		out := &SynthImages{Name: d.Name, Classes: d.Classes, Size: d.Size(), TrainSteps: m.Trainer.Steps(), Y: sy}
		for i := range sy {
			out.Pix = append(out.Pix, pixels.ModelToBytes(sx.Example(i)))
		}
		return out, nil
	})
}

// firstRowsPerClass returns the rows of the first n labels of every class, in order.
func firstRowsPerClass(labels []int, n int) []int {
	seen := map[int]int{}
	var rows []int
	for i, l := range labels {
		if seen[l] < n {
			seen[l]++
			rows = append(rows, i)
		}
	}
	return rows
}

// subsetArray copies the given examples of x.
func subsetArray(x diffusion.Array, rows []int) diffusion.Array {
	shape := append([]int{len(rows)}, x.Shape[1:]...)
	out := diffusion.NewArray(shape...)
	for i, r := range rows {
		copy(out.Example(i), x.Example(r))
	}
	return out
}

// paperFig4 is what the paper's text states of Fig. 4 (the curves are not tabulated).
var paperFig4 = map[string]string{
	"D2":         "synth +12.4 over original at few traces",
	"D3-Google":  "synth +57.5 over original at few traces",
	"D1-Netflix": "synth > original when originals are few",
	"D3-Alexa":   "synth > original when originals are few",
	// The real Echo traffic stands beside D3-Alexa, as in Table 1.
	realName("alexa"): "synth > original when originals are few (D3-Alexa)",
}

// Fig4Compare is the notebook's table.
func Fig4Compare(this, ref *Fig4Result) (header []string, rows [][]string) {
	header = []string{"data", "n per class", "paper", "cpu reference (orig / synth / ori+synth)", "this run (orig / synth / ori+synth)"}
	points := func(r *Fig4Result) []curvePoint[Fig4Point] {
		if r == nil {
			return nil
		}
		return flatten(r.Curves, func(c Fig4Curve) (string, string, []Fig4Point) { return c.Name, "", c.Points })
	}
	key := func(p curvePoint[Fig4Point]) string { return fmt.Sprintf("%s/%d", p.Curve, p.Point.PerClass) }
	acc := func(p curvePoint[Fig4Point]) string { return triple(p.Point.ScenarioAcc) }
	for _, c := range pairUp(points(this), points(ref), key) {
		r := c.Row()
		paper := "–"
		if s, ok := paperFig4[r.Curve]; ok && r.Index == 0 {
			paper = s
		}
		rows = append(rows, []string{r.Curve, fmt.Sprintf("%d (%d images, model %d steps)", r.Point.PerClass, r.Point.Originals, r.Point.TrainSteps), paper,
			cell(c.Ref, c.HasRef, false, acc), cell(c.This, c.HasThis, true, acc)})
	}
	return header, rows
}

// Fig4Plot draws accuracy against n, original and synth per dataset.
func Fig4Plot(r *Fig4Result) (*plot.Plot, error) {
	var series []plots.Series
	for _, c := range r.Curves {
		o, s := plots.Series{Name: c.Name + " original"}, plots.Series{Name: c.Name + " synth"}
		for _, p := range c.Points {
			o.X, o.Y = append(o.X, float64(p.PerClass)), append(o.Y, p.Original.Mean)
			s.X, s.Y = append(s.X, float64(p.PerClass)), append(s.Y, p.Synth.Mean)
		}
		series = append(series, o, s)
	}
	return plots.Lines("Fig. 4: limited original data ("+r.Classifier+")", "original traces per class (n)", "accuracy (%)", series...)
}

// Fig4Verdicts decides the paper's claim by the one verdict rule: with the fewest originals, synthetic
// images of the model trained on them beat those originals (synth - original > 0 on every dataset).
func Fig4Verdicts(r *Fig4Result) []string {
	var cases []accCase
	for _, c := range r.Curves {
		if len(c.Points) > 0 {
			p := c.Points[0]
			cases = append(cases, accCase{Name: fmt.Sprintf("%s (n = %d)", c.Name, p.PerClass), A: p.Synth, B: p.Original})
		}
	}
	return []string{judgeGains("with the fewest originals, synth > original", stats.Greater(0), cases, "+12.4 on D2, +57.5 on D3-Google")}
}

func init() {
	register(newItem("fig4", "Fig. 4: limited original data", Fig4For, Fig4, Fig4Compare, Fig4Verdicts, onePlot("fig4_limited_data", Fig4Plot)))
}
