package repro

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/privacy"
	"github.com/netdiffus/netdiffus/nblib/eval/stats"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
)

// fig2Rows builds rows whose relative per-class FID is the given value (floor 10, matched 10 x rel);
// NaN leaves the floor unknown.
func fig2Rows(rel map[string]float64) *Fig2Result {
	r := &Fig2Result{}
	for _, name := range []string{"D1-YouTube", "D1-Stan", "D1-Netflix", "D2", "D3-Google", "D3-Alexa", "WW", "D3-Alexa (real Echo)"} {
		v, ok := rel[name]
		if !ok {
			continue
		}
		row := Fig2Row{Name: name, Classes: 2, ClassFID: []float64{1, 3}, ClassFIDMean: 2, ClassFIDStd: 1}
		if !math.IsNaN(v) {
			row.ClassFIDMatchedMean, row.ClassFIDFloorMean = 10*v, 10
		}
		r.Rows = append(r.Rows, row)
	}
	return r
}

func TestFig2Verdicts(t *testing.T) {
	base := map[string]float64{"D1-YouTube": 0.5, "D1-Stan": 0.6, "D1-Netflix": 0.7, "D2": 0.9, "D3-Google": 1.0,
		"D3-Alexa": 1.2, "WW": 0.8, "D3-Alexa (real Echo)": 2.0}
	with := func(changes map[string]float64) map[string]float64 {
		out := map[string]float64{}
		for k, v := range base {
			out[k] = v
		}
		for k, v := range changes {
			if math.IsInf(v, 1) {
				delete(out, k)
				continue
			}
			out[k] = v
		}
		return out
	}
	for _, tc := range []struct {
		name          string
		rel           map[string]float64
		d1, alexa     string // the start of each verdict
		alexaContains string
	}{
		{"paper's ranking (the real Echo, highest, is not ranked)", base, "D1 lower than the other datasets: holds (", "D3-Alexa the highest: holds (", "ranks 1 of 7"},
		{"D2 below the worst D1", with(map[string]float64{"D2": 0.65}), "D1 lower than the other datasets: holds partly (", "D3-Alexa the highest: holds (", "ranks 1 of 7"},
		{"D1 above the others", with(map[string]float64{"D1-YouTube": 3, "D1-Stan": 3, "D1-Netflix": 3}), "D1 lower than the other datasets: does not hold (", "D3-Alexa the highest: does not hold (", "ranks 4 of 7; the highest is D1-YouTube"},
		{"D3-Google above D3-Alexa", with(map[string]float64{"D3-Google": 1.5}), "D1 lower than the other datasets: holds (", "D3-Alexa the highest: does not hold (", "ranks 2 of 7; the highest is D3-Google at ×1.50"},
		{"D3-Alexa's floor unknown", with(map[string]float64{"D3-Alexa": math.NaN()}), "D1 lower than the other datasets: holds (", "D3-Alexa the highest: not tested", ""},
		{"smoke subset without D3-Alexa", with(map[string]float64{"D1-YouTube": math.Inf(1), "D1-Stan": math.Inf(1), "D2": math.Inf(1), "D3-Alexa": math.Inf(1)}),
			"D1 lower than the other datasets: holds (", "D3-Alexa the highest: not tested", ""},
		{"no D1", with(map[string]float64{"D1-YouTube": math.Inf(1), "D1-Stan": math.Inf(1), "D1-Netflix": math.Inf(1)}), "D1 lower than the other datasets: not tested", "D3-Alexa the highest: holds (", "ranks 1 of 4"},
	} {
		for _, line := range Fig2Verdicts(fig2Rows(tc.rel)) {
			if !strings.Contains(line, ": cannot tell (no interval: ") {
				t.Errorf("%s: %q is decided without an interval", tc.name, line)
			}
		}
		v := fig2PointVerdicts(fig2Rows(tc.rel))
		if len(v) != 2 || !strings.HasPrefix(v[0], tc.d1) || !strings.HasPrefix(v[1], tc.alexa) || !strings.Contains(v[1], tc.alexaContains) {
			t.Errorf("%s: verdicts\n%q\nwant prefixes %q, %q (and %q)", tc.name, v, tc.d1, tc.alexa, tc.alexaContains)
		}
	}
}

// withReplicates gives every row with a known floor bootstrap replicates of its per-class means: the
// floor fixed at 10 and the matched mean scattered around its value with standard deviation 10*spread,
// so the relative per-class FID's replicates have standard deviation spread.
func withReplicates(r *Fig2Result, spread float64) *Fig2Result {
	rng := rand.New(rand.NewPCG(5, 5))
	for i, row := range r.Rows {
		if row.ClassFIDFloorMean <= 0 {
			continue
		}
		b := &fid.PerClassReplicates{Rows: 10}
		for range pipeline.ClassFIDReplicates {
			b.Synth = append(b.Synth, row.ClassFIDMatchedMean+10*spread*rng.NormFloat64())
			b.Floor = append(b.Floor, 10)
		}
		r.Rows[i].ClassFIDBootstrap = b
	}
	return r
}

// TestFig2VerdictsWithIntervals decides the statements on pairwise intervals: a clear ranking holds,
// one pair on the wrong side makes the statement fail, wide intervals cannot tell, and one row without
// replicates sends the whole result back to the point estimates.
func TestFig2VerdictsWithIntervals(t *testing.T) {
	base := map[string]float64{"D1-YouTube": 0.5, "D1-Stan": 0.6, "D1-Netflix": 0.7, "D2": 0.9, "D3-Google": 1.0,
		"D3-Alexa": 1.2, "WW": 0.8, "D3-Alexa (real Echo)": 2.0}
	d2Low := map[string]float64{}
	for k, v := range base {
		d2Low[k] = v
	}
	d2Low["D2"] = 0.65
	for _, tc := range []struct {
		name      string
		rel       map[string]float64
		spread    float64
		d1, alexa string
		contains  string
	}{
		{"clear ranking", base, 0.01, "D1 lower than the other datasets (each D1 dataset's relative per-class FID minus each other's): holds (",
			"D3-Alexa the highest (its relative per-class FID minus each other dataset's): holds (", "holds on 12)"},
		{"D2 below D1-Netflix", d2Low, 0.01, "D1 lower than the other datasets (each D1 dataset's relative per-class FID minus each other's): does not hold (",
			"D3-Alexa the highest (its relative per-class FID minus each other dataset's): holds (", "does not hold on 1: D1-Netflix − D2 +0.05 ["},
		{"wide intervals", base, 1, "D1 lower than the other datasets (each D1 dataset's relative per-class FID minus each other's): cannot tell (",
			"D3-Alexa the highest (its relative per-class FID minus each other dataset's): cannot tell (", "cannot tell on "},
	} {
		v := Fig2Verdicts(withReplicates(fig2Rows(tc.rel), tc.spread))
		if len(v) != 2 || !strings.HasPrefix(v[0], tc.d1) || !strings.HasPrefix(v[1], tc.alexa) || !strings.Contains(v[0], tc.contains) {
			t.Errorf("%s: verdicts\n%q\nwant prefixes %q, %q (and %q in the first)", tc.name, v, tc.d1, tc.alexa, tc.contains)
		}
	}
	mixed := withReplicates(fig2Rows(base), 0.01)
	mixed.Rows[0].ClassFIDBootstrap = nil
	for _, line := range Fig2Verdicts(mixed) {
		if !strings.Contains(line, ": cannot tell (no interval: ") {
			t.Errorf("one row without replicates: %q is decided without an interval", line)
		}
	}
	row := withReplicates(fig2Rows(map[string]float64{"WW": 0.8}), 0.01).Rows[0]
	if iv := row.RelativeInterval(); !iv.Valid() || !iv.Contains(0.8) || iv.HalfWidth() > 0.05 {
		t.Errorf("relative interval %v: want about 0.8 ± 0.02", iv)
	}
}

func TestFig2CompareTableAndPlot(t *testing.T) {
	ref := fig2Rows(map[string]float64{"D1-Netflix": 0.5, "D3-Alexa": 1.2})
	this := fig2Rows(map[string]float64{"D1-Netflix": 0.7, "WW": math.NaN()})
	iv := func(est float64) stats.Interval {
		return stats.Interval{Estimate: est, Lo: est - 0.05, Hi: est + 0.05, N: 100}
	}
	this.Rows[0].Audits = []privacy.Report{
		{Space: "images", Pooled: privacy.Result{DCRRatio: iv(1.1), MembershipAUC: iv(0.57)}},
		{Space: "decoded traces", Flagged: true}, {Space: "full-length traces", Flagged: true}}
	header, rows := Fig2Compare(this, ref)
	want := [][]string{
		{"D1-Netflix", "< 9 (D1 on average)", "2.00 ± 1.00 / ×0.50", "2.00 ± 1.00 / ×0.70", "1.10 [1.05, 1.15] / 0.57 [0.52, 0.62] (FLAGGED on decoded traces, full-length traces)"},
		{"WW", "– (figure only)", "–", "2.00 ± 1.00 / floor unknown", "–"},
		{"D3-Alexa", "25.8 ± 11.9 (highest)", "2.00 ± 1.00 / ×1.20", notInPreset, notInPreset},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q", rows)
	}
	for i := range want {
		if len(rows[i]) != len(header) || strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d = %q, want %q", i, rows[i], want[i])
		}
	}
	h, trows := Fig2Table(this)
	if len(trows) != 2 || len(trows[0]) != len(h) || trows[0][4] != "2.000 ± 1.000" || trows[1][6] != "floor unknown" || trows[0][8] != want[0][4] {
		t.Errorf("table %q", trows)
	}
	clean := Fig2Row{Audits: pooledAudits(&privacy.Report{Space: "images", Pooled: privacy.Result{DCRRatio: iv(1.0), MembershipAUC: iv(0.5)},
		Classes: []privacy.Result{{Class: 0}}}, nil)}
	if got := clean.AuditCell(); got != "1.00 [0.95, 1.05] / 0.50 [0.45, 0.55] (no sign of copying)" || len(clean.Audits) != 1 || clean.Audits[0].Classes != nil {
		t.Errorf("an unflagged audit: %q, %+v (want its per-class rows left out)", got, clean.Audits)
	}
	if _, err := Fig2Plot(this); err != nil {
		t.Fatal(err)
	}
}
