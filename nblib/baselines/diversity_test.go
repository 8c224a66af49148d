package baselines

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// TestEncodeRoundTrip encodes series and packet traces and decodes the encodings: the traces come back
// to float32 precision (relative 1e-5 of each series' range; log1p fields relative 1e-4 of the value).
func TestEncodeRoundTrip(t *testing.T) {
	ds := tinySeries(4, 20, 2)
	cfg, e, err := Encode(tinyConfig(), ds)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range append(append([]float32(nil), e.Feat...), e.Extra...) {
		if v < 0 || v > 1 {
			t.Fatalf("encoded value %v outside [0, 1]", v)
		}
	}
	back, err := e.Traces(cfg, "back", e.Feat, e.Extra, e.Labels)
	if err != nil {
		t.Fatal(err)
	}
	for i, tr := range back.Traces {
		orig := ds.Traces[i].Values
		lo, hi := minMax(orig)
		for k, v := range tr.Values {
			if math.Abs(v-orig[k]) > 1e-5*(hi-lo) {
				t.Fatalf("series %d step %d: %g back, %g in", i, k, v, orig[k])
			}
		}
		if tr.Label != ds.Traces[i].Label {
			t.Errorf("series %d label %s, want %s", i, tr.Label, ds.Traces[i].Label)
		}
	}

	packets := []traffic.Trace{{ID: "a", Label: "x", Packets: []traffic.Packet{{Time: 0, Size: 100, Dir: traffic.Up}, {Time: 0.5, Size: 1500, Dir: traffic.Down}, {Time: 0.75, Size: 60, Dir: traffic.Up}}},
		{ID: "b", Label: "y", Packets: []traffic.Packet{{Time: 10, Size: 40, Dir: traffic.Down}, {Time: 10.001, Size: 900, Dir: traffic.Up}, {Time: 12, Size: 52, Dir: traffic.Down}}}}
	pds, err := traffic.NewDataset("p", packets, nil, traffic.PacketFeature(traffic.SignedSizes, 3))
	if err != nil {
		t.Fatal(err)
	}
	ns := tinyConfig() // NetShare's fields, without auto-normalisation (preset.NetShare's design)
	ns.Fields, ns.SelfNorm = []Field{{Name: "size", Log1p: true}, {Name: "direction", Binary: true}, {Name: "gap", Log1p: true}}, false
	ncfg, pe, err := Encode(ns, pds)
	if err != nil {
		t.Fatal(err)
	}
	pback, err := pe.Traces(ncfg, "back", pe.Feat, pe.Extra, pe.Labels)
	if err != nil {
		t.Fatal(err)
	}
	for i, tr := range pback.Traces {
		for k, p := range tr.Packets {
			o := packets[i].Packets[k]
			gap := 0.0
			if k > 0 {
				gap = o.Time - packets[i].Packets[k-1].Time
				gap -= tr.Packets[k].Time - tr.Packets[k-1].Time
			}
			if p.Dir != o.Dir || math.Abs(p.Size-o.Size) > 1e-4*o.Size || math.Abs(gap) > 1e-4 {
				t.Errorf("trace %d packet %d: %+v back, %+v in", i, k, p, o)
			}
		}
	}
}

func minMax(v []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range v {
		lo, hi = min(lo, x), max(hi, x)
	}
	return lo, hi
}

// TestDiversityCollapsed: a generator that repeats one series per class scores 0, the real series
// against themselves score 1, and the real series plus unit noise (their own noise level) score a
// little above 1.
func TestDiversityCollapsed(t *testing.T) {
	real, err := SeriesOf(tinySeries(10, 30, 4))
	if err != nil {
		t.Fatal(err)
	}
	collapsed := Series{Y: real.Y}
	for i := range real.Series {
		collapsed.Series = append(collapsed.Series, real.Series[real.Y[i]]) // series 0 or 1: one per class
	}
	d, err := Diversity(real, collapsed, 2)
	if err != nil {
		t.Fatal(err)
	}
	if d.Mean != 0 {
		t.Errorf("collapsed generator diversity %v (%v), want 0", d.Mean, d.Ratio)
	}
	same, err := Diversity(real, real, 2)
	if err != nil || math.Abs(same.Mean-1) > 1e-12 {
		t.Errorf("real vs real diversity %v (%v), want 1", same.Mean, err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	noisy := Series{Y: real.Y}
	for _, s := range real.Series {
		n := make([]float64, len(s))
		for k, v := range s {
			n[k] = v + rng.NormFloat64()
		}
		noisy.Series = append(noisy.Series, n)
	}
	if d, _ := Diversity(real, noisy, 2); d.Mean < 1 || d.Mean > 1.5 {
		t.Errorf("noisy copies diversity %v, want in [1, 1.5]", d.Mean)
	}
}
