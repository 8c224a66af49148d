package pipeline

import (
	"context"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Result is what one run measured; it is stored as JSON by repro's cache.
type Result struct {
	Name        string
	Preset      string
	Classes     []string
	Params      int // trainable parameters of the U-Net
	TrainImages int
	TestImages  int
	SynthImages int
	Size        int // image side
	// TrainedSteps is the model's step count; below Steps when a time budget stopped training.
	TrainedSteps, Steps int64

	TrainSeconds  float64 // every training run of the model together (ModelInfo.TrainSeconds)
	SampleSeconds float64
	ImagesPerSec  float64 // training throughput at the last report
	Loss          []LossPoint
	// SampleWarning is unet's warning about the weights sampled (SampleWithWarning), "" when none.
	SampleWarning string `json:",omitempty"`

	Measures
	Examples []ExamplePair // a few real and synthetic images, for a grid
}

// ExamplePair holds one real and one synthetic 8-bit image of a class.
type ExamplePair struct {
	Class       string
	Real, Synth []byte // Size x Size, row-major
}

// Run is the whole pipeline on one prepared dataset: train (or resume) in dir, sample
// p.Sample.PerClass images per class (default: as many as the class has training images), measure.
// With opt.TimeBudget, training may stop early: the result then says so (TrainedSteps < Steps) and the
// model stays resumable.
func Run(ctx context.Context, b compute.Backend, p preset.Preset, d *Data, dir string, opt TrainOptions) (*Result, error) {
	log := opt.Log
	if log == nil {
		log = io.Discard
	}
	fmt.Fprintf(log, "%s (preset %s): %d classes, %d training and %d test examples of size %d (series of %d)\n", d.Name, p.Name,
		len(d.Classes), d.Train.Batch(), d.Test.Batch(), d.Size(), d.SeriesLen)
	m, err := Train(ctx, b, p, dir, d.Train, d.TrainY, ModelInfo{Data: d.Name, Classes: d.Classes, Ranges: d.Ranges},
		opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	if err := writeDecoderOf(d, dir); err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	start := time.Now()
	synth, synthY, warning, err := SampleWithWarning(ctx, m, p.Sample, SampleCounts(p.Sample.PerClass, d.TrainY, len(d.Classes)), nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	if warning != "" {
		fmt.Fprintf(log, "warning: %s\n", warning)
	}
	sampleSec := time.Since(start).Seconds()
	fmt.Fprintf(log, "trained %d steps (%.0f s in this run), sampled %d examples in %.0f s\n", m.Trainer.Steps(), m.TrainSeconds, synth.Batch(), sampleSec)
	res := &Result{Name: d.Name, Preset: p.Name, Classes: d.Classes, Params: m.Trainer.NumParameters(),
		TrainImages: d.Train.Batch(), TestImages: d.Test.Batch(), SynthImages: synth.Batch(), Size: d.Size(),
		TrainedSteps: m.Trainer.Steps(), Steps: p.Train.Steps, TrainSeconds: m.Info.TrainSeconds, SampleSeconds: sampleSec, ImagesPerSec: m.Info.ImagesPerSec, Loss: m.Loss,
		SampleWarning: warning}
	if p.Net.Dims == 1 {
		return res, nil // fidelity and classifiers are defined on images
	}
	meas, err := Measure(b, p, d, synth, synthY)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Name, err)
	}
	res.Measures = *meas
	res.Examples = examplePairs(d, synth, synthY, 8)
	return res, nil
}

// Progress is a training progress report (unet.Progress), passed to TrainOptions.Observer.
type Progress = unet.Progress

// examplePairs takes the first real and synthetic image of up to n classes.
func examplePairs(d *Data, synth diffusion.Array, synthY []int, n int) []ExamplePair {
	firstOf := func(ys []int) map[int]int {
		m := map[int]int{}
		for i, y := range ys {
			if _, ok := m[y]; !ok {
				m[y] = i
			}
		}
		return m
	}
	realFirst, synFirst := firstOf(d.TrainY), firstOf(synthY)
	classes := make([]int, 0, len(realFirst))
	for c := range realFirst {
		if _, ok := synFirst[c]; ok {
			classes = append(classes, c)
		}
	}
	sort.Ints(classes)
	var out []ExamplePair
	for _, c := range classes[:min(n, len(classes))] {
		out = append(out, ExamplePair{Class: d.Classes[c],
			Real: pixels.ModelToBytes(d.Train.Example(realFirst[c])), Synth: pixels.ModelToBytes(synth.Example(synFirst[c]))})
	}
	return out
}

// writeDecoderOf keeps the trace decoder of d's real training series in the model folder dir (none
// when d has no real series, as data made from image files).
func writeDecoderOf(d *Data, dir string) error {
	if len(d.TrainSeries) == 0 {
		return nil
	}
	td, err := NewTraceDecoder(d)
	if err != nil {
		return err
	}
	return WriteDecoder(dir, td)
}
