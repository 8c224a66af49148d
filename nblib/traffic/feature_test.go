package traffic

import (
	"reflect"
	"strings"
	"testing"
)

var testPackets = []Packet{
	{Time: 10.00, Size: 100, Dir: Up},
	{Time: 10.10, Size: 1500, Dir: Down},
	{Time: 10.30, Size: 1500, Dir: Down},
	{Time: 10.55, Size: 60, Dir: Up},
	{Time: 11.20, Size: 700, Dir: Down},
}

// Expected values are worked out by hand from testPackets; comparisons are
// exact except gaps, which differ from the hand values by float rounding
// of the times (tolerance 1e-12 s).
func TestFeatureOfPackets(t *testing.T) {
	tr := &Trace{ID: "t", Packets: testPackets}
	cases := []struct {
		f    Feature
		want []float64
	}{
		{BinnedBytes(0.25, 1.5, Down), []float64{1500, 1500, 0, 0, 700, 0}},
		{BinnedBytes(0.25, 1.0, 0), []float64{1600, 1500, 60, 0}},
		{BinnedBytes(0.5, 1.0, Up), []float64{100, 60}},
		{PacketFeature(Directions, 7), []float64{1, -1, -1, 1, -1, 0, 0}},
		{PacketFeature(Sizes, 3), []float64{100, 1500, 1500}},
		{PacketFeature(SignedSizes, 5), []float64{100, -1500, -1500, 60, -700}},
		{PacketFeature(Gaps, 6), []float64{0, 0.1, 0.2, 0.25, 0.65, 0}},
	}
	for _, tc := range cases {
		t.Run(tc.f.String(), func(t *testing.T) {
			got, err := tc.f.Of(tr)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("len %d, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if d := got[i] - tc.want[i]; d > 1e-12 || d < -1e-12 {
					t.Errorf("[%d] = %g, want %g", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestD1FeatureLength(t *testing.T) {
	if f := BinnedBytes(DefaultBin, 180, Down); f.Length != 720 {
		t.Errorf("180 s at 0.25 s = %d bins, want 720", f.Length)
	}
}

func TestFeatureOfReadySeries(t *testing.T) {
	tr := &Trace{ID: "r", Values: []float64{1, 2, 3, 4, 5}, Step: 0.25}
	cases := []struct {
		f       Feature
		want    []float64
		wantErr string
	}{
		{Feature{Kind: Values, Length: 3}, []float64{1, 2, 3}, ""},
		{Feature{Kind: Values, Length: 7}, []float64{1, 2, 3, 4, 5, 0, 0}, ""},
		{BinnedBytes(0.25, 1, 0), []float64{1, 2, 3, 4}, ""},
		{BinnedBytes(0.5, 2, 0), []float64{3, 7, 5, 0}, ""},
		{BinnedBytes(0.3, 1.2, 0), nil, "whole multiple"},
		{PacketFeature(Directions, 3), nil, "needs packets"},
	}
	for _, tc := range cases {
		got, err := tc.f.Of(tr)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), `"r"`) {
				t.Errorf("%v: error %v, want one naming the trace and containing %q", tc.f, err, tc.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%v = %v, %v; want %v", tc.f, got, err, tc.want)
		}
	}
}

func TestFitAndParseKind(t *testing.T) {
	x := []float64{1, 2, 3}
	if got := Fit(x, 2); !reflect.DeepEqual(got, []float64{1, 2}) {
		t.Errorf("truncate: %v", got)
	}
	if got := Fit(x, 5); !reflect.DeepEqual(got, []float64{1, 2, 3, 0, 0}) {
		t.Errorf("pad: %v", got)
	}
	for k := BytesPerBin; k <= Values; k++ {
		if got, err := ParseKind(k.String()); err != nil || got != k {
			t.Errorf("ParseKind(%q) = %v, %v", k.String(), got, err)
		}
	}
	if _, err := ParseKind("bogus"); err == nil {
		t.Error("ParseKind(bogus): want an error")
	}
}

func TestNewDatasetAndSeries(t *testing.T) {
	traces := []Trace{
		{ID: "1", Label: "yt", Group: "video", Values: []float64{1}},
		{ID: "2", Label: "stan", Group: "video", Values: []float64{2}},
		{ID: "3", Label: "yt", Group: "web", Values: []float64{3}},
	}
	ds, err := NewDataset("d", traces, nil, Feature{Kind: Values, Length: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ds.Classes, []string{"stan", "yt"}) || !reflect.DeepEqual(ds.Labels(), []int{1, 0, 1}) {
		t.Errorf("classes %v labels %v", ds.Classes, ds.Labels())
	}
	if !reflect.DeepEqual(ds.CountPerClass(), []int{1, 2}) {
		t.Errorf("counts %v", ds.CountPerClass())
	}
	s, err := ds.Series(ds.Default)
	if err != nil || !reflect.DeepEqual(s, [][]float64{{1, 0}, {2, 0}, {3, 0}}) {
		t.Errorf("series %v %v", s, err)
	}
	if f := ds.Filter("web"); len(f.Traces) != 1 || f.Traces[0].ID != "3" || f.Traces[0].Class != 0 || !reflect.DeepEqual(f.Classes, []string{"yt"}) {
		t.Errorf("filter: classes %v traces %+v", f.Classes, f.Traces)
	}
	if g := ds.ByGroup(); !reflect.DeepEqual(g.Classes, []string{"video", "web"}) || !reflect.DeepEqual(g.Labels(), []int{0, 0, 1}) {
		t.Errorf("by group: classes %v labels %v", g.Classes, g.Labels())
	}
	if _, err := NewDataset("d", traces, []string{"yt"}, Feature{}); err == nil || !strings.Contains(err.Error(), `"2"`) {
		t.Errorf("unknown label: error %v, want one naming trace 2", err)
	}
	if _, err := NewDataset("d", traces, []string{"yt", "yt"}, Feature{}); err == nil {
		t.Error("duplicate class: want an error")
	}
}

func BenchmarkBinnedBytes(b *testing.B) {
	p := make([]Packet, 50000) // ~180 s of 1500-byte packets
	for i := range p {
		p[i] = Packet{Time: float64(i) * 180 / 50000, Size: 1500, Dir: Down}
	}
	tr := &Trace{Packets: p}
	f := BinnedBytes(DefaultBin, 180, Down)
	b.SetBytes(int64(len(p)) * 24)
	for b.Loop() {
		f.Of(tr)
	}
}
