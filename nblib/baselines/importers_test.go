package baselines

import (
	"math"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

func TestImportDoppelGANger(t *testing.T) {
	ds, rep, err := ImportDoppelGANger("testdata/dg_generated.npz", trafficio.DGOptions{LabelFrom: 2, LabelTo: 5, Classes: trafficio.WikiAccessTypes, Step: 86400})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Traces) != 3 || len(rep.Skipped) != 1 {
		t.Fatalf("%d series, %d skipped; want 3 and the series with an all-zero generation flag", len(ds.Traces), len(rep.Skipped))
	}
	s, err := SeriesOf(ds)
	if err != nil {
		t.Fatal(err)
	}
	// Series i has 3+i valid steps i + k/10 (float32 in the file), zero padded to the longest (T = 6).
	for i, row := range s.Series {
		for k, v := range row {
			want := 0.0
			if k < 3+i {
				want = float64(i) + float64(k)/10
			}
			if math.Abs(v-want) > 1e-6*math.Max(1, want) {
				t.Errorf("series %d step %d = %g, want %g", i, k, v, want)
			}
		}
		if ds.Traces[i].Label != trafficio.WikiAccessTypes[i%3] {
			t.Errorf("series %d label %q, want %q", i, ds.Traces[i].Label, trafficio.WikiAccessTypes[i%3])
		}
	}
}

func TestImportGretelWide(t *testing.T) {
	ds, rep, err := ImportGretelWide("testdata/gretel_wide.csv", GretelOptions{LabelColumn: "access", AttributeColumns: []string{"agent"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Traces) != 4 || len(rep.Skipped) != 1 || !strings.Contains(rep.Skipped[0].Reason, "not a finite number") {
		t.Fatalf("%d series, skipped %v; want 4 and the row with nan reported", len(ds.Traces), rep.Skipped)
	}
	if ds.Default.Length != 6 || strings.Join(ds.Classes, ",") != "all-access,desktop,mobile-web" {
		t.Errorf("length %d classes %v", ds.Default.Length, ds.Classes)
	}
	want := [][]float64{{1, 2, 3, 4, 5, 6}, {6, 5, 4, 3, 2, 1}, {0.5, 1.5, 0.5, 1.5, 0.5, 1.5}, {0, 0, 1, 1, 0, 0}}
	labels := []string{"desktop", "mobile-web", "all-access", "mobile-web"}
	for i, tr := range ds.Traces {
		if tr.Label != labels[i] || !equal(tr.Values, want[i]) {
			t.Errorf("series %d: %s %v, want %s %v", i, tr.Label, tr.Values, labels[i], want[i])
		}
	}
	if _, _, err := ImportGretelWide("testdata/gretel_wide.csv", GretelOptions{LabelColumn: "nope"}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing label column: error %v, want one naming it", err)
	}
}

func TestImportGretelLong(t *testing.T) {
	ds, rep, err := ImportGretelLong("testdata/gretel_long.csv", GretelOptions{LabelColumn: "access", TimeColumn: "time", FeatureColumn: "views", Step: 86400})
	if err != nil {
		t.Fatal(err)
	}
	// Example 2 changes label, example 3 has a bad value: both reported.
	if len(ds.Traces) != 2 || len(rep.Skipped) != 2 {
		t.Fatalf("%d series, skipped %v; want 2 series and 2 reported", len(ds.Traces), rep.Skipped)
	}
	if !equal(ds.Traces[0].Values, []float64{10, 20, 30}) || ds.Traces[0].Label != "desktop" {
		t.Errorf("example 0 (rows out of time order): %v %s, want [10 20 30] desktop", ds.Traces[0].Values, ds.Traces[0].Label)
	}
	if !equal(ds.Traces[1].Values, []float64{5, 4, 3, 2}) || ds.Default.Length != 4 {
		t.Errorf("example 1: %v, length %d", ds.Traces[1].Values, ds.Default.Length)
	}
	if _, _, err := ImportGretelLong("testdata/gretel_long.csv", GretelOptions{LabelColumn: "access"}); err == nil {
		t.Error("no feature column: want an error")
	}
}

func TestImportNetShare(t *testing.T) {
	ds, rep, err := ImportNetShare([]LabelledFile{{"alexa", "testdata/netshare_alexa.csv"}, {"google", "testdata/netshare_google.csv"}},
		trafficio.NetShareOptions{}, traffic.PacketFeature(traffic.SignedSizes, 4))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Traces) != 3 || len(rep.Skipped) != 1 {
		t.Fatalf("%d flows, skipped %v; want 3 flows and the bad pkt_len row", len(ds.Traces), rep.Skipped)
	}
	s, err := SeriesOf(ds)
	if err != nil {
		t.Fatal(err)
	}
	// Flow 1 of alexa: up 120, down 1400, up 66; google: up 1350, down 1350, down 200.
	want := map[string][]float64{"alexa": {120, -1400, 66, 0}, "google": {1350, -1350, -200, 0}}
	first := map[string]bool{}
	for i, tr := range ds.Traces {
		if w := want[tr.Label]; !first[tr.Label] {
			first[tr.Label] = true
			if !equal(s.Series[i], w) {
				t.Errorf("%s first flow %v, want %v", tr.Label, s.Series[i], w)
			}
		}
	}
	if g := ds.Traces[2].Packets; len(g) != 3 || math.Abs(g[1].Time-g[0].Time-0.0005) > 1e-12 {
		t.Errorf("google packets %+v: want 3 with a 0.5 ms gap (microsecond times)", g)
	}
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
