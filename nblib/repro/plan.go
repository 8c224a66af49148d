package repro

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// ModelJob is one model training a figure or table needs: independent of the item's other models, so a
// cluster can run each as its own job. Running it trains (or resumes) the model in its folder under
// ResultsDir()/models and caches the synthetic images the item draws from it; the item then finds both
// and trains nothing.
type ModelJob struct {
	Key  string // the model folder's name under ResultsDir()/models: what the cache is keyed on
	Item string // the item that planned it
	What string // in words, e.g. "D1-Netflix, first 2 training traces per class (150 steps)"
	run  func(log io.Writer) error
	// cache is the result that run leaves: the model's synthetic images, or the GAN's measurement.
	cache cacheEntry
	// steps is the diffusion model's training length (0 for a GAN): Trained looks for its checkpoint.
	steps int64
}

// Done reports whether the job has run to the end: its model is trained and its result cached under
// ResultsDir(), so running it again only reads the cache.
func (j ModelJob) Done() bool { return j.cache.stored() }

// Trained reports whether the job's diffusion model has its final checkpoint, though its synthetic
// images may be still to draw (an experiment trained it, not the item): running the job then samples
// only. Always false for a GAN, whose training and measurement are one result (Done).
func (j ModelJob) Trained() bool {
	return j.steps > 0 && unet.TrainedTo(filepath.Join(ResultsDir(), "models", j.Key), j.steps)
}

// Status is the job's state in words: "done", "trained" (synthetic images still to draw) or "".
func (j ModelJob) Status() string {
	switch {
	case j.Done():
		return "done"
	case j.Trained():
		return "trained"
	}
	return ""
}

// Run trains the job's model and caches its synthetic images, writing progress lines to log.
func (j ModelJob) Run(log io.Writer) error {
	if log == nil {
		log = io.Discard
	}
	if err := j.run(log); err != nil {
		return fmt.Errorf("model %s (%s): %w", j.Key, j.What, err)
	}
	return nil
}

// planners are the items that can list their model trainings, by item name.
var planners = map[string]func(p preset.Preset) ([]ModelJob, error){}

// registerPlan declares an item's planner; called from init.
func registerPlan(item string, plan func(p preset.Preset) ([]ModelJob, error)) {
	if _, dup := planners[item]; dup {
		panic("repro: plan registered twice: " + item)
	}
	planners[item] = plan
}

// Planned lists the items that have a training plan, sorted.
func Planned() []string {
	out := make([]string, 0, len(planners))
	for n := range planners {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// AllItems is the plan name of every item's models together: Plan(AllItems, p) lists each model any
// figure or table trains under p once, and the model-variance run's (VariancePlan) after them, so one
// sweep (or Slurm array) trains them all.
const AllItems = "all"

// Plan returns every model training item name needs under p, each once, in the order the item uses
// them; AllItems gives every item's, in item order. An unknown item is an error naming the items.
func Plan(name string, p preset.Preset) ([]ModelJob, error) {
	names := []string{name}
	if name == AllItems {
		names = Planned()
	}
	seen := map[string]bool{}
	var out []ModelJob
	for _, item := range names {
		jobs, err := itemPlan(item, p)
		if err != nil {
			return nil, err
		}
		for _, j := range jobs {
			if !seen[j.Key] {
				seen[j.Key] = true
				j.Item = item
				out = append(out, j)
			}
		}
	}
	return out, nil
}

// itemPlan is the registered plan of one item.
func itemPlan(name string, p preset.Preset) ([]ModelJob, error) {
	plan, ok := planners[name]
	if !ok {
		if _, err := ItemNamed(name); err != nil {
			return nil, fmt.Errorf("%w (or %s: every item's models)", err, AllItems)
		}
		return nil, fmt.Errorf("repro: %s registers no training plan: every item needs one (registerPlan; items with one: %s)",
			name, strings.Join(Planned(), ", "))
	}
	jobs, err := plan(p)
	if err != nil {
		return nil, fmt.Errorf("repro: plan of %s: %w", name, err)
	}
	return jobs, nil
}

// FindJob returns the job of key in the plans of every item under p, or an error listing the keys
// there are.
func FindJob(key string, p preset.Preset) (ModelJob, error) {
	jobs, err := Plan(AllItems, p)
	if err != nil {
		return ModelJob{}, err
	}
	keys := make([]string, 0, len(jobs))
	for _, j := range jobs {
		if j.Key == key {
			return j, nil
		}
		keys = append(keys, j.Key)
	}
	return ModelJob{}, fmt.Errorf("repro: no model %q in the plans of %s under preset %s and these settings (their models: %s): "+
		"use the -mode and -set of the plan that printed it", key, strings.Join(Planned(), ", "), p.Name, strings.Join(keys, ", "))
}

// standardJob is the experiment model of a dataset ("d1-netflix") under p, with its synthetic images
// (Synthetic), as LoadImageSet uses it.
func standardJob(p preset.Preset, name string) ModelJob {
	ds, g := splitName(name)
	e := ExperimentFor(p, ds, g)
	return ModelJob{Key: filepath.Base(e.ModelDir()), What: fmt.Sprintf("%s, the standard model (%d steps)", datasetLabel(name), p.Train.Steps),
		run: func(log io.Writer) error {
			_, err := Synthetic(e, false, log)
			return err
		}, cache: synthEntry(e), steps: p.Train.Steps}
}
