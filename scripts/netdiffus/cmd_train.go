package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/netdiffus/netdiffus/internal/valid"

	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

func init() {
	register(command{name: "train", summary: "train (or resume) the class-conditional diffusion model on the images of netdiffus image", run: runTrain})
}

func runTrain(args []string) error {
	f := newRunFlags("train", "train -data images.npz -model DIR [-preset smoke|cpu|full] [-set Train.Steps=N] [-time 10m]\n\n"+
		"Trains on the first Data.TrainFraction of each class of -data (eval tests on the rest) and resumes\n"+
		"from the newest checkpoint in -model; a folder of another configuration is an error.")
	data := f.fs.String("data", "", "NPZ of labelled images (netdiffus image) or series, with class names (required)")
	budget := f.fs.Duration("time", 0, "stop after this much wall time, e.g. 10m (resume later with the same command)")
	if err := f.parse(args); err != nil {
		return err
	}
	if err := valid.Duration("-time", *budget, 10000*time.Hour); err != nil {
		return err
	}
	base, err := modelPreset(f.model)
	if err != nil {
		return err
	}
	p, err := f.resolve(base)
	if err != nil {
		return err
	}
	if *data == "" {
		f.fs.Usage()
		return fmt.Errorf("-data is required")
	}
	ex, err := pipeline.ReadExamples(*data)
	if err != nil {
		return err
	}
	if err := checkShape(ex, p, *data); err != nil {
		return err
	}
	train, _, err := ex.Split(p.Data.TrainFraction)
	if err != nil {
		return fmt.Errorf("%s: %w", *data, err)
	}
	b, err := sharedBackend()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var log io.Writer = os.Stderr
	if f.quiet {
		log = nil
	}
	name := strings.TrimSuffix(filepath.Base(*data), filepath.Ext(*data))
	m, err := pipeline.Train(ctx, b, p, f.model, train.X, train.Labels, pipeline.ModelInfo{Data: name, Classes: ex.Classes},
		pipeline.TrainOptions{Log: log, TimeBudget: *budget})
	if err != nil {
		return err
	}
	last := 0.0
	if n := len(m.Loss); n > 0 {
		last = m.Loss[n-1].Loss
	}
	fmt.Printf("%s: step %d of %d, loss %.4f, %d weights, %d training images of %d classes; model in %s\n",
		p.Name, m.Trainer.Steps(), p.Train.Steps, last, m.Trainer.NumParameters(), train.X.Batch(), len(ex.Classes), f.model)
	return nil
}

// modelPreset returns the preset stored in a model folder (nil when there is none), so that commands on
// an existing model start from the settings it was trained with.
func modelPreset(dir string) (*preset.Preset, error) {
	info, ok, err := pipeline.ReadInfo(dir)
	if err != nil || !ok || info.Preset.Name == "" {
		return nil, err
	}
	return &info.Preset, nil
}

// checkShape explains a mismatch between the data and the preset's model before anything is built.
func checkShape(ex pipeline.Examples, p preset.Preset, path string) error {
	shape := ex.X.Shape[1:]
	switch {
	case len(shape) == 3 && (p.Net.Dims != 2 || shape[0] != p.Net.Size || shape[1] != p.Net.Size):
		return fmt.Errorf("%s holds %dx%d images; the preset's model takes Dims %d, Size %d: image the data with -size %d or add -set Net.Size=%d",
			path, shape[0], shape[1], p.Net.Dims, p.Net.Size, p.Net.Size, shape[0])
	case len(shape) == 2 && (p.Net.Dims != 1 || shape[0] != p.Net.Size):
		return fmt.Errorf("%s holds series of length %d; add -set Net.Dims=1 -set Net.Size=%d (a length the U-Net levels divide)", path, shape[0], shape[0])
	}
	return nil
}
