package repro

import (
	"fmt"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/pipeline"
)

// TestSideBySideTable: each run is a column; the FID, floor, per-class FID and JSD rows carry the run's
// numbers; a classifier row joins the three scenarios in the paper's order, whatever order the scores
// came in, and a classifier or scenario a run lacks shows "-".
func TestSideBySideTable(t *testing.T) {
	real := &ExperimentResult{pipeline.Result{FID: 3.3634, FIDFloor: 1.25, ClassFIDMean: 4.371, ClassFIDStd: 3.524}}
	real.Hist.JSD = 0.18
	real.Accuracy = []pipeline.Score{
		{Classifier: "cnn", Scenario: "ori+synth", AccMean: 0.4},
		{Classifier: "cnn", Scenario: "original", AccMean: 0.375},
		{Classifier: "cnn", Scenario: "synth", AccMean: 0.275},
	}
	standIn := &ExperimentResult{pipeline.Result{FID: 2.781, FIDFloor: 0.5, ClassFIDMean: 3.84, ClassFIDStd: 1.33}}
	standIn.Hist.JSD = 0.129
	standIn.Accuracy = []pipeline.Score{
		{Classifier: "cnn", Scenario: "original", AccMean: 0.7},
		{Classifier: "rf", Scenario: "original", AccMean: 0.55},
		{Classifier: "rf", Scenario: "synth", AccMean: 0.45},
	}
	header, rows, err := SideBySideTable([]string{"real", "stand-in"}, real, standIn)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"FID (PCA features)", "3.363", "2.781"},
		{"FID floor (real vs real)", "1.250", "0.500"},
		{"per-class FID", "4.37 ± 3.52", "3.84 ± 1.33"},
		{"pixel histogram JSD (bits)", "0.1800", "0.1290"},
		{"cnn: original / synth / ori+synth", "0.375 / 0.275 / 0.400", "0.700 / - / -"},
		{"rf: original / synth / ori+synth", "- / - / -", "0.550 / 0.450 / -"},
	}
	if fmt.Sprint(header) != "[measure real stand-in]" {
		t.Errorf("header %q", header)
	}
	if fmt.Sprintf("%q", rows) != fmt.Sprintf("%q", want) {
		t.Errorf("rows\n%q\nwant\n%q", rows, want)
	}
}

// TestSideBySideTableNamesEveryColumn: a name per result, or an error saying how many of each.
func TestSideBySideTableNamesEveryColumn(t *testing.T) {
	_, _, err := SideBySideTable([]string{"only one"}, &ExperimentResult{}, &ExperimentResult{})
	if err == nil || err.Error() != "side-by-side table: 1 names for 2 results" {
		t.Errorf("got %v, want the count mismatch named", err)
	}
}
