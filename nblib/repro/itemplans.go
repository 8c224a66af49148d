package repro

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/netdiffus/netdiffus/nblib/preset"
)

// The training plans of the items that train only standard models, or standard models and the limited
// or 1-D models of another item's recipe. Each lists the models in the order the item uses them; Plan
// drops repeats. Fig. 4's plan is in fig4plan.go, the GAN figures' in gans.go, the model-variance
// run's in variance.go.
func init() {
	registerPlan("fig2", func(p preset.Preset) ([]ModelJob, error) { return standardJobs(p, Fig2For(p).Datasets...), nil })
	registerPlan("fig5", fig5Plan)
	registerPlan("fig6", func(p preset.Preset) ([]ModelJob, error) { return standardJobs(p, Fig6For(p).Datasets...), nil })
	registerPlan("fig8", func(p preset.Preset) ([]ModelJob, error) { return standardJobs(p, Fig8For(p).Datasets...), nil })
	registerPlan("table1", func(p preset.Preset) ([]ModelJob, error) {
		c := Table1For(p)
		return standardJobs(p, append(append([]string(nil), c.L3...), c.RealL3...)...), nil
	})
	registerPlan("table2", table2Plan)
	// Table 3 trains classifiers on the real series and images only: no generative model.
	registerPlan("table3", func(preset.Preset) ([]ModelJob, error) { return nil, nil })
}

// standardJobs are the standard models of the named datasets under p.
func standardJobs(p preset.Preset, names ...string) []ModelJob {
	jobs := make([]ModelJob, 0, len(names))
	for _, name := range names {
		jobs = append(jobs, standardJob(p, name))
	}
	return jobs
}

// fig5Plan: sub-case 1's platforms, each with its standard model and the limited models of its anomaly
// counts (Fig. 4's recipe, so the two figures share them), then sub-case 2's standard models.
func fig5Plan(p preset.Preset) ([]ModelJob, error) {
	c := Fig5For(p)
	lim := Fig4Config{Preset: c.Preset, LimitedSteps: c.LimitedSteps}
	var jobs []ModelJob
	for _, platform := range c.Platforms1 {
		jobs = append(jobs, standardJob(p, "d1-"+platform))
		limited, err := limitedJobs(lim, "d1-"+platform, c.Anomaly, false)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, limited...)
	}
	for _, platform := range c.Platforms2 {
		jobs = append(jobs, standardJob(p, "d1-"+platform))
	}
	return jobs, nil
}

// table2Plan: per dataset the standard (2-D) model and the 1-D model of the same series.
func table2Plan(p preset.Preset) ([]ModelJob, error) {
	c := Table2For(p)
	var jobs []ModelJob
	for _, name := range c.Datasets {
		ds, g := splitName(name)
		e := ExperimentFor(c.preset1D(), ds, g)
		jobs = append(jobs, standardJob(p, name), ModelJob{Key: filepath.Base(e.ModelDir()),
			What: fmt.Sprintf("%s, the 1-D model (%d steps)", datasetLabel(name), c.Steps1D),
			run: func(log io.Writer) error {
				_, err := Synthetic1D(e, log)
				return err
			}, cache: synth1DEntry(e), steps: c.Steps1D})
	}
	return jobs, nil
}
