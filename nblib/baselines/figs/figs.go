// Package figs runs the paper's GAN comparisons, Fig. 2(b) (NetDiffus against DoppelGANger on WW),
// Fig. 2(c) (against NetShare on D3-Google and D3-Alexa) and Fig. 3 (the five classifiers in the
// original and synth scenarios for both), and lays out their tables and figures with the paper's
// numbers beside ours.
//
// The NetDiffus side is the cached experiment of package repro (one call, in netDiffus); the GAN side
// is baselines.Run on the same data split, image size, FID features and classifier preset, so the two
// are measured the same way. Both results are cached under repro.ResultsDir().
package figs

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/baselines"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/plots"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/repro"
)

// Spec is one comparison: a dataset (and group) against one GAN.
type Spec struct {
	Dataset, Group string
	GAN            string // "doppelganger" or "netshare"
}

// Name is e.g. "ww-doppelganger" or "d3-google-netshare".
func (s Spec) Name() string {
	if s.Group == "" {
		return s.Dataset + "-" + s.GAN
	}
	return s.Dataset + "-" + s.Group + "-" + s.GAN
}

// Title is e.g. "D3-Google".
func (s Spec) Title() string {
	t := strings.ToUpper(s.Dataset)
	if s.Group != "" {
		t += "-" + strings.ToUpper(s.Group[:1]) + s.Group[1:]
	}
	return t
}

// Fig2b is NetDiffus against DoppelGANger on WW; Fig2c against NetShare on D3-Google and D3-Alexa.
var (
	Fig2b = []Spec{{Dataset: "ww", GAN: "doppelganger"}}
	Fig2c = []Spec{{Dataset: "d3", Group: "google", GAN: "netshare"}, {Dataset: "d3", Group: "alexa", GAN: "netshare"}}
)

// NetDiffus is what the comparison takes from the NetDiffus experiment.
type NetDiffus struct {
	ClassFID     []float64
	ClassFIDMean float64
	Accuracy     []baselines.Score
}

// Row is one comparison's result.
type Row struct {
	Spec      Spec
	Classes   []string
	NetDiffus NetDiffus
	Baseline  *baselines.Result
	Gains     baselines.Gains
}

// netDiffus runs (or loads) the NetDiffus experiment of spec: the one place this package calls repro's
// experiment runner.
func netDiffus(exp repro.ExperimentConfig, log io.Writer) (NetDiffus, error) {
	res, err := repro.RunExperiment(exp, false, log)
	if err != nil {
		return NetDiffus{}, err
	}
	nd := NetDiffus{ClassFID: res.ClassFID, ClassFIDMean: res.ClassFIDMean}
	for _, s := range res.Accuracy {
		nd.Accuracy = append(nd.Accuracy, baselines.Score{Classifier: s.Classifier, Scenario: s.Scenario, AccMean: s.AccMean, AccStd: s.AccStd, F1Mean: s.F1Mean})
	}
	return nd, nil
}

// baselineKey is what determines a baseline result (the cache key).
type baselineKey struct {
	Spec          Spec
	Variant       datasets.Variant
	DataSeed      uint64
	TrainFraction float64
	GAN           baselines.Config
	Compare       baselines.CompareConfig
}

// Run measures one comparison under preset p: the NetDiffus experiment (cached, shared with the other
// notebooks) and the GAN of the preset's name trained on the same training split (cached; force
// recomputes it, resuming a trained GAN from its checkpoint).
func Run(p preset.Preset, spec Spec, force bool, log io.Writer) (*Row, error) {
	exp := repro.ExperimentFor(p, spec.Dataset, spec.Group)
	nd, err := netDiffus(exp, log)
	if err != nil {
		return nil, err
	}
	gan, err := preset.GAN(spec.GAN, p.Name)
	if err != nil {
		return nil, err
	}
	key := baselineKey{Spec: spec, Variant: p.Data.Variant, DataSeed: p.Data.Seed, TrainFraction: p.Data.TrainFraction, GAN: gan,
		Compare: baselines.CompareConfig{ImageSize: p.Net.Size, PCAComponents: p.Measure.PCAComponents, FIDPerClass: p.Measure.FIDPerClass, Downstream: p.Downstream}}
	base, err := repro.Cached("baseline-"+spec.Name(), key, force, func() (*baselines.Result, error) {
		ds, err := datasets.Load(spec.Dataset, p.Data.Variant, p.Data.Seed)
		if err != nil {
			return nil, err
		}
		if spec.Group != "" {
			if ds = ds.Filter(spec.Group); len(ds.Traces) == 0 {
				return nil, fmt.Errorf("figs: dataset %s has no group %q", spec.Dataset, spec.Group)
			}
		}
		b, choice, err := backend.Shared()
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(log, choice)
		run := baselines.Run{Name: spec.Name(), Real: ds, TrainFraction: key.TrainFraction, Seed: key.DataSeed, GAN: gan, Compare: key.Compare,
			ModelDir: filepath.Join(repro.ResultsDir(), "models", "baseline-"+spec.Name()+"-"+gan.Name)}
		return run.Execute(context.Background(), b, log)
	})
	if err != nil {
		return nil, err
	}
	row := &Row{Spec: spec, Classes: base.Classes, NetDiffus: nd, Baseline: base}
	row.Gains = baselines.GainsOver(nd.ClassFIDMean, nd.Accuracy, base.Comparison)
	return row, nil
}

// RunAll runs the comparisons of specs in order.
func RunAll(p preset.Preset, specs []Spec, force bool, log io.Writer) ([]*Row, error) {
	var rows []*Row
	for _, s := range specs {
		r, err := Run(p, s, force, log)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.Name(), err)
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// paperFID and paperAcc are the paper's numbers for each comparison (Section 5.1; see
// baselines.PaperNumbers): FID gain and the mean synth-scenario accuracy difference.
func paperNumbers(s Spec) (fidGain, accDiff float64) {
	switch {
	case s.GAN == "doppelganger":
		return 0.280, 0.0467
	case s.Group == "google":
		return 0.856, 0.323
	case s.Group == "alexa":
		return 0.856, 0.173
	}
	return math.NaN(), math.NaN()
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}

// GainsTable lays out ours beside the paper's: per comparison the mean per-class FID of both
// generators, the FID gain, the mean synth-scenario accuracy of both over the classifiers and the
// difference, and the GAN's diversity (1: the real spread, 0: collapse). The paper reports its
// NetShare FID gain (85.6%) over D3-Google and D3-Alexa together.
func GainsTable(rows []*Row) (header []string, cells [][]string) {
	header = []string{"comparison", "FID NetDiffus", "FID GAN", "FID gain (ours)", "FID gain (paper)",
		"synth acc NetDiffus", "synth acc GAN", "acc difference (ours)", "acc difference (paper)", "GAN diversity"}
	for _, r := range rows {
		pf, pa := paperNumbers(r.Spec)
		g := r.Gains
		cells = append(cells, []string{r.Spec.Title() + " vs " + r.Baseline.Comparison.Generators[0].Name,
			fmt.Sprintf("%.2f", g.FIDNetDiffus), fmt.Sprintf("%.2f", g.FIDBaseline), pct(g.FIDGain), pct(pf),
			pct(g.AccNetDiffus), pct(g.AccBaseline), pct(g.AccDifference), pct(pa), fmt.Sprintf("%.2f", r.Baseline.Diversity.Mean)})
	}
	return header, cells
}

// OverallFIDGain is the paper's headline fidelity number over all comparisons: the mean GAN FID
// minus the mean NetDiffus FID, over the mean GAN FID (the paper: 66.4%).
func OverallFIDGain(rows []*Row) float64 {
	var nd, gan float64
	for _, r := range rows {
		nd += r.Gains.FIDNetDiffus
		gan += r.Gains.FIDBaseline
	}
	return (gan - nd) / gan
}

// FIDPlot is Fig. 2(b)/(c) for one comparison: per-class FID of NetDiffus and the GAN.
func FIDPlot(r *Row) (*plot.Plot, error) {
	return plots.Bars(fmt.Sprintf("%s: per-class FID (PCA features)", r.Spec.Title()), "FID", r.Classes,
		plots.Named{Name: "NetDiffus", Values: r.NetDiffus.ClassFID},
		plots.Named{Name: r.Baseline.Comparison.Generators[0].Name, Values: r.Baseline.Comparison.Generators[0].ClassFID})
}

// AccuracyPlot is Fig. 3 for one comparison: accuracy of each classifier trained on the original
// images, on NetDiffus's and on the GAN's synthetic images, tested on the real test images.
func AccuracyPlot(r *Row) (*plot.Plot, error) {
	var names []string
	var ori, nd, gan []float64
	for _, c := range r.Gains.PerClassifier {
		names = append(names, c.Classifier)
		ori, nd, gan = append(ori, c.Ori), append(nd, orZero(c.NetDiffus)), append(gan, orZero(c.Baseline))
	}
	return plots.Bars(fmt.Sprintf("%s: accuracy on real test data", r.Spec.Title()), "accuracy", names,
		plots.Named{Name: "original", Values: ori}, plots.Named{Name: "synth: NetDiffus", Values: nd},
		plots.Named{Name: "synth: " + r.Baseline.Comparison.Generators[0].Name, Values: gan})
}

func orZero(v float64) float64 {
	if math.IsNaN(v) {
		return 0
	}
	return v
}

// AccuracyTable is Fig. 3 as numbers: per classifier the original, NetDiffus-synth and GAN-synth
// accuracy (the original is the GAN run's; the NetDiffus experiment's own original score is beside
// it as a check that both sides trained the same classifiers on the same data).
func AccuracyTable(rows []*Row) (header []string, cells [][]string) {
	header = []string{"data", "classifier", "original", "original (NetDiffus run)", "synth NetDiffus", "synth GAN", "difference"}
	for _, r := range rows {
		for _, c := range r.Gains.PerClassifier {
			ndOri := math.NaN()
			for _, s := range r.NetDiffus.Accuracy {
				if s.Classifier == c.Classifier && s.Scenario == string(protocols.Original) {
					ndOri = s.AccMean
				}
			}
			cells = append(cells, []string{r.Spec.Title(), c.Classifier, pct(c.Ori), pct(ndOri), pct(c.NetDiffus), pct(c.Baseline), pct(c.NetDiffus - c.Baseline)})
		}
	}
	return header, cells
}

// Verdicts judges the paper's two claims of Fig. 2(b)/(c) and Fig. 3 on each comparison: NetDiffus's
// per-class FID below the GAN's, and classifiers trained on its synthetic images more accurate than on
// the GAN's (mean over the five classifiers).
func Verdicts(rows []*Row) []string {
	var fid, acc []string
	var fidOK, accOK int
	for _, r := range rows {
		pf, pa := paperNumbers(r.Spec)
		g, name := r.Gains, r.Spec.Title()
		if g.FIDGain > 0 {
			fidOK++
		}
		if g.AccDifference > 0 {
			accOK++
		}
		fid = append(fid, fmt.Sprintf("%s %s (paper %s)", name, pct(g.FIDGain), pct(pf)))
		acc = append(acc, fmt.Sprintf("%s %s (paper %s)", name, pct(g.AccDifference), pct(pa)))
	}
	return []string{
		fmt.Sprintf("NetDiffus's per-class FID is below the GAN's: %s (%d of %d comparisons; FID gain %s).",
			repro.Holds(fidOK, len(rows)), fidOK, len(rows), strings.Join(fid, ", ")),
		fmt.Sprintf("NetDiffus's synthetic images train more accurate classifiers than the GAN's: %s (%d of %d comparisons; accuracy difference %s).",
			repro.Holds(accOK, len(rows)), accOK, len(rows), strings.Join(acc, ", ")),
	}
}
