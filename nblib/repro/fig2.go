package repro

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/privacy"
	"github.com/netdiffus/netdiffus/nblib/eval/stats"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/plots"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// AllFidelityDatasets are the seven datasets of the paper's Fig. 2(a): D1 x 3, D2, D3 x 2 and WW.
// The real Echo traffic ("alexa") follows them in cpu and full.
var AllFidelityDatasets = []string{"d1-youtube", "d1-stan", "d1-netflix", "d2", "d3-google", "d3-alexa", "ww", "alexa"}

// Fig2Config is Fig. 2(a) over the datasets of a preset.
type Fig2Config struct {
	Preset   preset.Preset
	Datasets []string
}

// Fig2For is Fig. 2(a)'s configuration: the preset's Figures.FidelityDatasets in smoke (a subset,
// so that CI stays in minutes), all seven of the paper and the real Echo traffic in cpu and full.
func Fig2For(p preset.Preset) Fig2Config {
	c := Fig2Config{Preset: p, Datasets: AllFidelityDatasets}
	if p.Name == preset.Smoke {
		c.Datasets = p.Figures.FidelityDatasets
	}
	return c
}

// Fig2Row is one dataset of Fig. 2(a): its fidelity numbers, without the example images and loss curve
// of its experiment (those stay in the experiment's own cache entry), so that a stored reference stays
// small.
type Fig2Row struct {
	Name         string // as the paper writes it: "D1-YouTube", "WW", "D3-Alexa (real Echo)"
	Classes      int
	TrainedSteps int64
	// FID is all synthetic against all real training images; FIDFloor real test against real training.
	FID, FIDFloor float64
	// ClassFID is per class, in class order (real training against synthetic images of the class).
	ClassFID                  []float64
	ClassFIDMean, ClassFIDStd float64
	// ClassFIDMatchedMean is the per-class FID at the smallest class's real test count and
	// ClassFIDFloorMean real training against real test at that count; both 0 when a class has too few
	// test images (FloorNote says why).
	ClassFIDMatchedMean, ClassFIDFloorMean float64
	// ClassFIDBootstrap is the experiment's bootstrap replicates of the two means (nil in a result
	// made before they were kept): the intervals of Relative and of the verdicts' differences.
	ClassFIDBootstrap *fid.PerClassReplicates `json:",omitempty"`
	FloorNote         string                  `json:",omitempty"`
	PixelJSD          float64                 // bits, between the pixel histograms
	// Audits are the experiment's pooled memorization audits (images, decoded traces, full-length
	// traces; privacy.Report without its per-class rows), empty in a result made before they were kept.
	Audits []privacy.Report `json:",omitempty"`
}

// AuditCell says one row's image audit in a cell: DCR ratio and membership AUC with their intervals,
// and which audits flagged the model; "–" without audits.
func (r Fig2Row) AuditCell() string {
	if len(r.Audits) == 0 {
		return "–"
	}
	a := r.Audits[0].Pooled
	var flagged []string
	for _, x := range r.Audits {
		if x.Flagged {
			flagged = append(flagged, x.Space)
		}
	}
	state := "no sign of copying"
	if len(flagged) > 0 {
		state = "FLAGGED on " + strings.Join(flagged, ", ")
	}
	return fmt.Sprintf("%s / %s (%s)", a.DCRRatio.Short("%.2f"), a.MembershipAUC.Short("%.2f"), state)
}

// Relative is the size-matched per-class FID over its real floor, or NaN when the floor is unknown.
// Each dataset's FID is taken on the principal components of its own images, so raw values do not
// compare across datasets; the ratio does: 1 means synthetic images are as close to the training
// images as fresh real ones.
func (r Fig2Row) Relative() float64 {
	if r.ClassFIDFloorMean <= 0 {
		return math.NaN()
	}
	return r.ClassFIDMatchedMean / r.ClassFIDFloorMean
}

// relativeReplicates are the bootstrap replicates of Relative (nil without them).
func (r Fig2Row) relativeReplicates() []float64 {
	if r.ClassFIDBootstrap == nil {
		return nil
	}
	return pipeline.Ratios(r.ClassFIDBootstrap.Synth, r.ClassFIDBootstrap.Floor)
}

// RelativeInterval is Relative's 95% bootstrap interval (invalid without replicates).
func (r Fig2Row) RelativeInterval() stats.Interval {
	n := 0
	if r.ClassFIDBootstrap != nil {
		n = r.ClassFIDBootstrap.Rows
	}
	return pipeline.ShiftedPercentiles(r.relativeReplicates(), pipeline.ClassFIDReplicates, r.Relative(), n)
}

// relativeDiff is the 95% interval of a.Relative() - b.Relative(): the two datasets' replicates are
// independent draws, so replicate i of the difference is the difference of replicates i.
func relativeDiff(a, b Fig2Row) stats.Interval {
	ra, rb := a.relativeReplicates(), b.relativeReplicates()
	var d []float64
	for i := range min(len(ra), len(rb)) {
		d = append(d, ra[i]-rb[i])
	}
	n := 0
	if a.ClassFIDBootstrap != nil && b.ClassFIDBootstrap != nil {
		n = min(a.ClassFIDBootstrap.Rows, b.ClassFIDBootstrap.Rows)
	}
	return pipeline.ShiftedPercentiles(d, pipeline.ClassFIDReplicates, a.Relative()-b.Relative(), n)
}

// Fig2Result is Fig. 2(a): one row per dataset, in the configuration's order.
type Fig2Result struct {
	Rows []Fig2Row
}

// Fig2 runs (or loads) the standard experiment of every dataset of c, each cached on its own as
// RunExperiment caches it (so Fig. 7, 03_netdiffus and the other figures share models and results).
func Fig2(c Fig2Config, force bool, log io.Writer) (*Fig2Result, error) {
	rs, err := experiments(c.Preset, c.Datasets, force, log)
	if err != nil {
		return nil, fmt.Errorf("fig2 %w", err)
	}
	out := &Fig2Result{}
	for i, r := range rs {
		out.Rows = append(out.Rows, fig2Row(c.Datasets[i], r))
	}
	return out, nil
}

// fig2Row keeps the fidelity numbers of one experiment.
func fig2Row(name string, r *ExperimentResult) Fig2Row {
	return Fig2Row{Name: datasetLabel(name), Classes: len(r.Classes), TrainedSteps: r.TrainedSteps, FID: r.FID, FIDFloor: r.FIDFloor,
		ClassFID: r.ClassFID, ClassFIDMean: r.ClassFIDMean, ClassFIDStd: r.ClassFIDStd,
		ClassFIDMatchedMean: r.ClassFIDMatchedMean, ClassFIDFloorMean: r.ClassFIDFloorMean,
		ClassFIDBootstrap: r.ClassFIDBootstrap, FloorNote: r.FloorNote, PixelJSD: r.Hist.JSD, Audits: pooledAudits(r.Audit, r.TraceAudit, r.FullTraceAudit)}
}

// pooledAudits keeps the given audits without their per-class rows, in order, leaving out the missing.
func pooledAudits(reports ...*privacy.Report) []privacy.Report {
	var out []privacy.Report
	for _, r := range reports {
		if r != nil {
			pooled := *r
			pooled.Classes = nil
			out = append(out, pooled)
		}
	}
	return out
}

// paperFig2 is what the paper's text states of Fig. 2(a) (Inception features; the bars are not
// tabulated): D1 "less than 9 on average", D3-Alexa the highest at 25.8 ± 11.9. The real Echo traffic
// stands beside D3-Alexa, as in Table 1.
var paperFig2 = map[string]string{
	"D1-YouTube": "< 9 (D1 on average)", "D1-Stan": "< 9 (D1 on average)", "D1-Netflix": "< 9 (D1 on average)",
	"D3-Alexa": "25.8 ± 11.9 (highest)", realName("alexa"): "25.8 ± 11.9 (D3-Alexa)",
}

// Fig2Compare is the notebook's table: per dataset the paper's per-class FID, and the reference's and
// this run's per-class FID with, after the slash, the size-matched per-class FID over its real floor;
// then this run's memorization audit (Fig2Row.AuditCell).
func Fig2Compare(this, ref *Fig2Result) (header []string, rows [][]string) {
	header = []string{"dataset", "paper per-class FID", "cpu reference per-class FID / relative to floor",
		"this run per-class FID / relative to floor", "this run's memorization audit: DCR ratio / membership AUC (images)"}
	var refRows []Fig2Row
	if ref != nil {
		refRows = ref.Rows
	}
	key := func(r Fig2Row) string { return r.Name }
	f := func(r Fig2Row) string {
		if iv := r.RelativeInterval(); iv.Valid() {
			return fmt.Sprintf("%.2f ± %.2f / ×%s", r.ClassFIDMean, r.ClassFIDStd, iv.Short("%.2f"))
		}
		return fmt.Sprintf("%.2f ± %.2f / %s", r.ClassFIDMean, r.ClassFIDStd, ratio(r.Relative()))
	}
	for _, c := range pairUp(this.Rows, refRows, key) {
		paper := paperFig2[c.Row().Name]
		if paper == "" {
			paper = "– (figure only)"
		}
		rows = append(rows, []string{c.Row().Name, paper, cell(c.Ref, c.HasRef, false, f), cell(c.This, c.HasThis, true, f),
			cell(c.This, c.HasThis, true, Fig2Row.AuditCell)})
	}
	return header, rows
}

// ratio formats a relative FID ("×0.71"), or says the floor is unknown.
func ratio(v float64) string {
	if math.IsNaN(v) {
		return "floor unknown"
	}
	return fmt.Sprintf("×%.2f", v)
}

// Fig2Table lists each dataset's fidelity numbers for a terminal.
func Fig2Table(r *Fig2Result) (header []string, rows [][]string) {
	header = []string{"dataset", "classes", "steps", "FID (floor)", "per-class FID", "size-matched per-class FID (floor)",
		"relative", "pixel JSD (bits)", "memorization audit: DCR ratio / membership AUC (images)"}
	for _, row := range r.Rows {
		rows = append(rows, []string{row.Name, fmt.Sprint(row.Classes), fmt.Sprint(row.TrainedSteps),
			fmt.Sprintf("%.3f (%.3f)", row.FID, row.FIDFloor), fmt.Sprintf("%.3f ± %.3f", row.ClassFIDMean, row.ClassFIDStd),
			fmt.Sprintf("%.3f (%.3f)", row.ClassFIDMatchedMean, row.ClassFIDFloorMean), ratio(row.Relative()),
			fmt.Sprintf("%.4f", row.PixelJSD), row.AuditCell()})
	}
	return header, rows
}

// Fig2Plot is Fig. 2(a): per dataset the mean per-class FID, and the size-matched per-class FID
// beside its real floor.
func Fig2Plot(r *Fig2Result) (*plot.Plot, error) {
	names := make([]string, len(r.Rows))
	mean, matched, floor := make([]float64, len(r.Rows)), make([]float64, len(r.Rows)), make([]float64, len(r.Rows))
	for i, row := range r.Rows {
		names[i], mean[i], matched[i], floor[i] = row.Name, row.ClassFIDMean, row.ClassFIDMatchedMean, row.ClassFIDFloorMean
	}
	return plots.Bars("Fig. 2(a): per-class FID by dataset (PCA features)", "Frechet distance", names,
		plots.Named{Name: "per-class FID", Values: mean}, plots.Named{Name: "size-matched", Values: matched},
		plots.Named{Name: "real floor (size-matched)", Values: floor})
}

// Fig2Verdicts judges the paper's two statements of Fig. 2(a) on the relative per-class FID (the raw
// FIDs are on each dataset's own features): D1 lower than the other datasets, and D3-Alexa the highest.
// Only the paper's seven datasets are ranked; the real Echo traffic is shown, not ranked. Each
// statement is a set of pairwise differences decided by the one rule on their bootstrap intervals
// (relativeDiff) and combined by stats.Combine; a result without replicates cannot tell, and its
// ranking on the point estimates is given.
func Fig2Verdicts(r *Fig2Result) []string {
	d1, others := fig2Ranked(r)
	if !fig2HasReplicates(append(slices.Clone(d1), others...)) {
		const why = "per-class FIDs are stored without bootstrap replicates"
		var out []string
		for _, v := range fig2PointVerdicts(r) {
			out = append(out, asPointEstimate(why, v))
		}
		return out
	}
	var out []string
	if len(d1) == 0 || len(others) == 0 {
		out = append(out, "D1 lower than the other datasets: not tested (this run lacks D1 or another dataset with a known floor).")
	} else {
		var pairs [][2]Fig2Row
		for _, a := range d1 {
			for _, b := range others {
				pairs = append(pairs, [2]Fig2Row{a, b})
			}
		}
		out = append(out, judgePairs("D1 lower than the other datasets (each D1 dataset's relative per-class FID minus each other's)", stats.Less(0), pairs))
	}
	all := append(slices.Clone(d1), others...)
	i := slices.IndexFunc(all, func(r Fig2Row) bool { return r.Name == "D3-Alexa" })
	if i < 0 || len(all) < 2 {
		return append(out, "D3-Alexa the highest: not tested (this run lacks D3-Alexa or another dataset with a known floor).")
	}
	var pairs [][2]Fig2Row
	for j, b := range all {
		if j != i {
			pairs = append(pairs, [2]Fig2Row{all[i], b})
		}
	}
	return append(out, judgePairs("D3-Alexa the highest (its relative per-class FID minus each other dataset's)", stats.Greater(0), pairs))
}

// fig2Ranked splits the rows with a known floor into D1 and the other datasets of the paper.
func fig2Ranked(r *Fig2Result) (d1, others []Fig2Row) {
	for _, row := range r.Rows {
		switch {
		case math.IsNaN(row.Relative()) || row.Name == datasetLabel("alexa"):
		case strings.HasPrefix(row.Name, "D1-"):
			d1 = append(d1, row)
		default:
			others = append(others, row)
		}
	}
	return d1, others
}

// fig2HasReplicates reports whether every row carries bootstrap replicates.
func fig2HasReplicates(rows []Fig2Row) bool {
	for _, r := range rows {
		if r.ClassFIDBootstrap == nil || len(r.ClassFIDBootstrap.Synth) == 0 {
			return false
		}
	}
	return len(rows) > 0
}

// judgePairs decides claim c on the difference of every pair of rows and words the verdict: the
// outcome (stats.Combine over the pairs), the count of each outcome, and the intervals of the pairs
// that did not hold.
func judgePairs(claim string, c stats.Claim, pairs [][2]Fig2Row) string {
	var outcomes []stats.Outcome
	counts := map[stats.Outcome][]string{}
	for _, p := range pairs {
		v := stats.Decide(c, relativeDiff(p[0], p[1]))
		outcomes = append(outcomes, v.Outcome)
		counts[v.Outcome] = append(counts[v.Outcome], fmt.Sprintf("%s − %s %s", p[0].Name, p[1].Name, v.Interval.Short("%+.2f")))
	}
	var s strings.Builder
	fmt.Fprintf(&s, "%s: %s (95%% bootstrap of each difference over %d pairs", claim, stats.Combine(outcomes...), len(pairs))
	for _, o := range []stats.Outcome{stats.Holds, stats.DoesNotHold, stats.CannotTell} {
		if n := len(counts[o]); n > 0 && o == stats.Holds {
			fmt.Fprintf(&s, "; %s on %d", o, n)
		} else if n > 0 {
			fmt.Fprintf(&s, "; %s on %d: %s", o, n, strings.Join(counts[o], ", "))
		}
	}
	s.WriteString(").")
	return s.String()
}

// fig2PointVerdicts ranks the datasets on the point estimates of their relative per-class FID.
func fig2PointVerdicts(r *Fig2Result) []string {
	d1, others := fig2Ranked(r)
	return []string{fig2D1Verdict(d1, others), fig2AlexaVerdict(append(d1, others...))}
}

// fig2D1Verdict: every D1 dataset below every other one holds, below the others' mean partly.
func fig2D1Verdict(d1, others []Fig2Row) string {
	if len(d1) == 0 || len(others) == 0 {
		return "D1 lower than the other datasets: not tested (this run lacks D1 or another dataset with a known floor)."
	}
	below, worstD1 := 0, maxRelative(d1)
	for _, o := range others {
		if o.Relative() > worstD1 {
			below++
		}
	}
	verdict := Holds(below, len(others))
	if below < len(others) && meanRelative(d1) < meanRelative(others) {
		verdict = "holds partly"
	}
	return fmt.Sprintf("D1 lower than the other datasets: %s (relative per-class FID: D1 mean %s, worst %s; the other %d: mean %s, %d of them above every D1 dataset).",
		verdict, ratio(meanRelative(d1)), ratio(worstD1), len(others), ratio(meanRelative(others)), below)
}

// fig2AlexaVerdict: D3-Alexa ranks first by relative per-class FID.
func fig2AlexaVerdict(rows []Fig2Row) string {
	i := slices.IndexFunc(rows, func(r Fig2Row) bool { return r.Name == "D3-Alexa" })
	if i < 0 || len(rows) < 2 {
		return "D3-Alexa the highest: not tested (this run lacks D3-Alexa or another dataset with a known floor)."
	}
	rank := 1
	worst := rows[0]
	for _, r := range rows {
		if r.Relative() > rows[i].Relative() {
			rank++
		}
		if r.Relative() > worst.Relative() {
			worst = r
		}
	}
	verdict := "holds"
	if rank > 1 {
		verdict = "does not hold"
	}
	return fmt.Sprintf("D3-Alexa the highest: %s (D3-Alexa %s ranks %d of %d; the highest is %s at %s).",
		verdict, ratio(rows[i].Relative()), rank, len(rows), worst.Name, ratio(worst.Relative()))
}

func maxRelative(rows []Fig2Row) float64 {
	m := math.Inf(-1)
	for _, r := range rows {
		m = max(m, r.Relative())
	}
	return m
}

func meanRelative(rows []Fig2Row) float64 {
	var s float64
	for _, r := range rows {
		s += r.Relative()
	}
	return s / float64(len(rows))
}

func init() {
	register(newItem("fig2", "Fig. 2(a): per-class FID over the paper's seven datasets", Fig2For, Fig2, Fig2Compare, Fig2Verdicts, onePlot("fig2a_class_fid", Fig2Plot)))
}
