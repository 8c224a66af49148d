package repro

import (
	"fmt"
	"io"
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

// TestRunExperimentObservedFeedsTheObserver: the observer sees every training report of a run; a cached
// result trains nothing, calls it never and is the same result.
func TestRunExperimentObservedFeedsTheObserver(t *testing.T) {
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	t.Setenv("GOMLX_BACKEND", "go")
	cfg := tinyExperiment(4)
	cfg.Preset.Train.ReportEvery = 1
	var seen []int64
	observe := func(p pipeline.Progress) { seen = append(seen, p.Step) }
	res, err := RunExperimentObserved(cfg, false, io.Discard, observe)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(seen) != "[1 2 3 4]" {
		t.Errorf("observer saw steps %v, want [1 2 3 4]", seen)
	}
	seen = nil
	again, err := RunExperimentObserved(cfg, false, io.Discard, observe)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 0 || again.FID != res.FID {
		t.Errorf("cached run: observer saw %v, FID %v then %v", seen, res.FID, again.FID)
	}
}
