package figs

import (
	"math"
	"slices"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/baselines"
)

func row(spec Spec, ndFID, ganFID float64, ndAcc, ganAcc []float64) *Row {
	classifiers := []string{"a", "b"}
	var nd []baselines.Score
	gen := baselines.GeneratorScore{Name: "gan", ClassFIDMean: ganFID}
	var ori []baselines.Score
	for i, c := range classifiers {
		nd = append(nd, baselines.Score{Classifier: c, Scenario: "synth", AccMean: ndAcc[i]}, baselines.Score{Classifier: c, Scenario: "original", AccMean: 0.9})
		gen.Accuracy = append(gen.Accuracy, baselines.Score{Classifier: c, Scenario: "synth", AccMean: ganAcc[i]})
		ori = append(ori, baselines.Score{Classifier: c, Scenario: "original", AccMean: 0.9})
	}
	cmp := baselines.Comparison{Original: ori, Generators: []baselines.GeneratorScore{gen}}
	return &Row{Spec: spec, NetDiffus: NetDiffus{ClassFIDMean: ndFID, Accuracy: nd},
		Baseline: &baselines.Result{Comparison: cmp}, Gains: baselines.GainsOver(ndFID, nd, cmp)}
}

// TestGainsTable checks the gains against hand computation and the paper's numbers per comparison.
func TestGainsTable(t *testing.T) {
	rows := []*Row{
		row(Fig2b[0], 3, 4, []float64{0.8, 0.6}, []float64{0.7, 0.5}),
		row(Fig2c[0], 1, 10, []float64{0.5, 0.5}, []float64{0.2, 0.1}),
	}
	if g := rows[0].Gains; math.Abs(g.FIDGain-0.25) > 1e-12 || math.Abs(g.AccDifference-0.1) > 1e-12 {
		t.Errorf("WW gains %+v: want FID gain 0.25 and accuracy difference 0.10", g)
	}
	if g := OverallFIDGain(rows); math.Abs(g-10.0/14) > 1e-12 {
		t.Errorf("overall FID gain %v, want (14-4)/14", g)
	}
	_, cells := GainsTable(rows)
	if cells[0][3] != "25.0%" || cells[0][4] != "28.0%" || cells[1][4] != "85.6%" || cells[1][8] != "32.3%" || cells[0][8] != "4.7%" {
		t.Errorf("table rows %v", cells)
	}
	_, acc := AccuracyTable(rows)
	if len(acc) != 4 || acc[1][6] != "10.0%" || acc[1][3] != "90.0%" {
		t.Errorf("accuracy rows %v", acc)
	}
	if pf, pa := paperNumbers(Fig2c[1]); pf != 0.856 || pa != 0.173 {
		t.Errorf("D3-Alexa paper numbers %v %v", pf, pa)
	}
}

// TestVerdicts judges both claims per comparison, with the paper's number beside ours.
func TestVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows []*Row
		want []string
	}{
		{"NetDiffus better on both", []*Row{row(Fig2b[0], 3, 4, []float64{0.8, 0.6}, []float64{0.7, 0.5})}, []string{
			"NetDiffus's per-class FID is below the GAN's: holds (1 of 1 comparisons; FID gain WW 25.0% (paper 28.0%)).",
			"NetDiffus's synthetic images train more accurate classifiers than the GAN's: holds (1 of 1 comparisons; accuracy difference WW 10.0% (paper 4.7%)).",
		}},
		{"the GAN better on FID for one of two, on accuracy for both", []*Row{
			row(Fig2c[0], 1, 10, []float64{0.2, 0.1}, []float64{0.5, 0.5}),
			row(Fig2c[1], 5, 4, []float64{0.4, 0.4}, []float64{0.4, 0.6}),
		}, []string{
			"NetDiffus's per-class FID is below the GAN's: holds partly (1 of 2 comparisons; FID gain D3-Google 90.0% (paper 85.6%), D3-Alexa -25.0% (paper 85.6%)).",
			"NetDiffus's synthetic images train more accurate classifiers than the GAN's: does not hold (0 of 2 comparisons; accuracy difference D3-Google -35.0% (paper 32.3%), D3-Alexa -10.0% (paper 17.3%)).",
		}},
	} {
		if got := Verdicts(tc.rows); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n%q\nwant\n%q", tc.name, got, tc.want)
		}
	}
}
