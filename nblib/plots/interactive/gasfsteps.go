package interactive

import (
	"fmt"
	"math"

	"github.com/netdiffus/netdiffus/nblib/gasf"
)

// Step is one stage of the imaging pipeline as a chart, with a line saying what it does.
type Step struct {
	Title, Text string
	Chart       *Chart
}

// GASFSteps runs the exact pipeline (gasf.Pipeline) on one series and draws every stage: the raw series,
// the normalised series, the angles phi = arccos(x), the field cos(phi_i + phi_j), the gamma image
// A((G+1)/2)^gamma, the S x S area-resized image, the 8-bit image, and the series decoded back from it.
// Fields larger than MaxHeatmapSide are shown as block means. name prefixes the charts' names.
func GASFSteps(name string, series []float64, p gasf.Params, u SeriesUnits) ([]Step, error) {
	p.Method = gasf.Exact
	st, err := gasf.Pipeline(series, p)
	if err != nil {
		return nil, fmt.Errorf("gasf steps: %w", err)
	}
	L, S := len(series), p.Size
	phi := make([]float64, L)
	for i, x := range st.Unit {
		phi[i] = math.Acos(x)
	}
	gamma := toFloat64(st.Gamma)
	area := toFloat64(st.Area)
	pix := make([]float64, len(st.Pixels))
	for i, v := range st.Pixels {
		pix[i] = float64(v) / 255
	}
	img := &gasf.Image{Size: S, Pix: st.Pixels, Params: p, Norm: st.Norm, Length: L}
	decoded, err := gasf.Decode(img)
	if err != nil {
		return nil, fmt.Errorf("gasf steps: %w", err)
	}
	var steps []Step
	add := func(title, text string, c *Chart, err error) error {
		if err != nil {
			return err
		}
		steps = append(steps, Step{Title: title, Text: text, Chart: c})
		return nil
	}
	mk := []func() error{
		func() error {
			c, err := Traces(name+"_1_series", "raw series", u.Time, u.Value, Trace{Name: "series", Values: series})
			return add("1. the series", fmt.Sprintf("%d samples in their own units.", L), c, err)
		},
		func() error {
			c, err := Traces(name+"_2_normalised", "normalised to [0, 1]", u.Time, "x (normalised, no unit)", Trace{Name: "x", Values: st.Unit})
			return add("2. normalise", fmt.Sprintf("x = (v - min) / (max - min) with min %.4g, max %.4g, so that arccos is defined.", st.Norm.Lo, st.Norm.Hi), c, err)
		},
		func() error {
			c, err := Traces(name+"_3_phi", "angle phi = arccos(x)", u.Time, "phi (radians)", Trace{Name: "phi", Values: phi})
			return add("3. polar angle", "phi_i = arccos(x_i) in [0, pi/2]: large values get small angles.", c, err)
		},
		func() error {
			c, err := LabelledHeatmap(name+"_4_field", fmt.Sprintf("cos(phi_i + phi_j), %dx%d", L, L), GASFLabels("G_ij"), L, st.Field.Data, -1, 1)
			return add("4. the field", "G_ij = cos(phi_i + phi_j) = x_i x_j - sqrt(1-x_i²) sqrt(1-x_j²): symmetric, with cos(2 phi_i) = 2x_i² - 1 on the diagonal.", c, err)
		},
		func() error {
			c, err := LabelledHeatmap(name+"_5_gamma", fmt.Sprintf("A((G+1)/2)^%.2g", p.Gamma), GASFLabels("intensity"), L, gamma, 0, 1)
			return add("5. gamma", fmt.Sprintf("Map to [0, 1] with (G+1)/2, then raise to gamma = %.2g (amplitude A = %.2g): gamma < 1 lifts dark values, spreading the small ones.", p.Gamma, p.Amplitude), c, err)
		},
		func() error {
			c, err := LabelledHeatmap(name+"_6_area", fmt.Sprintf("area resize to %dx%d", S, S), GASFLabels("intensity"), S, area, 0, 1)
			return add("6. resize", fmt.Sprintf("INTER_AREA: each of the %dx%d pixels is the mean of the block of about %.1fx%.1f cells it covers.", S, S, float64(L)/float64(S), float64(L)/float64(S)), c, err)
		},
		func() error {
			c, err := LabelledHeatmap(name+"_7_pixels", "8-bit image / 255", GASFLabels("pixel / 255"), S, pix, 0, 1)
			return add("7. 8 bit", "q = round(255 p): the image a model trains on (divided by 255).", c, err)
		},
		func() error {
			c, err := Traces(name+"_8_inverse", "inverse: series decoded from the diagonal", u.Time, u.Value,
				Trace{Name: "original", Values: series}, Trace{Name: "decoded", Values: decoded, X: blockCentres(L, S)})
			return add("8. inverse", "x_k = sqrt((p_kk/A)^(1/gamma)), then undo the normalisation: exact up to 8-bit rounding at full size, the block mean (biased low where the block is rough) after resizing.", c, err)
		},
	}
	for _, f := range mk {
		if err := f(); err != nil {
			return nil, fmt.Errorf("gasf steps: %w", err)
		}
	}
	return steps, nil
}

func toFloat64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// SeriesUnits name a series' axes with their units, e.g. "time bin (0.25 s)" and "bytes per bin".
type SeriesUnits struct{ Time, Value string }

// GammaSizeExplorer is a Switch over gamma (a slider) and the image size (a select) that shows
// GammaSizeCharts of the series, starting at gamma and size (the paper's: 0.25 and 32), which must be
// among the offered values.
func GammaSizeExplorer(name string, series []float64, u SeriesUnits, gammas []float64, sizes []int, gamma float64, size int) (Block, error) {
	gi, si := -1, -1
	gl := make([]string, len(gammas))
	for i, g := range gammas {
		gl[i] = fmt.Sprintf("%g", g)
		if g == gamma {
			gi = i
		}
	}
	sl := make([]string, len(sizes))
	for i, s := range sizes {
		sl[i] = fmt.Sprintf("%dx%d", s, s)
		if s == size {
			si = i
		}
	}
	if gi < 0 || si < 0 {
		return Block{}, fmt.Errorf("gamma/size explorer: start gamma %g and size %d must be among %v and %v", gamma, size, gammas, sizes)
	}
	return Switch(name, []Control{{Label: "gamma", Values: gl, Start: gi, Slider: true}, {Label: "image size", Values: sl, Start: si}},
		func(choice []int) ([]*Chart, error) {
			return GammaSizeCharts(name, series, u, gammas[choice[0]], sizes[choice[1]])
		})
}

// GammaSizeCharts images the series with the paper's settings but the given gamma and size, and draws
// the image (hover for values) beside its pixel histogram and the decoded series.
func GammaSizeCharts(name string, series []float64, u SeriesUnits, gamma float64, size int) ([]*Chart, error) {
	p := gasf.DefaultParams(size)
	p.Gamma = gamma
	img, err := gasf.Encode(series, p)
	if err != nil {
		return nil, fmt.Errorf("gamma %v, size %d: %w", gamma, size, err)
	}
	tag := fmt.Sprintf("%s_g%g_s%d", name, gamma, size)
	h, err := pixelHeatmap(tag+"_image", fmt.Sprintf("gamma %g, %dx%d", gamma, size, size), size, img.Pix)
	if err != nil {
		return nil, err
	}
	hist, err := Histograms(tag+"_hist", fmt.Sprintf("pixel histogram, gamma %g", gamma), "pixel / 255", 0, 1, Hist{Name: "pixels", Counts: pixelHist(img.Pix, 32)})
	if err != nil {
		return nil, err
	}
	dec, err := gasf.Decode(img)
	if err != nil {
		return nil, err
	}
	tr, err := Traces(tag+"_decoded", fmt.Sprintf("series decoded from the %dx%d image", size, size), u.Time, u.Value,
		Trace{Name: "original", Values: series}, Trace{Name: "decoded", Values: dec, X: blockCentres(len(series), size)})
	if err != nil {
		return nil, err
	}
	h.Width, h.Height = 340, 320
	hist.Width, hist.Height = 360, 320
	tr.Width = 720
	return []*Chart{h, hist, tr}, nil
}
