package repro

import (
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/pipeline"
)

// TestSummaryTableIsRectangularAndCarriesTheNumbers: every row has a cell per header column, and the
// FID row holds the value, its floor and the size-matched value; notes become rows.
func TestSummaryTableIsRectangularAndCarriesTheNumbers(t *testing.T) {
	r := &ExperimentResult{pipeline.Result{Name: "d1-netflix", Classes: []string{"a", "b"}}}
	r.FID, r.FIDFloor, r.FIDMatched = 0.19, 0.56, 0.71
	r.TraceNote = "too few series"
	header, rows := r.SummaryTable()
	var fid, note bool
	for i, row := range rows {
		if len(row) != len(header) {
			t.Fatalf("row %d has %d cells, the header %d", i, len(row), len(header))
		}
		if strings.HasPrefix(row[0], "FID") && row[1] == "0.19" && row[2] == "0.56" && row[3] == "0.71" {
			fid = true
		}
		if row[0] == "note" && row[4] == "too few series" {
			note = true
		}
	}
	if !fid || !note {
		t.Errorf("FID row found %v, note row found %v", fid, note)
	}
}
