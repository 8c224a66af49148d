// Package livetrain trains a tiny class-conditional U-Net on GASF images of an embedded dataset while an
// interactive.TrainingView shows it live: the demonstration of the live training view in the notebooks,
// small enough for a headless run on a CPU. It trains through pipeline.Train (the one training path)
// and shows how any training feeds the view: pipeline.TrainOptions.Observer turns unet.Progress into
// interactive.TrainingProgress, and OnSample hands the current samples over as 8-bit images. The run's
// settings are preset.LiveTrain.
package livetrain

import (
	"context"
	"fmt"
	"os"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/plots/interactive"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Tiny returns the demonstration run, preset.LiveTrain.
func Tiny() preset.Live { return preset.LiveTrain() }

// Run trains the run's model through pipeline.Train in a temporary model folder (removed afterwards) and
// feeds view (which may be nil); it returns the last loss reported.
func Run(ctx context.Context, c preset.Live, view *interactive.TrainingView) (float64, error) {
	p := c.Preset
	d, err := pipeline.LoadDefault(p, c.Dataset, c.Group)
	if err != nil {
		return 0, fmt.Errorf("livetrain: %w", err)
	}
	b, _, err := backend.Shared()
	if err != nil {
		return 0, err
	}
	dir, err := os.MkdirTemp("", "livetrain-")
	if err != nil {
		return 0, fmt.Errorf("livetrain: model folder: %w", err)
	}
	defer os.RemoveAll(dir)
	var samples [][]byte
	m, err := pipeline.Train(ctx, b, p, dir, d.Train, d.TrainY,
		pipeline.ModelInfo{Data: d.Name, Classes: d.Classes, Ranges: d.Ranges}, pipeline.TrainOptions{
			SampleEvery: c.SampleEvery,
			OnSample:    func(_ int64, imgs diffusion.Array, _ []int) { samples = Pixels(imgs) },
			Observer: func(pr unet.Progress) {
				if view != nil {
					view.Update(interactive.TrainingProgress{Step: pr.Step, TotalSteps: p.Train.Steps, Loss: pr.MeanLoss,
						StepsPerSec: pr.ImagesPerSec / float64(p.Train.BatchSize), Elapsed: pr.Elapsed,
						Samples: samples, SampleSize: p.Net.Size})
				}
			},
		})
	if err != nil {
		return 0, err
	}
	if len(m.Loss) == 0 {
		return 0, fmt.Errorf("livetrain: training of %d steps reported no loss", p.Train.Steps)
	}
	last := m.Loss[len(m.Loss)-1].Loss
	if view != nil {
		if err := view.Done(); err != nil {
			return last, err
		}
	}
	return last, nil
}

// Pixels converts model images in [-1, 1] to 8-bit images (one per example), clamping
// (pixels.ModelToBytes).
func Pixels(x diffusion.Array) [][]byte {
	out := make([][]byte, x.Batch())
	for i := range out {
		out[i] = pixels.ModelToBytes(x.Example(i))
	}
	return out
}

// Observer adapts a TrainingView to a progress hook taking unet.Progress (unet.RunConfig.Progress,
// pipeline.TrainOptions.Observer): each report becomes a TrainingProgress of totalSteps, with the mean
// loss since the previous report; steps per second are estimated by the view from successive reports.
func Observer(view *interactive.TrainingView, totalSteps int64) func(unet.Progress) {
	return func(p unet.Progress) {
		view.Update(interactive.TrainingProgress{Step: p.Step, TotalSteps: totalSteps, Loss: p.MeanLoss, Elapsed: p.Elapsed})
	}
}
