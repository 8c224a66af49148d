package interactive

import (
	"regexp"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/gasf"
)

var (
	titleText = regexp.MustCompile(`"title":\{"text":"([^"]+)"`)
	axisName  = func(axis string) *regexp.Regexp {
		return regexp.MustCompile(`"` + axis + `":\[\{[^\[\]]*?"name":"([^"]+)"`)
	}
	barText = regexp.MustCompile(`"visualMap":\[\{[^\]]*?"text":\["([^"]+)"`)
)

// TestEveryChartIsTitledAndLabelled: every chart the notebooks draw (directly or through GASFSteps,
// GammaSizeCharts, ExploreSet.ViewCharts and the training view) has a title and both axes named, and
// every heat map a named colour bar.
func TestEveryChartIsTitledAndLabelled(t *testing.T) {
	var all []*Chart
	add := func(cs ...*Chart) { all = append(all, cs...) }
	must := func(c *Chart, err error) *Chart {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	add(must(Lines("l", "loss", "step", "loss (MSE)", true, XY{Name: "a", Y: []float64{1, 0.5}})))
	add(must(Traces("tr", "trace", "time bin (0.25 s)", "bytes", Trace{Name: "a", Values: []float64{1, 2}})))
	add(must(Histograms("h", "pixels", "pixel / 255", 0, 1, Hist{Name: "a", Counts: []float64{0.5, 0.5}})))
	add(must(AccuracyBars("b", "accuracy", "accuracy", []string{"cnn"}, Bars{Name: "original", Mean: []float64{0.8}, Std: []float64{0.1}})))
	add(must(ClassFID("f", "FID per class", []string{"a", "b"}, []float64{1, 2}, 0.5)))
	add(must(Heatmap("hm", "image", 2, []float64{0, 0.2, 0.4, 1}, 0, 1)))
	steps, err := GASFSteps("s", ramp(40), gasf.DefaultParams(8), testUnits)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range steps {
		add(s.Chart)
	}
	gs, err := GammaSizeCharts("g", ramp(32), testUnits, 0.25, 16)
	if err != nil {
		t.Fatal(err)
	}
	add(gs...)
	set, err := NewExploreSet("d1", 8, []string{"a"}, [][]float64{ramp(16)}, []int{0}, map[string][][]byte{"a": {make([]byte, 64)}})
	if err != nil {
		t.Fatal(err)
	}
	vc, err := set.ViewCharts(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	add(vc...)
	if len(all) < 20 {
		t.Fatalf("only %d charts collected", len(all))
	}
	for _, c := range all {
		if m := titleText.FindStringSubmatch(c.Option); m == nil {
			t.Errorf("%s: no title", c.Name)
		}
		for _, axis := range []string{"xAxis", "yAxis"} {
			if m := axisName(axis).FindStringSubmatch(c.Option); m == nil {
				t.Errorf("%s: %s has no name", c.Name, axis)
			}
		}
		if regexp.MustCompile(`"type":"heatmap"`).MatchString(c.Option) && barText.FindStringSubmatch(c.Option) == nil {
			t.Errorf("%s: heat map without a named colour bar", c.Name)
		}
		if c.Text == "" {
			t.Errorf("%s: no plain-text fallback", c.Name)
		}
	}
}
