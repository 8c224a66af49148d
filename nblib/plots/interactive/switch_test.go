package interactive

import (
	"fmt"
	"strings"
	"testing"
)

// TestSwitchEmbedsEveryViewInOrder: every combination is drawn once, row-major over the controls, the
// controls start at their Start values, and the plain-text fallback describes the starting view.
func TestSwitchEmbedsEveryViewInOrder(t *testing.T) {
	var seen []string
	controls := []Control{
		{Label: "gamma", Values: []string{"0.1", "0.25", "1"}, Start: 1, Slider: true},
		{Label: "size", Values: []string{"8x8", "16x16"}, Start: 1},
	}
	b, err := Switch("sw", controls, func(c []int) ([]*Chart, error) {
		tag := fmt.Sprintf("g%d_s%d", c[0], c[1])
		seen = append(seen, tag)
		ch, err := Lines("line_"+tag, "view "+tag, "x (s)", "y (bytes)", false, XY{Name: "y", Y: []float64{1, 2}})
		return []*Chart{ch}, err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"g0_s0", "g0_s1", "g1_s0", "g1_s1", "g2_s0", "g2_s1"}
	if strings.Join(seen, " ") != strings.Join(want, " ") {
		t.Errorf("views drawn %v, want %v", seen, want)
	}
	last := -1
	for _, tag := range want {
		i := strings.Index(b.HTML, `n:"line_`+tag+`"`)
		if i <= last {
			t.Fatalf("view %s missing or out of order in the block", tag)
		}
		last = i
	}
	for _, s := range []string{`type="range" data-control="0" min="0" max="2" step="1" value="1"`, `>0.25</output>`,
		`<option value="1" selected>16x16</option>`, `data-switch="sw"`} {
		if !strings.Contains(b.HTML, s) {
			t.Errorf("block lacks %s", s)
		}
	}
	if !strings.Contains(b.Text, "view g1_s1") || !strings.Contains(b.Text, "gamma in {0.1, 0.25, 1}, starting at 0.25") {
		t.Errorf("text fallback does not describe the start: %q", b.Text)
	}
}

func TestSwitchErrors(t *testing.T) {
	one := func([]int) ([]*Chart, error) { return nil, nil }
	for _, tc := range []struct {
		name     string
		controls []Control
		view     func([]int) ([]*Chart, error)
	}{
		{"no controls", nil, one},
		{"start out of range", []Control{{Label: "a", Values: []string{"x"}, Start: 1}}, one},
		{"no values", []Control{{Label: "a"}}, one},
		{"too many views", []Control{{Label: "a", Values: make([]string, 9)}, {Label: "b", Values: make([]string, 8)}}, one},
		{"view fails", []Control{{Label: "a", Values: []string{"x"}}}, func([]int) ([]*Chart, error) { return nil, fmt.Errorf("boom") }},
	} {
		if _, err := Switch("sw", tc.controls, tc.view); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// TestGammaSizeExplorerStartsAtThePaper: the explorer starts at the requested gamma and size and refuses
// a start that is not offered.
func TestGammaSizeExplorerStartsAtThePaper(t *testing.T) {
	b, err := GammaSizeExplorer("g", ramp(64), testUnits, []float64{0.1, 0.25, 1}, []int{8, 16, 32}, 0.25, 32)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`value="1" style`, `>0.25</output>`, `<option value="2" selected>32x32</option>`, "gamma 0.25, 32x32"} {
		if !strings.Contains(b.HTML+b.Text, s) {
			t.Errorf("explorer lacks %q", s)
		}
	}
	if _, err := GammaSizeExplorer("g", ramp(64), testUnits, []float64{0.1}, []int{8}, 0.25, 8); err == nil {
		t.Error("a start gamma that is not offered must fail")
	}
}
