package interactive

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/gasf"
)

func ramp(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = float64(i%17) + 0.5*float64(i)
	}
	return s
}

func TestGroupScores(t *testing.T) {
	cats, groups, err := GroupScores(
		[]string{"cnn", "cnn", "rf", "rf"},
		[]string{"original", "synth", "original", "synth"},
		[]float64{0.9, 0.5, 0.8, 0.4}, []float64{0.01, 0.02, 0.03, 0.04})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cats, ",") != "cnn,rf" || len(groups) != 2 || groups[1].Name != "synth" {
		t.Fatalf("categories %v, groups %v", cats, groups)
	}
	if groups[1].Mean[1] != 0.4 || groups[1].Std[1] != 0.04 || groups[0].Mean[1] != 0.8 {
		t.Errorf("groups %+v", groups)
	}
	if _, _, err := GroupScores([]string{"a"}, nil, nil, nil); err == nil {
		t.Error("mismatched lengths must fail")
	}
}

func TestExploreSetView(t *testing.T) {
	series := [][]float64{ramp(64), ramp(64), ramp(64)}
	synth := map[string][][]byte{"b": {make([]byte, 8*8)}}
	set, err := NewExploreSet("toy", 8, []string{"a", "b"}, series, []int{0, 0, 1}, synth)
	if err != nil {
		t.Fatal(err)
	}
	if set.Samples(0) != 2 || set.Samples(1) != 1 {
		t.Errorf("samples %d, %d, want 2, 1", set.Samples(0), set.Samples(1))
	}
	charts, err := set.ViewCharts(1, 5) // index wraps
	if err != nil {
		t.Fatal(err)
	}
	// real heat map, synthetic heat map, traces, histograms
	if len(charts) != 4 {
		t.Fatalf("%d charts, want 4", len(charts))
	}
	if !strings.Contains(charts[2].Option, "decoded from synthetic image") || !strings.Contains(charts[2].Option, "real series (normalised)") {
		t.Error("trace chart lacks the real series or the decoded synthetic one")
	}
	// Class a has no synthetic image: the view draws the real side only.
	charts, err = set.ViewCharts(0, 0)
	if err != nil || len(charts) != 3 {
		t.Errorf("class without synthetic images: %d charts, %v; want 3", len(charts), err)
	}
	if _, err := set.ViewCharts(2, 0); err == nil {
		t.Error("class out of range must fail")
	}
	if _, err := NewExploreSet("toy", 8, []string{"a"}, series, []int{0, 0, 3}, nil); err == nil {
		t.Error("label out of range must fail")
	}
	if _, err := NewExploreSet("toy", 8, []string{"a"}, series[:1], []int{0}, map[string][][]byte{"a": {make([]byte, 3)}}); err == nil {
		t.Error("a synthetic image of the wrong size must fail")
	}
}

// TestDecodeUnitMatchesGasf: decodeUnit of an encoded full-size image is the normalised series within
// the 8-bit bound 1/255 (gasf.Decode's documented error at S = L, gamma 0.25).
func TestDecodeUnitMatchesGasf(t *testing.T) {
	s := ramp(16)
	img, err := gasf.Encode(s, gasf.DefaultParams(16))
	if err != nil {
		t.Fatal(err)
	}
	dec, err := decodeUnit(img.Pix, 16)
	if err != nil {
		t.Fatal(err)
	}
	unit := normalised(s)
	for i := range unit {
		if math.Abs(dec[i]-unit[i]) > 1.0/255+1e-12 {
			t.Errorf("sample %d: decoded %v, normalised %v", i, dec[i], unit[i])
		}
	}
}

func TestBlockCentresAndPixelHist(t *testing.T) {
	c := blockCentres(8, 2)
	if c[0] != 1.5 || c[1] != 5.5 {
		t.Errorf("block centres %v, want [1.5 5.5]", c)
	}
	h := pixelHist([]byte{0, 255, 128, 127}, 2)
	if h[0] != 0.5 || h[1] != 0.5 {
		t.Errorf("histogram %v, want [0.5 0.5]", h)
	}
}

// TestGASFStepsFollowPipeline: the steps show gasf.Pipeline's stages, and the 8-bit step's cells are the
// pipeline's pixels / 255.
func TestGASFStepsFollowPipeline(t *testing.T) {
	s := ramp(40)
	steps, err := GASFSteps("t", s, gasf.DefaultParams(8), testUnits)
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 8 {
		t.Fatalf("%d steps, want 8", len(steps))
	}
	p := gasf.DefaultParams(8)
	p.Method = gasf.Exact
	st, err := gasf.Pipeline(s, p)
	if err != nil {
		t.Fatal(err)
	}
	pixChart := steps[6].Chart.Option
	for i, v := range st.Pixels {
		cell := `[` + itoa(i%8) + `,` + itoa(i/8) + `,` + ftoa(short(float64(v)/255)) + `]`
		if !strings.Contains(pixChart, cell) {
			t.Fatalf("8-bit step lacks cell %s", cell)
		}
	}
	if _, err := GASFSteps("t", []float64{1, math.NaN()}, gasf.DefaultParams(1), testUnits); err == nil {
		t.Error("a NaN series must fail")
	}
}

func TestGammaSizeCharts(t *testing.T) {
	charts, err := GammaSizeCharts("g", ramp(32), testUnits, 0.5, 16)
	if err != nil || len(charts) != 3 {
		t.Fatalf("%d charts, %v", len(charts), err)
	}
	if _, err := GammaSizeCharts("g", ramp(8), testUnits, 0.5, 16); err == nil {
		t.Error("a size above the series length must fail")
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

var testUnits = SeriesUnits{Time: "time bin (0.25 s)", Value: "bytes per bin"}
