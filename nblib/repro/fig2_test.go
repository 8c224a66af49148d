package repro

import (
	"math"
	"strings"
	"testing"
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

func TestFig2CompareTableAndPlot(t *testing.T) {
	ref := fig2Rows(map[string]float64{"D1-Netflix": 0.5, "D3-Alexa": 1.2})
	this := fig2Rows(map[string]float64{"D1-Netflix": 0.7, "WW": math.NaN()})
	header, rows := Fig2Compare(this, ref)
	want := [][]string{
		{"D1-Netflix", "< 9 (D1 on average)", "2.00 ± 1.00 / ×0.50", "2.00 ± 1.00 / ×0.70"},
		{"WW", "– (figure only)", "–", "2.00 ± 1.00 / floor unknown"},
		{"D3-Alexa", "25.8 ± 11.9 (highest)", "2.00 ± 1.00 / ×1.20", notInPreset},
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
	if len(trows) != 2 || len(trows[0]) != len(h) || trows[0][4] != "2.000 ± 1.000" || trows[1][6] != "floor unknown" {
		t.Errorf("table %q", trows)
	}
	if _, err := Fig2Plot(this); err != nil {
		t.Fatal(err)
	}
}
