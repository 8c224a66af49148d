package repro

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
)

// A smoke run covers a subset of the cpu reference: every Compare lists this run's rows first, pairs
// them with the reference's by key, and then shows the rows only the reference has, with "not in this
// preset" in this run's column.
func TestCompareShowsReferenceOnlyRows(t *testing.T) {
	sc := func(o, s, os float64) ScenarioAcc {
		return ScenarioAcc{Original: Acc{Mean: o}, Synth: Acc{Mean: s}, OriSynth: Acc{Mean: os}}
	}
	netflix := Fig6Curve{Name: "D1-Netflix", Unit: "s", Points: []Fig6Point{{Fraction: 1, Length: 180, ScenarioAcc: sc(60, 70, 80)}}}
	refNetflix := Fig6Curve{Name: "D1-Netflix", Unit: "s", Points: []Fig6Point{{Fraction: 1, Length: 180, ScenarioAcc: sc(61, 71, 81)}}}
	d2 := Fig6Curve{Name: "D2", Unit: "% packets", Points: []Fig6Point{{Fraction: 0.5, Length: 50, ScenarioAcc: sc(50, 40, 55)}}}
	for _, tc := range []struct {
		name string
		rows func() [][]string
		want [][]string // columns that matter: the labels, the reference's cell and this run's cell
		cols []int
	}{
		{"fig6", func() [][]string {
			_, r := Fig6Compare(&Fig6Result{Curves: []Fig6Curve{netflix}}, &Fig6Result{Curves: []Fig6Curve{refNetflix, d2}})
			return r
		}, [][]string{{"D1-Netflix", "180 s", "61.0 / 71.0 / 81.0", "60.0 / 70.0 / 80.0"}, {"D2", "50 % packets", "50.0 / 40.0 / 55.0", notInPreset}}, []int{0, 1, 3, 4}},
		{"fig6 without a reference", func() [][]string {
			_, r := Fig6Compare(&Fig6Result{Curves: []Fig6Curve{netflix}}, nil)
			return r
		}, [][]string{{"D1-Netflix", "–", "60.0 / 70.0 / 80.0"}}, []int{0, 3, 4}},
		{"fig8", func() [][]string {
			this := &Fig8Result{Curves: []Fig8Curve{{Name: "d1-netflix", Steps: []Fig8Step{{Label: "original", Acc: Acc{Mean: 60}}}}}}
			ref := &Fig8Result{Curves: []Fig8Curve{{Name: "d1-netflix", Steps: []Fig8Step{{Label: "original", Acc: Acc{Mean: 65}}, {Label: "+4", Acc: Acc{Mean: 75}}}}}}
			_, r := Fig8Compare(this, ref)
			return r
		}, [][]string{{"d1-netflix", "original", "65.0 ± 0.0", "60.0 ± 0.0"}, {"d1-netflix", "+4", "75.0 ± 0.0", notInPreset}}, []int{0, 1, 3, 4}},
		{"fig4", func() [][]string {
			this := &Fig4Result{Curves: []Fig4Curve{{Name: "D1-Netflix", Points: []Fig4Point{{PerClass: 2, ScenarioAcc: sc(40, 50, 60)}}}}}
			ref := &Fig4Result{Curves: []Fig4Curve{{Name: "D3-Google", Points: []Fig4Point{{PerClass: 4, ScenarioAcc: sc(30, 35, 40)}}}}}
			_, r := Fig4Compare(this, ref)
			return r
		}, [][]string{{"D1-Netflix", "–", "40.0 / 50.0 / 60.0"}, {"D3-Google", "30.0 / 35.0 / 40.0", notInPreset}}, []int{0, 3, 4}},
		{"table1", func() [][]string {
			this := &Table1Result{Rows: []Table1Row{{Level: "L3", Data: "D1-Netflix", ScenarioAcc: sc(60, 70, 80)}}}
			ref := &Table1Result{Rows: []Table1Row{{Level: "L3", Data: "D2", ScenarioAcc: sc(50, 55, 58)}}}
			_, r := Table1Compare(this, ref)
			return r[2:4] // the ori+synth row of D1-Netflix, then D2's original row
		}, [][]string{{"D1-Netflix", "ori+synth", "100.0", "–", "80.0 ± 0.0"}, {"D2", "original", "92.0", "50.0 ± 0.0", notInPreset}}, []int{1, 2, 3, 4, 5}},
		{"table2", func() [][]string {
			ref := &Table2Result{Rows: []Table2Row{{Data: "D3-Google", Original: Acc{Mean: 70}}}}
			_, r := Table2Compare(&Table2Result{}, ref)
			return r[:1]
		}, [][]string{{"D3-Google", "original", "70.0 ± 0.0", notInPreset}}, []int{0, 1, 3, 4}},
		{"fig5", func() [][]string {
			this := &Fig5Result{Entropy: []Fig5Entropy{{Platform: "D1-Netflix", SynthPerClass: 0, LegitMean: 0.5, AnomalyMean: 1}}}
			ref := &Fig5Result{Recall: []Fig5Recall{{Platform: "D1-Netflix", Anomaly: 2, Length: "full", Original: 10, WithSyn: 60}},
				Entropy: []Fig5Entropy{{Platform: "D1-Netflix", SynthPerClass: 0, LegitMean: 0.4, AnomalyMean: 1.2}}}
			_, r := Fig5Compare(this, ref)
			return r
		}, [][]string{{"D1-Netflix-2, full", "10.0 -> 60.0", notInPreset}, {"D1-Netflix, +0 synthetic/class", "0.40 / 1.20", "0.50 / 1.00 (difference 0.50, AUROC 0.00)"}}, []int{1, 3, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := tc.rows()
			if len(rows) != len(tc.want) {
				t.Fatalf("%d rows %q, want %d", len(rows), rows, len(tc.want))
			}
			for i, row := range rows {
				var got []string
				for _, c := range tc.cols {
					got = append(got, row[c])
				}
				if !slices.Equal(got, tc.want[i]) {
					t.Errorf("row %d: %q, want %q", i, got, tc.want[i])
				}
			}
		})
	}
}

func ExampleWriteVerdicts() {
	verdicts := func(r *Fig8Result) []string {
		return []string{fmt.Sprintf("%d datasets: the claim is judged on each", len(r.Curves))}
	}
	smoke := &Fig8Result{Curves: make([]Fig8Curve, 2)}
	WriteVerdicts(os.Stdout, verdicts, smoke, nil)
	WriteVerdicts(os.Stdout, verdicts, smoke, &Fig8Result{Curves: make([]Fig8Curve, 5)})
	// Output:
	// This run:
	// - 2 datasets: the claim is judged on each
	// No stored cpu reference: `netdiffus repro NAME -mode cpu -write-reference` makes one.
	// This run:
	// - 2 datasets: the claim is judged on each
	// Stored cpu reference:
	// - 5 datasets: the claim is judged on each
}

// accOn is an accuracy on n test traces of which the first k are classified correctly by every seed:
// two accOn of one n differ on exactly the traces between their k, as paired results do.
func accOn(n, k int) Acc {
	a := Acc{Mean: 100 * float64(k) / float64(n), Items: make([]float64, n)}
	for i := range k {
		a.Items[i] = 1
	}
	return a
}

// Fig. 6's verdicts decide each length and dataset by the one rule on 40 paired test traces: +50 and
// +25 points hold, -5 and 0 cannot tell, -50 does not hold; a claim over several cases holds only
// where every case holds. The imaging time, stored as medians only, has no interval.
func TestFig6Verdicts(t *testing.T) {
	pt := func(frac float64, orig, synth, oriSynth int, ms float64) Fig6Point {
		return Fig6Point{Fraction: frac, Length: 100 * frac, ScenarioAcc: ScenarioAcc{Original: accOn(40, orig), Synth: accOn(40, synth), OriSynth: accOn(40, oriSynth)},
			ImageMillis: ms, PaperSideMillis: ms / 2}
	}
	r := &Fig6Result{Curves: []Fig6Curve{
		{Name: "D1-Netflix", Points: []Fig6Point{pt(0.25, 16, 12, 36, 0.1), pt(1, 24, 28, 34, 0.7)}},
		{Name: "D2", Points: []Fig6Point{pt(0.25, 24, 20, 22, 1), pt(0.5, 24, 20, 24, 2), pt(1, 24, 18, 4, 13.3)}},
	}}
	got := Fig6Verdicts(r)
	for i, want := range []string{
		"ori+synth > original at each length: does not hold (mean +4.0 [",
		"synth accuracy grows with the trace length (longest vs shortest): cannot tell (mean +17.5 [",
		"imaging one trace takes at most about 10 ms (median per length, at this run's side and the paper's 128): cannot tell (no interval: timings are stored as medians only; point estimate: within 10 ms on 1 of 2 datasets; within: D1-Netflix 0.70 ms; over: D2 13.30 ms).",
	} {
		if i >= len(got) || !strings.HasPrefix(got[i], want) {
			t.Errorf("verdict %d\n%q\nwant the prefix\n%q", i, got, want)
		}
	}
	for _, part := range []string{"holds on 2: D1-Netflix 25% +50.0, D1-Netflix 100% +25.0", "does not hold on 1: D2 100% -50.0", "cannot tell on 2: D2 25% -5.0, D2 50% +0.0"} {
		if !strings.Contains(got[0], part) {
			t.Errorf("%q lacks %q", got[0], part)
		}
	}
	if !strings.Contains(got[1], "holds on 1: D1-Netflix +40.0") || !strings.Contains(got[1], "cannot tell on 1: D2 -5.0") || !strings.Contains(got[1], "test traces per case would decide") {
		t.Errorf("trend verdict %q", got[1])
	}
}
