package repro

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// ExperimentConfig is one NetDiffus run on one dataset under a preset (see nblib/pipeline for the
// stages): split the traces (first 80% of each class for training, as the paper), image them, train the
// class-conditional diffusion model, sample synthetic images, and measure them.
type ExperimentConfig struct {
	Dataset string // d1, d2, d3 or ww
	Group   string // keep one group only (D1-Netflix: "netflix", D3-Google: "google"); "" keeps all
	Preset  preset.Preset
}

// ExperimentFor returns the experiment of a dataset under a preset (preset.FromEnv for the notebooks'
// mode; change any field of Preset before running).
func ExperimentFor(p preset.Preset, dataset, group string) ExperimentConfig {
	return ExperimentConfig{Dataset: dataset, Group: group, Preset: p}
}

// Name identifies the experiment's data, e.g. "d1-netflix".
func (c ExperimentConfig) Name() string {
	if c.Group == "" {
		return c.Dataset
	}
	return c.Dataset + "-" + c.Group
}

// modelKey is a short digest of what determines a trained model: the data, its split and the model with
// its training settings, but not the number of steps (more steps continue the same model) nor anything
// about sampling or evaluation.
func (c ExperimentConfig) modelKey() string {
	d, _ := digest(struct {
		Dataset, Group string
		Data           preset.Data
		Model          any
	}{c.Dataset, c.Group, c.Preset.Data, c.Preset.Model(0)})
	return d
}

// ModelDir is where the experiment's model checkpoints live: under ResultsDir()/models, one folder per
// data and model configuration.
func (c ExperimentConfig) ModelDir() string {
	return filepath.Join(ResultsDir(), "models", c.Name()+"-"+c.modelKey())
}

// ExperimentResult is what an experiment measured (pipeline.Result), with the notebook's plots.
type ExperimentResult struct {
	pipeline.Result
}

// RunExperiment runs (or loads from the cache) one experiment on the project's backend, writing progress
// lines to log. Training checkpoints, so an interrupted run resumes; force recomputes the cached result
// (a finished model is reused).
func RunExperiment(cfg ExperimentConfig, force bool, log io.Writer) (*ExperimentResult, error) {
	return Cached("experiment-"+cfg.Name(), cfg, force, func() (*ExperimentResult, error) {
		b, choice, err := backend.Shared()
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(log, choice)
		return runExperiment(context.Background(), b, cfg, log)
	})
}

func runExperiment(ctx context.Context, b compute.Backend, cfg ExperimentConfig, log io.Writer) (*ExperimentResult, error) {
	data, err := pipeline.LoadDefault(cfg.Preset, cfg.Dataset, cfg.Group)
	if err != nil {
		return nil, fmt.Errorf("experiment %s: %w", cfg.Name(), err)
	}
	res, err := pipeline.Run(ctx, b, cfg.Preset, data, cfg.ModelDir(), pipeline.TrainOptions{Log: log})
	if err != nil {
		return nil, fmt.Errorf("experiment %s: %w", cfg.Name(), err)
	}
	return &ExperimentResult{*res}, nil
}
