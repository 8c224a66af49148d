package repro

import (
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/eval/stats"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// VarianceConfig asks how much one training run can move a result: one experiment per dataset and per
// training seed (Train.Seed: initial weights, timesteps, noise, label dropout), everything else equal.
// With Splits, each seed also draws its own split of the real traces (Data.SplitSeed: a stratified
// repeated hold-out), so the spread covers the split as well as the model.
type VarianceConfig struct {
	Preset     preset.Preset
	Datasets   []string // "d1-netflix", "d3-google", "alexa", ...
	Seeds      []uint64 // one model each; at least 2, 3 or more to say anything
	Classifier string   // whose synthetic-only accuracy is compared; "" is the preset's first
	Splits     bool     `json:",omitempty"`
}

// VarianceFor is the configuration the evidence protocol asks for under a preset: three models each of
// D1-Netflix and D3-Google (cpu: about 20 min a model on 2 cores).
func VarianceFor(p preset.Preset) VarianceConfig {
	return VarianceConfig{Preset: p, Datasets: []string{"d1-netflix", "d3-google"}, Seeds: []uint64{1, 2, 3}}
}

// VarianceModel is one trained model's numbers, each with its within-model interval.
type VarianceModel struct {
	Seed          uint64
	FIDExcess     stats.Interval // size-matched FID minus its real floor
	SynthAccuracy stats.Interval // percent, over the test images
	DCRRatio      stats.Interval // memorization audit on the images
	MembershipAUC stats.Interval
}

// VarianceRow is one dataset: its models, and across them the t interval of each number's estimate
// (the between-model spread a single run hides).
type VarianceRow struct {
	Name                                              string
	Models                                            []VarianceModel
	FIDExcess, SynthAccuracy, DCRRatio, MembershipAUC stats.Interval // between models (t over the estimates)
}

// VarianceResult holds one row per dataset.
type VarianceResult struct {
	Classifier string
	Rows       []VarianceRow
}

// ModelVariance trains (or loads from the cache) every model of c and gathers its numbers.
func ModelVariance(c VarianceConfig, force bool, log io.Writer) (*VarianceResult, error) {
	if log == nil {
		log = io.Discard
	}
	if len(c.Seeds) < 2 {
		return nil, fmt.Errorf("model variance needs at least 2 seeds, got %d", len(c.Seeds))
	}
	if c.Splits && slices.Contains(c.Seeds, 0) {
		return nil, fmt.Errorf("model variance over splits: seed 0 means the paper's split (Data.SplitSeed), use seeds from 1")
	}
	if c.Classifier == "" && len(c.Preset.Downstream.Classifiers) > 0 {
		c.Classifier = c.Preset.Downstream.Classifiers[0]
	}
	res := &VarianceResult{Classifier: c.Classifier}
	for _, name := range c.Datasets {
		row := VarianceRow{Name: datasetLabel(name)}
		for _, seed := range c.Seeds {
			p, what := c.seeded(seed)
			ds, g := splitName(name)
			fmt.Fprintf(log, "model variance: %s, %s %d\n", name, what, seed)
			r, err := RunExperiment(ExperimentFor(p, ds, g), force, log)
			if err != nil {
				return nil, fmt.Errorf("model variance %s seed %d: %w", name, seed, err)
			}
			row.Models = append(row.Models, varianceModel(seed, r, c.Classifier))
		}
		row.between()
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

// seeded is the preset of one seed's model, and what the seed sets in words.
func (c VarianceConfig) seeded(seed uint64) (preset.Preset, string) {
	p := c.Preset
	p.Train.Seed = seed
	if c.Splits {
		p.Data.SplitSeed = seed
		return p, "training and split seed"
	}
	return p, "training seed"
}

// VariancePlan is the name of the training plan of VarianceFor's models (Plan(VariancePlan, p)): not a
// figure, but part of the evidence protocol, so AllItems includes it and one sweep trains them too.
const VariancePlan = "variance"

func init() { registerPlan(VariancePlan, variancePlan) }

// variancePlan lists the model of every dataset and seed of VarianceFor(p); the seed equal to the
// preset's own is the standard model that the figures share.
func variancePlan(p preset.Preset) ([]ModelJob, error) {
	c := VarianceFor(p)
	var jobs []ModelJob
	for _, name := range c.Datasets {
		for _, seed := range c.Seeds {
			sp, what := c.seeded(seed)
			j := standardJob(sp, name)
			j.What = fmt.Sprintf("%s, the standard model with %s %d (%d steps)", datasetLabel(name), what, seed, sp.Train.Steps)
			jobs = append(jobs, j)
		}
	}
	return jobs, nil
}

// varianceModel picks one model's numbers from its experiment.
func varianceModel(seed uint64, r *ExperimentResult, classifier string) VarianceModel {
	m := VarianceModel{Seed: seed, FIDExcess: r.FIDExcess, SynthAccuracy: missing(), DCRRatio: missing(), MembershipAUC: missing()}
	for _, s := range r.Accuracy {
		if protocols.Canonical(s.Classifier) == protocols.Canonical(classifier) && s.Scenario == "synth" { // a cached result may hold a former name
			m.SynthAccuracy = s.Interval.Scale(100)
		}
	}
	if r.Audit != nil {
		m.DCRRatio, m.MembershipAUC = r.Audit.Pooled.DCRRatio, r.Audit.Pooled.MembershipAUC
	}
	return m
}

func missing() stats.Interval {
	return stats.Interval{Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
}

// between fills the row's between-model intervals from the models' estimates.
func (r *VarianceRow) between() {
	pick := func(f func(VarianceModel) stats.Interval) stats.Interval {
		var v []float64
		for _, m := range r.Models {
			v = append(v, f(m).Estimate)
		}
		return stats.TInterval(v)
	}
	r.FIDExcess = pick(func(m VarianceModel) stats.Interval { return m.FIDExcess })
	r.SynthAccuracy = pick(func(m VarianceModel) stats.Interval { return m.SynthAccuracy })
	r.DCRRatio = pick(func(m VarianceModel) stats.Interval { return m.DCRRatio })
	r.MembershipAUC = pick(func(m VarianceModel) stats.Interval { return m.MembershipAUC })
}

// Table lists every model with its within-model intervals, then each dataset's between-model interval
// (t over the models' estimates) and the largest within-model half-width beside it: when the first is
// as wide as the second, one training run moves a verdict as much as the test set does.
func (r *VarianceResult) Table() (header []string, rows [][]string) {
	header = []string{"dataset", "model", "FID excess over floor", "synth accuracy (%, " + r.Classifier + ")", "DCR ratio", "membership AUC"}
	for _, row := range r.Rows {
		for _, m := range row.Models {
			rows = append(rows, []string{row.Name, fmt.Sprintf("seed %d", m.Seed), m.FIDExcess.Short("%.3f"), m.SynthAccuracy.Short("%.1f"),
				m.DCRRatio.Short("%.2f"), m.MembershipAUC.Short("%.2f")})
		}
		rows = append(rows, []string{row.Name, fmt.Sprintf("between %d models (t)", len(row.Models)), row.FIDExcess.Short("%.3f"),
			row.SynthAccuracy.Short("%.1f"), row.DCRRatio.Short("%.2f"), row.MembershipAUC.Short("%.2f")})
		w := func(f func(VarianceModel) stats.Interval, verb string) string {
			h := 0.0
			for _, m := range row.Models {
				h = math.Max(h, f(m).HalfWidth())
			}
			return fmt.Sprintf("± "+verb, h)
		}
		rows = append(rows, []string{row.Name, "largest within-model half-width",
			w(func(m VarianceModel) stats.Interval { return m.FIDExcess }, "%.3f"), w(func(m VarianceModel) stats.Interval { return m.SynthAccuracy }, "%.1f"),
			w(func(m VarianceModel) stats.Interval { return m.DCRRatio }, "%.2f"), w(func(m VarianceModel) stats.Interval { return m.MembershipAUC }, "%.2f")})
	}
	return header, rows
}
