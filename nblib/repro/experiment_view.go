package repro

import (
	"context"
	"fmt"
	"io"

	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/privacy"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// RunExperimentObserved is RunExperiment with observer called on every training progress report (a
// live notebook view, e.g. livetrain.Observer); a cached result trains nothing and calls it never.
func RunExperimentObserved(cfg ExperimentConfig, force bool, log io.Writer, observer func(pipeline.Progress)) (*ExperimentResult, error) {
	return Cached("experiment-"+cfg.Name(), cfg, force, func() (*ExperimentResult, error) {
		b, choice, err := backend.Shared()
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(log, choice)
		data, err := pipeline.LoadDefault(cfg.Preset, cfg.Dataset, cfg.Group)
		if err != nil {
			return nil, fmt.Errorf("experiment %s: %w", cfg.Name(), err)
		}
		res, err := pipeline.Run(context.Background(), b, cfg.Preset, data, cfg.ModelDir(), pipeline.TrainOptions{Log: log, Observer: observer})
		if err != nil {
			return nil, fmt.Errorf("experiment %s: %w", cfg.Name(), err)
		}
		return &ExperimentResult{*res}, nil
	})
}

// SummaryTable is Summary as a table (measure, value, floor, size-matched, note) for a notebook, where
// a one-paragraph line would wrap mid-word.
func (r *ExperimentResult) SummaryTable() (header []string, rows [][]string) {
	header = []string{"measure", "value", "floor (real vs real)", "size-matched", "note"}
	f := func(v float64) string { return fmt.Sprintf("%.4g", v) }
	rows = [][]string{
		{"classes", fmt.Sprint(len(r.Classes)), "", "", r.Name},
		{"U-Net parameters", fmt.Sprint(r.Params), "", "", ""},
		{"training images", fmt.Sprint(r.TrainImages), "", "", fmt.Sprintf("%.0f s, %.0f images/s at the end", r.TrainSeconds, r.ImagesPerSec)},
		{"synthetic images", fmt.Sprint(r.SynthImages), "", "", fmt.Sprintf("sampled in %.0f s", r.SampleSeconds)},
		{"FID (PCA features)", f(r.FID), f(r.FIDFloor), f(r.FIDMatched), fmt.Sprintf("matched: %d synthetic images, as many as the test set", r.TestImages)},
		{"KID (unbiased)", f(r.KID), f(r.KIDFloor), f(r.KIDMatched), "may be negative"},
		{"per-class FID", fmt.Sprintf("%.4g ± %.3g", r.ClassFIDMean, r.ClassFIDStd), f(r.ClassFIDFloorMean), f(r.ClassFIDMatchedMean), fmt.Sprintf("matched: %d images a class", r.ClassFIDRows)},
		{"pixel histogram JSD (bits)", f(r.Hist.JSD), "", "", fmt.Sprintf("EMD %.4g", r.Hist.EMD)},
		{"pixel mean / spread", fmt.Sprintf("%.3f / %.3f", r.Hist.SynthMean, r.Hist.SynthStd), "", "", fmt.Sprintf("real %.3f / %.3f", r.Hist.RealMean, r.Hist.RealStd)},
		{"decoded series: marginal W1", f(r.Traces.Marginal.Value), f(r.Traces.Marginal.Floor), "", ""},
		{"decoded series: autocorrelation distance", f(r.Traces.Autocorrelation.Value), f(r.Traces.Autocorrelation.Floor), "", ""},
		{"decoded series: discriminative score", f(r.Traces.Discriminative.Value), f(r.Traces.Discriminative.Floor), "", "0: indistinguishable"},
	}
	rows = append(rows, r.realTraceRows()...)
	rows = append(rows, []string{"FID excess over the floor", r.FIDExcess.Short("%.3g"), "0", "", "matched - floor, 95% bootstrap; above 0: further from the training images than fresh real data"})
	if r.KIDExcess.Valid() {
		rows = append(rows, []string{"KID excess over the floor", r.KIDExcess.Short("%.3g"), "0", "", "matched - floor, 95% bootstrap"})
	}
	if _, _, rel := r.ClassFIDIntervals(); rel.Valid() {
		rows = append(rows, []string{"per-class FID over its floor", rel.Short("%.3g"), "1", "", "size-matched per-class FID / floor, 95% bootstrap; above 1: further from the training images than fresh real data"})
	}
	rows = append(rows, r.auditRows()...)
	for _, n := range []string{r.SampleWarning, r.FloorNote, r.TraceNote, r.AuditNote} {
		if n != "" {
			rows = append(rows, []string{"note", "", "", "", n})
		}
	}
	return header, rows
}

// auditRows are the memorization audit's pooled numbers (images, then decoded traces), each with its
// 95% interval and the value fresh data would have, and the warning when flagged.
func (r *ExperimentResult) auditRows() [][]string {
	var rows [][]string
	for _, a := range []*privacy.Report{r.Audit, r.TraceAudit, r.FullTraceAudit} {
		if a == nil {
			continue
		}
		p, state := a.Pooled, "no sign of copying"
		if a.Flagged {
			state = "FLAGGED: possible copying (see the warning below)"
		}
		rows = append(rows,
			[]string{"audit, " + a.Space + ": DCR ratio", p.DCRRatio.Short("%.2f"), "1", "", state},
			[]string{"audit, " + a.Space + ": near copies", p.NearCopyShare.Short("%.2f"), fmt.Sprintf("%.2f", a.NearCopyQuantile), "", ""},
			[]string{"audit, " + a.Space + ": membership AUC (distance / density ratio)", p.MembershipAUC.Short("%.2f") + " / " + p.DensityRatioAUC.Short("%.2f"), "0.5", "", ""})
		if a.Flagged {
			rows = append(rows, []string{"warning", "", "", "", a.Warning})
		}
	}
	return rows
}

// ExampleFigure draws the run's examples as plots.ExampleGrid: one column per class, the real image
// above the synthetic one, titled with the run's name; width and height are plots.ExampleGridSize's.
func (r *ExperimentResult) ExampleFigure() (*plot.Plot, vg.Length, vg.Length, error) {
	var classes []string
	var real, synth [][]byte
	for _, e := range r.Examples {
		classes, real, synth = append(classes, e.Class), append(real, e.Real), append(synth, e.Synth)
	}
	p, err := plots.ExampleGrid(fmt.Sprintf("%s: real (top) and synthetic (bottom) GASF images, %dx%d", r.Name, r.Size, r.Size), r.Size, classes, real, synth)
	if err != nil {
		return nil, 0, 0, err
	}
	w, h := plots.ExampleGridSize(len(classes))
	return p, w, h, nil
}

// realTraceRows compare the synthetic traces with the real test traces at full length, in real units
// (pipeline.Measures.RealTraces), for the full-length decoder and for the image-side decoding.
func (r *ExperimentResult) realTraceRows() [][]string {
	var rows [][]string
	for _, d := range []struct {
		name string
		f    *features.RealTraceFidelity
	}{{"full-length traces", r.RealTraces}, {"image-side traces", r.RealTracesImageSide}} {
		if d.f == nil {
			continue
		}
		g := func(s features.Scored) []string {
			return []string{fmt.Sprintf("%.4g", s.Value), fmt.Sprintf("%.4g", s.Floor)}
		}
		for _, m := range []struct {
			what string
			s    features.Scored
		}{{"value JSD (bits)", d.f.ValueJSD}, {"value EMD", d.f.ValueEMD}, {"length EMD", d.f.LengthEMD}, {"within-class volume EMD", d.f.VolumeEMD},
			{"autocorrelation distance", d.f.Autocorrelation}, {"discriminative score", d.f.Discriminative}} {
			v := g(m.s)
			rows = append(rows, []string{d.name + " vs real test traces: " + m.what, v[0], v[1], "", fmt.Sprintf("%d values a trace", d.f.Lengths[2])})
		}
	}
	if t := r.TraceTSTR; t != nil {
		rows = append(rows, []string{"full-length traces: train on synthetic, test on real (%)", t.Synth.Scale(100).Short("%.1f"), t.Real.Scale(100).Short("%.1f"), "",
			fmt.Sprintf("%s on the traces averaged to %d values; floor: trained on the real training traces; difference %s points (paired)", t.Classifier, t.Points, t.Gap.Scale(100).Short("%+.1f"))})
	}
	return rows
}
