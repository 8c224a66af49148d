package repro

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/nblib/eval/stats"
	"github.com/netdiffus/netdiffus/nblib/plots"
)

// ganPaper is what the paper reports of one comparison (Section 5.1): the FID gain (FID_GAN -
// FID_NetDiffus) / FID_GAN and the mean synth-scenario accuracy difference over the five classifiers,
// in points. The NetShare FID gain (85.6%) is over D3-Google and D3-Alexa together; over every GAN
// comparison it is 66.4%.
type ganPaper struct {
	FIDGain, AccPoints float64
}

var paperGAN = map[string]ganPaper{
	"ww-doppelganger":    {FIDGain: 0.280, AccPoints: 4.67},
	"d3-google-netshare": {FIDGain: 0.856, AccPoints: 32.3},
	"d3-alexa-netshare":  {FIDGain: 0.856, AccPoints: 17.3},
}

// paperOverallGain is the paper's FID gain over all the comparisons of a figure.
var paperOverallGain = map[string]float64{"fig2b": 0.280, "fig2c": 0.856}

// FIDGain is the paper's fidelity gain of NetDiffus over the GAN on the mean per-class FID:
// (FID_GAN - FID_NetDiffus) / FID_GAN.
func (r GANRow) FIDGain() float64 {
	return (r.GAN.ClassFIDMean - r.NetDiffus.ClassFIDMean) / r.GAN.ClassFIDMean
}

// AccDifference is NetDiffus's mean synth-scenario accuracy minus the GAN's, in points.
func (r GANRow) AccDifference() float64 { return r.NetDiffus.SynthMean() - r.GAN.SynthMean() }

// OverallFIDGain is the gain on the mean FIDs over every comparison (the paper: 66.4% over all GANs,
// 85.6% over NetShare on D3).
func (r *GANResult) OverallFIDGain() float64 {
	var nd, gan float64
	for _, row := range r.Rows {
		nd += row.NetDiffus.ClassFIDMean
		gan += row.GAN.ClassFIDMean
	}
	return (gan - nd) / gan
}

// ganCell is one measure of one comparison, for the notebook's table.
type ganCell struct {
	Comparison, Measure, Paper, Value string
}

// ganCells lists the table's measures of a result: per comparison the per-class FID of both, the
// FID gain, the FID excess over the real floor of both, the synth-scenario accuracy of both and its
// difference, the GAN's diversity and both audits; then the gain over all comparisons.
func ganCells(r *GANResult) []ganCell {
	var out []ganCell
	for _, row := range r.Rows {
		p, hasPaper := paperGAN[row.Spec.Name()]
		paperGain, paperAcc := "–", "–"
		if hasPaper {
			paperGain, paperAcc = percent(p.FIDGain), fmt.Sprintf("%+.1f", p.AccPoints)
		}
		name := row.Title + " vs " + row.GAN.Generator
		out = append(out,
			ganCell{name, "per-class FID: NetDiffus / GAN", "–", fmt.Sprintf("%.2f / %.2f", row.NetDiffus.ClassFIDMean, row.GAN.ClassFIDMean)},
			ganCell{name, "FID gain", paperGain, percent(row.FIDGain())},
			ganCell{name, "per-class FID: GAN - NetDiffus [95% paired bootstrap]", "–", row.ClassFIDGap.Short("%+.2f")},
			ganCell{name, "FID excess over the real floor: NetDiffus / GAN", "–", row.NetDiffus.FIDExcess.Short("%.2f") + " / " + row.GAN.FIDExcess.Short("%.2f")},
			ganCell{name, "synth accuracy %: NetDiffus / GAN", "–", fmt.Sprintf("%.1f / %.1f", row.NetDiffus.SynthMean(), row.GAN.SynthMean())},
			ganCell{name, "synth accuracy difference (points)", paperAcc, fmt.Sprintf("%+.1f", row.AccDifference())},
			ganCell{name, "GAN diversity (1: real spread, 0: collapse)", "–", fmt.Sprintf("%.2f", row.Diversity)},
			ganCell{name, "memorization audit: NetDiffus / GAN", "–", auditWord(row.NetDiffus) + " / " + auditWord(row.GAN)},
		)
	}
	if len(r.Rows) > 1 {
		paper := "–"
		if g, ok := paperOverallGain[r.Figure]; ok {
			paper = percent(g)
		}
		out = append(out, ganCell{"all comparisons", "FID gain on the mean FIDs", paper, percent(r.OverallFIDGain())})
	}
	return out
}

// auditWord says whether a side's memorization audit flagged it.
func auditWord(s GANSide) string {
	switch {
	case s.Flagged:
		return "flagged"
	case strings.HasPrefix(s.Audit, "not audited") || s.Audit == "":
		return "not audited"
	}
	return "not flagged"
}

// percent formats a share as a percentage, "–" for NaN.
func percent(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*v)
}

// GANCompare is the notebook's table: per comparison and measure, the paper's number, the cpu
// reference's and this run's.
func GANCompare(this, ref *GANResult) (header []string, rows [][]string) {
	header = []string{"comparison", "measure", "paper", "cpu reference", "this run"}
	var refCells []ganCell
	if ref != nil {
		refCells = ganCells(ref)
	}
	key := func(c ganCell) string { return c.Comparison + "|" + c.Measure }
	value := func(c ganCell) string { return c.Value }
	for _, c := range pairUp(ganCells(this), refCells, key) {
		row := c.Row()
		rows = append(rows, []string{row.Comparison, row.Measure, row.Paper, cell(c.Ref, c.HasRef, false, value), cell(c.This, c.HasThis, true, value)})
	}
	return header, rows
}

// GANVerdicts judges the paper's two claims of Fig. 2(b)/(c) and Fig. 3 on each comparison by the one
// rule: NetDiffus's per-class FID below the GAN's, on the paired bootstrap interval of the GAN's mean
// per-class FID minus NetDiffus's (GANRow.ClassFIDGap); classifiers more accurate on NetDiffus's
// synthetic images than on the GAN's, on the paired interval over the real test traces, per comparison
// and classifier (judgeGains). The paper claims both of every comparison (stats.Combine).
func GANVerdicts(r *GANResult) []string {
	return []string{ganFIDVerdict(r), ganAccVerdict(r)}
}

// ganFIDVerdict decides "FID_GAN - FID_NetDiffus > 0" per comparison, with the FID gains beside.
func ganFIDVerdict(r *GANResult) string {
	const claim = "NetDiffus's per-class FID is below the GAN's"
	if len(r.Rows) == 0 {
		return claim + ": cannot tell (nothing measured)."
	}
	var outcomes []stats.Outcome
	var parts []string
	for _, row := range r.Rows {
		v := stats.Decide(stats.Greater(0), row.ClassFIDGap)
		outcomes = append(outcomes, v.Outcome)
		parts = append(parts, fmt.Sprintf("%s %s %s, FID gain %s (paper %s)", row.Title, row.ClassFIDGap.Short("%+.2f"), v.Outcome,
			percent(row.FIDGain()), percent(paperGAN[row.Spec.Name()].FIDGain)))
	}
	return fmt.Sprintf("%s: %s (GAN minus NetDiffus mean per-class FID, 95%% paired bootstrap over the rows of each class: %s).",
		claim, stats.Combine(outcomes...), strings.Join(parts, "; "))
}

// ganAccVerdict decides "acc_NetDiffus - acc_GAN > 0" in the synth scenario per comparison and
// classifier.
func ganAccVerdict(r *GANResult) string {
	var cases []accCase
	var paper []string
	for _, row := range r.Rows {
		paper = append(paper, fmt.Sprintf("%s %+.1f", row.Title, paperGAN[row.Spec.Name()].AccPoints))
		gan := map[string]Acc{}
		for _, c := range row.GAN.Classifiers {
			gan[c.Classifier] = c.Synth
		}
		for _, c := range row.NetDiffus.Classifiers {
			if g, ok := gan[c.Classifier]; ok {
				cases = append(cases, accCase{Name: row.Title + " " + c.Classifier, A: c.Synth, B: g})
			}
		}
	}
	return judgeGains("NetDiffus's synthetic images train more accurate classifiers than the GAN's (synth scenario, per comparison and classifier)",
		stats.Greater(0), cases, "mean over the five classifiers "+strings.Join(paper, ", ")+" points")
}

// GANPlots are the figure's panels: per comparison the per-class FID of both generators (Fig. 2(b)/(c))
// and the accuracy of each classifier trained on the original, NetDiffus's and the GAN's images
// (Fig. 3).
func GANPlots(r *GANResult) ([]Figure, error) {
	var out []Figure
	for _, row := range r.Rows {
		fid, err := plots.Bars(fmt.Sprintf("%s: per-class FID (PCA features)", row.Title), "FID", row.Classes,
			plots.Named{Name: "NetDiffus", Values: row.NetDiffus.ClassFID}, plots.Named{Name: row.GAN.Generator, Values: row.GAN.ClassFID})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", row.Spec.Name(), err)
		}
		acc, err := ganAccuracyPlot(row)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", row.Spec.Name(), err)
		}
		out = append(out, Figure{Name: r.Figure + "_fid_" + row.Spec.Name(), Plot: fid}, Figure{Name: r.Figure + "_fig3_" + row.Spec.Name(), Plot: acc})
	}
	return out, nil
}

// ganAccuracyPlot is Fig. 3 for one comparison, in percent.
func ganAccuracyPlot(row GANRow) (*plot.Plot, error) {
	gan := map[string]float64{}
	for _, c := range row.GAN.Classifiers {
		gan[c.Classifier] = c.Synth.Mean
	}
	var names []string
	var ori, nd, g []float64
	for _, c := range row.NetDiffus.Classifiers {
		names = append(names, c.Classifier)
		ori, nd, g = append(ori, c.Original.Mean), append(nd, c.Synth.Mean), append(g, gan[c.Classifier])
	}
	return plots.Bars(fmt.Sprintf("%s: accuracy on real test data", row.Title), "accuracy (%)", names,
		plots.Named{Name: "original", Values: ori}, plots.Named{Name: "synth: NetDiffus", Values: nd},
		plots.Named{Name: "synth: " + row.GAN.Generator, Values: g})
}

func init() {
	register(newItem("fig2b", "Fig. 2(b) and 3: NetDiffus against a DoppelGANger-style GAN on WW", Fig2bFor, GANFigure, GANCompare, GANVerdicts, GANPlots))
	register(newItem("fig2c", "Fig. 2(c) and 3: NetDiffus against a NetShare-style GAN on D3-Google and D3-Alexa", Fig2cFor, GANFigure, GANCompare, GANVerdicts, GANPlots))
}
