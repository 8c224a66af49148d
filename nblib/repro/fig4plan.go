package repro

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// fig4Plan lists Fig. 4's models: per dataset the standard model (its real and synthetic images are
// every point's test set and the largest n's synthetic set) and one limited model per n that leaves out
// training traces, exactly the folders fig4 trains in.
func fig4Plan(p preset.Preset) ([]ModelJob, error) {
	c := Fig4For(p)
	var jobs []ModelJob
	for _, name := range c.Datasets {
		jobs = append(jobs, standardJob(c.Preset, name))
		limited, err := limitedJobs(c, name, c.PerClass, true)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, limited...)
	}
	return jobs, nil
}

// limitedJobs are the limited models of dataset name (LimitedSynthetic) for each n of perClass. With
// skipAll, an n that keeps every training trace is left out: fig4 uses the standard model there.
func limitedJobs(c Fig4Config, name string, perClass []int, skipAll bool) ([]ModelJob, error) {
	ds, g := splitName(name)
	d, err := pipeline.LoadDefault(c.Preset, ds, g)
	if err != nil {
		return nil, err
	}
	steps := c.limitedExperiment(ds, g).Preset.Train.Steps
	var jobs []ModelJob
	for _, n := range perClass {
		rows := firstRowsPerClass(d.TrainY, n)
		if skipAll && len(rows) >= d.Train.Batch() {
			continue // every training trace: the standard model
		}
		jobs = append(jobs, ModelJob{Key: filepath.Base(c.LimitedModelDir(ds, g, n)),
			What: fmt.Sprintf("%s, first %d training traces per class (%d images, %d steps)", datasetLabel(name), n, len(rows), steps),
			run: func(log io.Writer) error {
				_, err := LimitedSynthetic(c, ds, g, n, log)
				return err
			}, cache: limitedEntry(c, ds, g, n), steps: steps})
	}
	return jobs, nil
}

func init() { registerPlan("fig4", fig4Plan) }
