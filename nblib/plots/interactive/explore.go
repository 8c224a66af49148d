package interactive

import (
	"fmt"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/gasf"
)

// ExploreSet is one dataset's real traces and synthetic images, by class, for the explorer.
type ExploreSet struct {
	Name    string
	Size    int           // image side S
	Classes []string      // class names
	Real    [][][]float64 // per class: real series, original units (imaged with the paper's settings)
	Synth   [][][]byte    // per class: synthetic S x S 8-bit images
}

// NewExploreSet groups real series by label and takes synthetic images by class name. Classes without
// a real trace or a synthetic image are kept: the view says what is missing.
func NewExploreSet(name string, size int, classes []string, series [][]float64, labels []int, synth map[string][][]byte) (*ExploreSet, error) {
	if size < 1 || len(classes) == 0 {
		return nil, fmt.Errorf("explore set %s: size %d and %d classes", name, size, len(classes))
	}
	if len(series) != len(labels) {
		return nil, fmt.Errorf("explore set %s: %d series and %d labels", name, len(series), len(labels))
	}
	s := &ExploreSet{Name: name, Size: size, Classes: classes, Real: make([][][]float64, len(classes)), Synth: make([][][]byte, len(classes))}
	for i, y := range labels {
		if y < 0 || y >= len(classes) {
			return nil, fmt.Errorf("explore set %s: series %d has label %d, want 0..%d", name, i, y, len(classes)-1)
		}
		s.Real[y] = append(s.Real[y], series[i])
	}
	for c, cls := range classes {
		for k, img := range synth[cls] {
			if len(img) != size*size {
				return nil, fmt.Errorf("explore set %s: synthetic image %d of class %s has %d pixels, want %dx%d", name, k, cls, len(img), size, size)
			}
		}
		s.Synth[c] = synth[cls]
	}
	return s, nil
}

// Samples is the number of sample indices class c offers (its real traces, or its synthetic images if
// there are more).
func (s *ExploreSet) Samples(c int) int {
	return max(len(s.Real[c]), len(s.Synth[c]))
}

// ViewCharts draws sample index of class c: the real trace's GASF image and a synthetic image of the
// class (index modulo their counts) as heat maps, the real series (normalised) with both images'
// decoded diagonals on one time axis, and both pixel histograms.
func (s *ExploreSet) ViewCharts(c, index int) ([]*Chart, error) {
	if c < 0 || c >= len(s.Classes) {
		return nil, fmt.Errorf("explore set %s: class %d, want 0..%d", s.Name, c, len(s.Classes)-1)
	}
	cls := s.Classes[c]
	tag := fmt.Sprintf("%s_%s_%d", s.Name, cls, index)
	var charts []*Chart
	var traces []Trace
	var hists []Hist
	if n := len(s.Real[c]); n > 0 {
		series := s.Real[c][index%n]
		p := gasf.DefaultParams(s.Size)
		img, err := gasf.Encode(series, p)
		if err != nil {
			return nil, fmt.Errorf("explore set %s: class %s trace %d: %w", s.Name, cls, index%n, err)
		}
		h, err := pixelHeatmap("real_"+tag, fmt.Sprintf("real %s #%d", cls, index%n), s.Size, img.Pix)
		if err != nil {
			return nil, err
		}
		charts = append(charts, h)
		unit := normalised(series)
		traces = append(traces, Trace{Name: "real series (normalised)", Values: unit})
		dec, err := decodeUnit(img.Pix, s.Size)
		if err != nil {
			return nil, err
		}
		traces = append(traces, Trace{Name: "decoded from real image", Values: dec, X: blockCentres(len(series), s.Size)})
		hists = append(hists, Hist{Name: "real", Counts: pixelHist(img.Pix, 32)})
	}
	if n := len(s.Synth[c]); n > 0 {
		pix := s.Synth[c][index%n]
		h, err := pixelHeatmap("synth_"+tag, fmt.Sprintf("synthetic %s #%d", cls, index%n), s.Size, pix)
		if err != nil {
			return nil, err
		}
		charts = append(charts, h)
		dec, err := decodeUnit(pix, s.Size)
		if err != nil {
			return nil, err
		}
		length := s.Size
		if len(s.Real[c]) > 0 {
			length = len(s.Real[c][0])
		}
		traces = append(traces, Trace{Name: "decoded from synthetic image", Values: dec, X: blockCentres(length, s.Size)})
		hists = append(hists, Hist{Name: "synthetic", Counts: pixelHist(pix, 32)})
	}
	if len(charts) == 0 {
		return nil, fmt.Errorf("explore set %s: class %s has neither real traces nor synthetic images", s.Name, cls)
	}
	for _, h := range charts {
		h.Width, h.Height = 360, 330
	}
	tr, err := Traces("traces_"+tag, fmt.Sprintf("%s: series and decoded diagonals", cls), "time bin", "normalised value (no unit)", traces...)
	if err != nil {
		return nil, err
	}
	hi, err := Histograms("hist_"+tag, cls+": pixel histograms", "pixel / 255", 0, 1, hists...)
	if err != nil {
		return nil, err
	}
	tr.Width, hi.Width, hi.Height = 720, 720, 300
	return append(charts, tr, hi), nil
}

// Explorer is a Switch over the set's classes (a select) and the first samples sample indices (a
// slider) that shows ViewCharts, starting at class 0, sample 0. Every view is drawn in advance, so keep
// len(Classes) * samples within MaxSwitchViews.
func (s *ExploreSet) Explorer(samples int) (Block, error) {
	most := 1
	for c := range s.Classes {
		most = max(most, s.Samples(c))
	}
	samples = min(max(samples, 1), most)
	idx := make([]string, samples)
	for i := range idx {
		idx[i] = fmt.Sprint(i)
	}
	return Switch("explore_"+s.Name, []Control{{Label: "class", Values: s.Classes}, {Label: "sample", Values: idx, Slider: true}},
		func(choice []int) ([]*Chart, error) { return s.ViewCharts(choice[0], choice[1]) })
}

// Row lays charts out left to right, wrapping, as one HTML block.
func Row(charts ...*Chart) string {
	var b strings.Builder
	b.WriteString(`<div style="display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start">`)
	for _, c := range charts {
		b.WriteString("<div>" + c.Fragment() + "</div>")
	}
	b.WriteString("</div>\n")
	return b.String()
}

// pixelHeatmap draws 8-bit pixels as values in [0, 1].
func pixelHeatmap(name, title string, size int, pix []byte) (*Chart, error) {
	v := make([]float64, len(pix))
	for i, p := range pix {
		v[i] = float64(p) / 255
	}
	return LabelledHeatmap(name, title, GASFLabels("pixel / 255"), size, v, 0, 1)
}

// decodeUnit decodes a GASF image made with the paper's settings into its normalised [0, 1] series.
func decodeUnit(pix []byte, size int) ([]float64, error) {
	p := gasf.DefaultParams(size)
	unit := gasf.Normalisation{Mode: gasf.MinMax, Lo: 0, Hi: 1}
	return gasf.Decode(&gasf.Image{Size: size, Pix: pix, Params: p, Norm: unit, Length: size})
}

// normalised maps a series to [0, 1] by its own min and max (a constant series maps to 0).
func normalised(x []float64) []float64 {
	lo, hi := x[0], x[0]
	for _, v := range x {
		lo, hi = min(lo, v), max(hi, v)
	}
	out := make([]float64, len(x))
	if hi > lo {
		for i, v := range x {
			out[i] = (v - lo) / (hi - lo)
		}
	}
	return out
}

// blockCentres places S decoded samples of a length-L series at the centres of the blocks they stand
// for: (k + 0.5) L/S - 0.5 on the series' index axis.
func blockCentres(length, size int) []float64 {
	out := make([]float64, size)
	for k := range out {
		out[k] = (float64(k)+0.5)*float64(length)/float64(size) - 0.5
	}
	return out
}

// pixelHist is the normalised histogram of 8-bit pixels in bins equal bins of [0, 1].
func pixelHist(pix []byte, bins int) []float64 {
	h := make([]float64, bins)
	for _, p := range pix {
		h[min(int(p)*bins/256, bins-1)] += 1 / float64(len(pix))
	}
	return h
}
