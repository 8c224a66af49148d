// Package livetrain trains a tiny class-conditional U-Net on GASF images of an embedded dataset while an
// interactive.TrainingView shows it live: the demonstration of the live training view in the notebooks,
// small enough for a headless run on a CPU. It also shows how any trainer feeds the view: a
// unet.RunConfig.Progress hook that turns unet.Progress into interactive.TrainingProgress, and an
// OnSample hook that hands the current samples over as 8-bit images.
package livetrain

import (
	"context"
	"fmt"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/gasf"
	"github.com/netdiffus/netdiffus/nblib/plots/interactive"
)

// Config is the tiny run.
type Config struct {
	Dataset, Group string // e.g. "d1", "netflix"
	Size           int    // image side
	Steps          int64  // training steps
	ReportEvery    int    // steps between progress reports
	SampleEvery    int    // steps between sample grids shown in the view (0: none)
}

// Tiny is a run of a few hundred training steps at 8x8 on D1-Netflix: long enough to watch the
// view update several times, short enough for CI.
func Tiny() Config {
	return Config{Dataset: "d1", Group: "netflix", Size: 8, Steps: 150, ReportEvery: 5, SampleEvery: 50}
}

// Model is the U-Net of the run: unet.Quick shrunk to the image size and 8 base channels.
func (c Config) Model(numClasses int) unet.Config {
	m := unet.Quick(numClasses)
	m.Name = "livetrain"
	m.Net.Size, m.Net.ModelChannels, m.Net.NormGroups = c.Size, 8, 4
	m.Net.AttentionResolutions = nil
	m.Train.BatchSize = 16
	m.Train.LearningRate = 1e-3
	return m
}

// Images loads the dataset and images every trace with the paper's settings into the model's range
// [-1, 1] (pixel p maps to 2p/255 - 1), with the class labels.
func (c Config) Images() (diffusion.Array, []int, []string, error) {
	ds, err := datasets.Load(c.Dataset, datasets.Quick, datasets.DefaultSeed)
	if err != nil {
		return diffusion.Array{}, nil, nil, err
	}
	if c.Group != "" {
		ds = ds.Filter(c.Group)
	}
	series, err := ds.Series(ds.Default)
	if err != nil {
		return diffusion.Array{}, nil, nil, err
	}
	if len(series) == 0 {
		return diffusion.Array{}, nil, nil, fmt.Errorf("livetrain: dataset %s group %q is empty", c.Dataset, c.Group)
	}
	x := diffusion.NewArray(len(series), c.Size, c.Size, 1)
	for i, s := range series {
		img, err := gasf.Encode(s, gasf.DefaultParams(c.Size))
		if err != nil {
			return diffusion.Array{}, nil, nil, fmt.Errorf("livetrain: trace %d: %w", i, err)
		}
		dst := x.Example(i)
		for j, p := range img.Pix {
			dst[j] = float32(p)/127.5 - 1
		}
	}
	return x, ds.Labels(), ds.Classes, nil
}

// Run trains the tiny model and feeds view (which may be nil); it returns the last loss reported.
func Run(ctx context.Context, c Config, view *interactive.TrainingView) (float64, error) {
	x, y, classes, err := c.Images()
	if err != nil {
		return 0, err
	}
	b, _, err := backend.Shared()
	if err != nil {
		return 0, err
	}
	cfg := c.Model(len(classes))
	tr, err := unet.New(b, cfg)
	if err != nil {
		return 0, err
	}
	batches, err := unet.NewShuffler(x, y, cfg.Train.BatchSize, cfg.Train.Seed)
	if err != nil {
		return 0, err
	}
	var samples [][]byte
	last, err := tr.Run(ctx, batches, unet.RunConfig{
		MaxSteps: c.Steps, ReportEvery: c.ReportEvery, SampleEvery: c.SampleEvery,
		OnSample: func(_ int64, imgs diffusion.Array, _ []int) { samples = Pixels(imgs) },
		Progress: func(p unet.Progress) {
			if view != nil {
				view.Update(interactive.TrainingProgress{Step: p.Step, TotalSteps: c.Steps, Loss: p.MeanLoss,
					StepsPerSec: p.ImagesPerSec / float64(cfg.Train.BatchSize), Elapsed: p.Elapsed,
					Samples: samples, SampleSize: c.Size})
			}
		},
	})
	if err != nil {
		return 0, err
	}
	if view != nil {
		if err := view.Done(); err != nil {
			return last.MeanLoss, err
		}
	}
	return last.MeanLoss, nil
}

// Pixels converts model images in [-1, 1] to 8-bit images (one per example), clipping.
func Pixels(x diffusion.Array) [][]byte {
	out := make([][]byte, x.Batch())
	for i := range out {
		ex := x.Example(i)
		px := make([]byte, len(ex))
		for j, v := range ex {
			px[j] = byte(max(0, min(255, int((float64(v)+1)*127.5+0.5))))
		}
		out[i] = px
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
