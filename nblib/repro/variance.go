package repro

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

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

// VarianceTitle names the evidence protocol's variance run (VarianceFor) where the items' titles go.
const VarianceTitle = "Model variance: how much one training run moves a number"

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
		row.fillBetween()
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

// fillBetween fills the row's between-model intervals: each number's t interval over the models'
// estimates.
func (r *VarianceRow) fillBetween() {
	for _, n := range varianceNumbers("") {
		v := make([]float64, len(r.Models))
		for i, m := range r.Models {
			v[i] = n.of(m).Estimate
		}
		*n.between(r) = stats.TInterval(v)
	}
}

// Table lists every model with its within-model intervals, then each dataset's between-model interval
// (t over the models' estimates) and the largest within-model half-width beside it: when the first is
// as wide as the second, one training run moves a verdict as much as the test set does.
func (r *VarianceResult) Table() (header []string, rows [][]string) {
	header = []string{"dataset", "model"}
	for _, n := range varianceNumbers(r.Classifier) {
		header = append(header, n.name)
	}
	for _, row := range r.Rows {
		for _, m := range row.Models {
			cells := []string{row.Name, fmt.Sprintf("seed %d", m.Seed)}
			for _, n := range varianceNumbers(r.Classifier) {
				cells = append(cells, n.of(m).Short(n.verb))
			}
			rows = append(rows, cells)
		}
		between := []string{row.Name, fmt.Sprintf("between %d models (t)", len(row.Models))}
		within := []string{row.Name, "largest within-model half-width"}
		for _, n := range varianceNumbers(r.Classifier) {
			between = append(between, n.between(&row).Short(n.verb))
			within = append(within, fmt.Sprintf("± "+n.verb, row.widest(n.of)))
		}
		rows = append(rows, between, within)
	}
	return header, rows
}

// varianceNumber is one column of the variance run: how to read it from a model, and where a row keeps
// its between-model interval.
type varianceNumber struct {
	name, verb string
	of         func(VarianceModel) stats.Interval
	between    func(*VarianceRow) *stats.Interval
}

// varianceNumbers are the columns of the variance run, in table order; classifier names the accuracy's.
func varianceNumbers(classifier string) []varianceNumber {
	return []varianceNumber{
		{"FID excess over floor", "%.3f", func(m VarianceModel) stats.Interval { return m.FIDExcess }, func(r *VarianceRow) *stats.Interval { return &r.FIDExcess }},
		{"synth accuracy (%, " + classifier + ")", "%.1f", func(m VarianceModel) stats.Interval { return m.SynthAccuracy }, func(r *VarianceRow) *stats.Interval { return &r.SynthAccuracy }},
		{"DCR ratio", "%.2f", func(m VarianceModel) stats.Interval { return m.DCRRatio }, func(r *VarianceRow) *stats.Interval { return &r.DCRRatio }},
		{"membership AUC", "%.2f", func(m VarianceModel) stats.Interval { return m.MembershipAUC }, func(r *VarianceRow) *stats.Interval { return &r.MembershipAUC }},
	}
}

// widest is the largest within-model half-width of one number over the row's models.
func (r VarianceRow) widest(of func(VarianceModel) stats.Interval) float64 {
	h := 0.0
	for _, m := range r.Models {
		h = math.Max(h, of(m).HalfWidth())
	}
	return h
}

// StoredVariance returns the stored cpu reference of the variance run (VarianceFor under the reference
// preset, stored as item VariancePlan by `netdiffus repro variance -mode cpu -write-reference`), decoded
// strictly; nil (and no error) when none is stored.
func StoredVariance() (*VarianceResult, *Reference, error) {
	r, err := ReadReference(VariancePlan)
	if err != nil || r == nil {
		return nil, nil, err
	}
	v, err := decodeResult[VarianceResult](r.Result)
	if err != nil {
		return nil, nil, fmt.Errorf("reference %s does not read into today's result type (%v): regenerate it with `netdiffus repro %s -mode %s -write-reference`",
			referencePath(VariancePlan), err, VariancePlan, ReferencePreset)
	}
	res := v.(VarianceResult)
	return &res, r, nil
}

// writeStoredVariance writes the variance run's line of the stored verdicts: per dataset, the spread
// between its models of each number against the widest within-model interval. It decides no claim.
func writeStoredVariance(w io.Writer) error {
	r, meta, err := StoredVariance()
	if err != nil {
		return err
	}
	title := VarianceTitle
	if r == nil {
		fmt.Fprintf(w, "- **%s**: no stored %s reference yet (`netdiffus repro %s -mode %s -write-reference` makes one).\n",
			title, ReferencePreset, VariancePlan, ReferencePreset)
		return nil
	}
	fmt.Fprintf(w, "- **%s** (commit %s, %s): the mean over the models with its 95%% t interval (the between-model spread), beside the widest within-model interval's half-width:\n",
		title, meta.Commit, meta.Date)
	for _, row := range r.Rows {
		fmt.Fprintf(w, "  - %s, %d models: %s.\n", row.Name, len(row.Models), strings.Join(row.spread(r.Classifier), "; "))
	}
	return nil
}

// spread says, per number, the between-model interval and the widest within-model half-width.
func (r VarianceRow) spread(classifier string) []string {
	var out []string
	for _, n := range varianceNumbers(classifier) {
		out = append(out, fmt.Sprintf("%s %s (within ± "+n.verb+")", n.name, n.between(&r).Short(n.verb), r.widest(n.of)))
	}
	return out
}
