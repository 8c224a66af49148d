package repro

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
)

// replicatesAround draws ClassFIDReplicates replicates of a per-class mean scattered around mean.
func replicatesAround(rng *rand.Rand, mean, spread float64) *fid.PerClassReplicates {
	r := &fid.PerClassReplicates{Rows: 10}
	for range pipeline.ClassFIDReplicates {
		r.Synth = append(r.Synth, mean+spread*rng.NormFloat64())
		r.Floor = append(r.Floor, 1)
	}
	return r
}

// TestTable2FIDVerdict decides "2-D lower" on the bootstrapped size-matched per-class FIDs: clearly
// lower on both datasets holds, higher on one does not hold, overlapping cannot tell, and a result
// without replicates says it has no interval.
func TestTable2FIDVerdict(t *testing.T) {
	row := func(rng *rand.Rand, name string, fid1, fid2, spread float64) Table2Row {
		return Table2Row{Data: name, ClassFID1D: fid1, ClassFID2D: fid2, ClassFIDMatched1D: fid1, ClassFIDMatched2D: fid2,
			ClassFIDBootstrap1D: replicatesAround(rng, fid1, spread), ClassFIDBootstrap2D: replicatesAround(rng, fid2, spread)}
	}
	for _, tc := range []struct {
		name           string
		fid1, fid2     [2]float64
		spread         float64
		want, contains string
	}{
		{"lower on both", [2]float64{4, 5}, [2]float64{2, 3}, 0.1, ": holds (", "D1-Netflix -2.000 ["},
		{"higher on one", [2]float64{4, 5}, [2]float64{2, 6}, 0.1, ": does not hold (", "D3-Google +1.000 ["},
		{"overlapping", [2]float64{4, 5}, [2]float64{3.9, 4.9}, 1, ": cannot tell (", "cannot tell"},
	} {
		rng := rand.New(rand.NewPCG(1, 2))
		r := &Table2Result{Rows: []Table2Row{row(rng, "D1-Netflix", tc.fid1[0], tc.fid2[0], tc.spread), row(rng, "D3-Google", tc.fid1[1], tc.fid2[1], tc.spread)}}
		got := table2FIDVerdict(r)
		if !strings.HasPrefix(got, "2-D images have the lower per-class FID (size-matched, 2-D minus 1-D)"+tc.want) || !strings.Contains(got, tc.contains) {
			t.Errorf("%s: %q, want %q and %q", tc.name, got, tc.want, tc.contains)
		}
	}
	old := &Table2Result{Rows: []Table2Row{{Data: "D1-Netflix", ClassFID1D: 4, ClassFID2D: 2}, {Data: "D3-Google", ClassFID1D: 4, ClassFID2D: 3}}}
	if got := table2FIDVerdict(old); !strings.Contains(got, ": cannot tell (no interval: ") || !strings.Contains(got, "lower on 2 of 2") {
		t.Errorf("without replicates: %q", got)
	}
}
