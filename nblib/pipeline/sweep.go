package pipeline

import (
	"context"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/netdiffus/netdiffus/nblib/eval/stats"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// SweepEntry is one sampler setting of a sampler sweep.
type SweepEntry struct {
	Label  string
	Sample preset.Sample
}

// SweepCalls are the network-call budgets of SamplerSweepEntries: issue 21's 10, 18, 25 and 50.
var SweepCalls = []int{10, 18, 25, 50}

// SamplerSweepEntries returns the sweep of base's sampling (its clipping, batch size and seed kept):
// DDPM-1000, DDPM-50 on trailing steps (the smoke and cpu presets' sampler), then for each budget
// of calls Heun on Karras steps (2n - 1 <= calls), Heun with churn 10, and DPM-Solver++(2M) on
// Karras and on trailing steps.
func SamplerSweepEntries(base preset.Sample, calls []int) []SweepEntry {
	mk := func(k diffusion.SamplerKind, steps int, sp diffusion.Spacing, churn float64) preset.Sample {
		s := base
		s.Sampler, s.Steps, s.Spacing, s.Eta, s.Churn = k, steps, sp, 0, churn
		return s
	}
	out := []SweepEntry{
		{"ddpm-1000", mk(diffusion.DDPM, 1000, diffusion.Trailing, 0)},
		{"ddpm-50 trailing", mk(diffusion.DDPM, 50, diffusion.Trailing, 0)},
	}
	for _, c := range calls {
		h := diffusion.StepsForCalls(diffusion.Heun, c)
		out = append(out,
			SweepEntry{fmt.Sprintf("heun-%d karras", h), mk(diffusion.Heun, h, diffusion.Karras, 0)},
			SweepEntry{fmt.Sprintf("heun-%d karras churn 10", h), mk(diffusion.Heun, h, diffusion.Karras, 10)},
			SweepEntry{fmt.Sprintf("dpmpp2m-%d karras", c), mk(diffusion.DPMSolver2M, c, diffusion.Karras, 0)},
			SweepEntry{fmt.Sprintf("dpmpp2m-%d trailing", c), mk(diffusion.DPMSolver2M, c, diffusion.Trailing, 0)})
	}
	return out
}

// SweepRow is what one sampler setting measured: fidelity with its floor, the synthetic-only
// accuracy of each classifier, and the near-copy share.
type SweepRow struct {
	Label string
	Calls int // network calls per batch of samples
	// FID is all synthetic vs all real training images; FIDMatched uses as many synthetic images as
	// the floor's test images; FIDFloor is real test vs real training (Measures).
	FID, FIDMatched, FIDFloor float64
	// SynthAcc holds each classifier's accuracy on the real test images when trained on the synthetic
	// images only (scenario synth), with its standard deviation over seeds, in the preset's order.
	SynthAcc []Score
	// OriginalAcc is the same for the real training images (scenario original): the same for every row.
	OriginalAcc []Score
	// NearCopy and MembershipAUC are the memorization audit's pooled near-copy share and distance
	// attack AUC on the images (Measures.Audit, nblib/eval/privacy), with their intervals; invalid
	// when the sets are too small to audit.
	NearCopy, MembershipAUC stats.Interval
	Seconds                 float64 // sampling wall time
}

// SynthAccMean is the mean over classifiers of the synthetic-only accuracy.
func (r SweepRow) SynthAccMean() float64 {
	s := 0.0
	for _, a := range r.SynthAcc {
		s += a.AccMean
	}
	return s / float64(max(1, len(r.SynthAcc)))
}

// SamplerSweep draws p.Sample.PerClass images per class (default: as many as the class has training
// images) from m with every entry and measures each with Measure (p.Measure and p.Downstream) and
// the near-copy share. log (may be nil) gets one line per entry as it finishes.
func SamplerSweep(ctx context.Context, b compute.Backend, p preset.Preset, d *Data, m *Model, entries []SweepEntry, log io.Writer) ([]SweepRow, error) {
	if log == nil {
		log = io.Discard
	}
	if len(m.Info.Classes) > 0 && strings.Join(m.Info.Classes, ",") != strings.Join(d.Classes, ",") {
		return nil, fmt.Errorf("pipeline: sampler sweep: the model in %s has classes %v, the data %s has %v: pass the data the model was trained on", m.Dir, m.Info.Classes, d.Name, d.Classes)
	}
	counts := SampleCounts(p.Sample.PerClass, d.TrainY, len(d.Classes))
	var rows []SweepRow
	for _, e := range entries {
		start := time.Now()
		x, y, err := Sample(ctx, m, e.Sample, counts, nil)
		if err != nil {
			return rows, fmt.Errorf("sampler %s: %w", e.Label, err)
		}
		secs := time.Since(start).Seconds()
		meas, err := Measure(b, p, d, x, y)
		if err != nil {
			return rows, fmt.Errorf("sampler %s: %w", e.Label, err)
		}
		row := SweepRow{Label: e.Label, Calls: diffusion.NetworkCalls(e.Sample.Sampler, e.Sample.Steps),
			FID: meas.FID, FIDMatched: meas.FIDMatched, FIDFloor: meas.FIDFloor, Seconds: secs,
			NearCopy: stats.Interval{Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}, MembershipAUC: stats.Interval{Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}}
		if meas.Audit != nil {
			row.NearCopy, row.MembershipAUC = meas.Audit.Pooled.NearCopyShare, meas.Audit.Pooled.MembershipAUC
		}
		for _, s := range meas.Accuracy {
			switch protocols.Scenario(s.Scenario) {
			case protocols.Synthetic:
				row.SynthAcc = append(row.SynthAcc, s)
			case protocols.Original:
				row.OriginalAcc = append(row.OriginalAcc, s)
			}
		}
		rows = append(rows, row)
		fmt.Fprintf(log, "%-28s %3d calls  FID %.3f (matched %.3f, floor %.3f)  synth acc %.3f  near copies %s  membership AUC %s  %.0f s\n",
			row.Label, row.Calls, row.FID, row.FIDMatched, row.FIDFloor, row.SynthAccMean(), row.NearCopy.Short("%.3f"), row.MembershipAUC.Short("%.2f"), secs)
	}
	return rows, nil
}

// WriteSweepTable prints rows as a table: sampler, calls, FID, matched FID, floor, mean and
// per-classifier synthetic-only accuracy (mean ± std over seeds), near-copy share and membership AUC
// with their 95% intervals, and seconds, with
// the original-data accuracy of the first row as a last line.
func WriteSweepTable(w io.Writer, rows []SweepRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	head := "sampler\tcalls\tFID\tmatched\tfloor\tsynth acc (mean)"
	if len(rows) > 0 {
		for _, a := range rows[0].SynthAcc {
			head += "\t" + a.Classifier
		}
	}
	fmt.Fprintln(tw, head+"\tnear copies (fresh: 0.05)\tmembership AUC (no leak: 0.5)\tseconds")
	for _, r := range rows {
		line := fmt.Sprintf("%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f", r.Label, r.Calls, r.FID, r.FIDMatched, r.FIDFloor, r.SynthAccMean())
		for _, a := range r.SynthAcc {
			line += fmt.Sprintf("\t%.2f±%.2f", a.AccMean, a.AccStd)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%.0f\n", line, r.NearCopy.Short("%.3f"), r.MembershipAUC.Short("%.2f"), r.Seconds)
	}
	if len(rows) > 0 {
		line := "original data\t\t\t\t\t" + fmt.Sprintf("%.3f", SweepRow{SynthAcc: rows[0].OriginalAcc}.SynthAccMean())
		for _, a := range rows[0].OriginalAcc {
			line += fmt.Sprintf("\t%.2f±%.2f", a.AccMean, a.AccStd)
		}
		fmt.Fprintln(tw, line+"\t\t\t")
	}
	return tw.Flush()
}
