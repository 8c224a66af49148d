package interactive

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// XY is one line: Y[i] at X[i]. An empty X means 0, 1, 2, ...
type XY struct {
	Name string
	X, Y []float64
}

// Bars is one group of bars (a legend entry): Mean[i] ± Std[i] for category i. Std may be nil.
type Bars struct {
	Name      string
	Mean, Std []float64
}

// Hist is one normalised histogram on [Lo, Hi]: Counts[i] for bin i of equal width.
type Hist struct {
	Name   string
	Counts []float64
}

// Trace is one 1-D series, drawn against X (an empty X means the index 0, 1, 2, ...), so a long
// original trace and a short decoded one can share the time axis.
type Trace struct {
	Name   string
	Values []float64
	X      []float64
}

// optioner is what every go-echarts chart offers.
type optioner interface {
	Validate()
	JSONNotEscaped() template.HTML
}

// build validates a go-echarts chart and wraps its option.
func build(name string, c optioner, width, height int) *Chart {
	c.Validate()
	return fromOption(name, string(c.JSONNotEscaped()), width, height)
}

// common are the options every chart shares: title, hover tooltip, legend that toggles series, a
// save-as-image button, and no animation (charts are drawn once, in tests too).
func common(title, trigger, bottom string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithTitleOpts(opts.Title{Title: title, Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: trigger}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "28"}),
		charts.WithAnimation(false),
		charts.WithGridOpts(opts.Grid{Top: "70", Left: "95", Right: "70", Bottom: bottom}),
		charts.WithToolboxOpts(opts.Toolbox{Show: opts.Bool(true), Right: "20", Feature: &opts.ToolBoxFeature{
			SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{Show: opts.Bool(true), Title: "save PNG"}}}),
	}
}

// named refuses a chart without a title or an axis name: a figure for a paper says what it shows.
func named(name, title, xlabel, ylabel string) error {
	if strings.TrimSpace(title) == "" || strings.TrimSpace(xlabel) == "" || strings.TrimSpace(ylabel) == "" {
		return fmt.Errorf("interactive chart %s: title %q, x axis %q, y axis %q: a chart needs a title and both axis names (with units)", name, title, xlabel, ylabel)
	}
	return nil
}

// finite reports whether every value is a finite number (ECharts cannot draw NaN or Inf).
func finite(name string, vs []float64) error {
	for i, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("interactive chart: %s[%d] is %v: drop or replace non-finite values first", name, i, v)
		}
	}
	return nil
}

// Lines draws y against a numeric x: loss curves, accuracy against number or length of traces
// (Fig. 4, 6, 8). logY uses a logarithmic y axis (all y must then be > 0).
func Lines(name, title, xlabel, ylabel string, logY bool, series ...XY) (*Chart, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("interactive chart %s: no series", name)
	}
	if err := named(name, title, xlabel, ylabel); err != nil {
		return nil, err
	}
	yType := "value"
	if logY {
		yType = "log"
	}
	c := charts.NewLine()
	c.SetGlobalOptions(append(common(title, "axis", "60"),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: xlabel, NameLocation: "middle", NameGap: 28, Scale: opts.Bool(true)}),
		charts.WithYAxisOpts(yAxis(yType, ylabel, true)),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "inside", XAxisIndex: []int{0}}),
	)...)
	d := newDescriber("line chart", title, xlabel, ylabel)
	for _, s := range series {
		if len(s.X) != 0 && len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("interactive chart %s: series %q has %d x and %d y values", name, s.Name, len(s.X), len(s.Y))
		}
		if err := finite(s.Name, s.Y); err != nil {
			return nil, err
		}
		if err := finite(s.Name, s.X); err != nil {
			return nil, err
		}
		data := make([]opts.LineData, len(s.Y))
		for i, y := range s.Y {
			x := float64(i)
			if len(s.X) > 0 {
				x = s.X[i]
			}
			if logY && !(y > 0) {
				return nil, fmt.Errorf("interactive chart %s: series %q has y=%v at x=%v, not allowed on a log axis", name, s.Name, y, x)
			}
			data[i] = opts.LineData{Value: []float64{short(x), short(y)}}
		}
		c.AddSeries(s.Name, data, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(len(s.Y) <= 50)}))
		d.series(s.Name, s.Y)
	}
	return build(name, c, 0, 0).described(d), nil
}

// yAxis is a value axis whose name runs along the axis, outside the tick labels, so a long name (with
// its unit) is never cut off at the chart's edge.
func yAxis(kind, name string, scale bool) opts.YAxis {
	y := opts.YAxis{Type: kind, Name: name, NameLocation: "middle", NameGap: 68}
	if scale {
		y.Scale = opts.Bool(true)
	}
	return y
}

// errorBarJS draws a vertical bar with caps from value[1] to value[2] at category value[0], centred on
// bar value[3] of value[4] bars per category (ECharts' own bar layout, so it sits on its bar).
const errorBarJS = `function (params, api) {
 var x = api.value(0), lo = api.value(1), hi = api.value(2), g = api.value(3), n = api.value(4);
 var layout = api.barLayout({barGap: '30%', barCategoryGap: '20%', count: n});
 var top = api.coord([x, hi]), bottom = api.coord([x, lo]);
 var cx = top[0] + layout[g].offsetCenter, w = layout[g].width * 0.25;
 var style = {stroke: '#222', lineWidth: 1.5, fill: null};
 return {type: 'group', z2: 100, children: [
  {type: 'line', shape: {x1: cx - w, y1: top[1], x2: cx + w, y2: top[1]}, style: style, z2: 100},
  {type: 'line', shape: {x1: cx, y1: top[1], x2: cx, y2: bottom[1]}, style: style, z2: 100},
  {type: 'line', shape: {x1: cx - w, y1: bottom[1], x2: cx + w, y2: bottom[1]}, style: style, z2: 100}]};
}`

// AccuracyBars draws grouped bars with error bars (mean ± std): one category per entry of categories
// (e.g. classifiers) and one coloured bar per group (e.g. scenario: original, synth, ori+synth).
func AccuracyBars(name, title, ylabel string, categories []string, groups ...Bars) (*Chart, error) {
	if len(categories) == 0 || len(groups) == 0 {
		return nil, fmt.Errorf("interactive chart %s: needs categories and groups (got %d and %d)", name, len(categories), len(groups))
	}
	if err := named(name, title, "classifier", ylabel); err != nil {
		return nil, err
	}
	names := make([]string, len(groups))
	for i, g := range groups {
		names[i] = g.Name
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(common(title, "axis", "60"),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "28", Data: names}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: categories, Name: "classifier", NameLocation: "middle", NameGap: 28}),
		charts.WithYAxisOpts(yAxis("value", ylabel, false)),
	)...)
	bar.SetXAxis(categories)
	d := newDescriber("bar chart", title, "classifier", ylabel)
	errs := charts.NewCustom()
	var errData []opts.CustomData
	for g, grp := range groups {
		if len(grp.Mean) != len(categories) || (grp.Std != nil && len(grp.Std) != len(categories)) {
			return nil, fmt.Errorf("interactive chart %s: group %q has %d means and %d stds for %d categories", name, grp.Name, len(grp.Mean), len(grp.Std), len(categories))
		}
		if err := finite(grp.Name, grp.Mean); err != nil {
			return nil, err
		}
		if err := finite(grp.Name, grp.Std); err != nil {
			return nil, err
		}
		data := make([]opts.BarData, len(grp.Mean))
		for i, m := range grp.Mean {
			data[i] = opts.BarData{Value: m}
			if grp.Std != nil {
				errData = append(errData, opts.CustomData{Value: []float64{float64(i), m - grp.Std[i], m + grp.Std[i], float64(g), float64(len(groups))}})
			}
		}
		bar.AddSeries(grp.Name, data, charts.WithBarChartOpts(opts.BarChart{BarGap: "30%", BarCategoryGap: "20%"}))
		d.pairs(grp.Name, categories, grp.Mean)
	}
	if len(errData) > 0 {
		errs.AddSeries("± std", errData, charts.WithSeriesOpts(func(s *charts.SingleSeries) {
			s.RenderItem = opts.FuncOpts(errorBarJS)
		}))
		bar.Overlap(errs)
	}
	return build(name, bar, 0, 0).described(d), nil
}

// ClassFID draws one bar per class and a dashed horizontal line at floor, the FID of real images against
// other real images of the class: the value a perfect generator would reach with as many images. A floor
// <= 0 or NaN draws no line.
func ClassFID(name, title string, classes []string, fid []float64, floor float64) (*Chart, error) {
	if len(classes) == 0 || len(fid) != len(classes) {
		return nil, fmt.Errorf("interactive chart %s: %d FID values for %d classes", name, len(fid), len(classes))
	}
	if err := named(name, title, "class", "FID"); err != nil {
		return nil, err
	}
	if err := finite("fid", fid); err != nil {
		return nil, err
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(common(title, "axis", "60"),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: classes, Name: "class", NameLocation: "end", AxisLabel: &opts.AxisLabel{Rotate: 30, Interval: "0"}}),
		charts.WithYAxisOpts(yAxis("value", "FID (lower is closer to real)", false)),
	)...)
	bar.SetXAxis(classes)
	data := make([]opts.BarData, len(fid))
	for i, v := range fid {
		data[i] = opts.BarData{Value: v}
	}
	var so []charts.SeriesOpts
	if floor > 0 && !math.IsInf(floor, 0) {
		so = append(so,
			charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{Name: "real vs real", YAxis: floor}),
			charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"},
				LineStyle: &opts.LineStyle{Type: "dashed", Color: "#c23531", Width: 2},
				Label:     &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Formatter: "real vs real {c}"}}))
	}
	bar.AddSeries("synthetic vs real", data, so...)
	d := newDescriber("bar chart", title, "class", "FID")
	d.pairs("synthetic vs real", classes, fid)
	if floor > 0 && !math.IsInf(floor, 0) {
		d.line("real vs real floor: %.4g", floor)
	}
	return build(name, bar, 0, 0).described(d), nil
}

// Histograms draws normalised pixel-value histograms on [lo, hi], one line per set, as steps.
func Histograms(name, title, xlabel string, lo, hi float64, sets ...Hist) (*Chart, error) {
	if len(sets) == 0 || !(hi > lo) {
		return nil, fmt.Errorf("interactive chart %s: needs sets and lo < hi (got %d sets, [%v, %v])", name, len(sets), lo, hi)
	}
	if err := named(name, title, xlabel, "fraction of pixels"); err != nil {
		return nil, err
	}
	c := charts.NewLine()
	c.SetGlobalOptions(append(common(title, "axis", "60"),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: xlabel, NameLocation: "middle", NameGap: 28, Min: lo, Max: hi}),
		charts.WithYAxisOpts(yAxis("value", "fraction of pixels", false)),
	)...)
	d := newDescriber("histogram", title, xlabel, "fraction of pixels")
	for _, s := range sets {
		if len(s.Counts) == 0 {
			return nil, fmt.Errorf("interactive chart %s: histogram %q is empty", name, s.Name)
		}
		if err := finite(s.Name, s.Counts); err != nil {
			return nil, err
		}
		w := (hi - lo) / float64(len(s.Counts))
		data := make([]opts.LineData, len(s.Counts))
		for i, v := range s.Counts {
			data[i] = opts.LineData{Value: []float64{short(lo + (float64(i)+0.5)*w), short(v)}}
		}
		c.AddSeries(s.Name, data, charts.WithLineChartOpts(opts.LineChart{Step: "middle", ShowSymbol: opts.Bool(false)}),
			charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.15)}))
		d.series(s.Name+fmt.Sprintf(" (%d bins on [%g, %g])", len(s.Counts), lo, hi), s.Counts)
	}
	return build(name, c, 0, 0).described(d), nil
}

// Traces draws 1-D series against their index with a zoom slider below and mouse-wheel zoom, e.g. an
// original trace beside the series decoded from a synthetic image (resampled to the same length).
func Traces(name, title, xlabel, ylabel string, traces ...Trace) (*Chart, error) {
	if len(traces) == 0 {
		return nil, fmt.Errorf("interactive chart %s: no traces", name)
	}
	if err := named(name, title, xlabel, ylabel); err != nil {
		return nil, err
	}
	c := charts.NewLine()
	c.SetGlobalOptions(append(common(title, "axis", "95"),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: xlabel, NameLocation: "middle", NameGap: 28, Max: "dataMax"}),
		charts.WithYAxisOpts(yAxis("value", ylabel, false)),
		charts.WithDataZoomOpts(opts.DataZoom{Type: "slider", XAxisIndex: []int{0}, Start: 0, End: 100},
			opts.DataZoom{Type: "inside", XAxisIndex: []int{0}}),
	)...)
	d := newDescriber("line chart", title, xlabel, ylabel)
	for _, t := range traces {
		if len(t.Values) == 0 {
			return nil, fmt.Errorf("interactive chart %s: trace %q is empty", name, t.Name)
		}
		if err := finite(t.Name, t.Values); err != nil {
			return nil, err
		}
		if len(t.X) != 0 && len(t.X) != len(t.Values) {
			return nil, fmt.Errorf("interactive chart %s: trace %q has %d x and %d values", name, t.Name, len(t.X), len(t.Values))
		}
		data := make([]opts.LineData, len(t.Values))
		for i, v := range t.Values {
			x := float64(i)
			if len(t.X) > 0 {
				x = t.X[i]
			}
			data[i] = opts.LineData{Value: []float64{short(x), short(v)}}
		}
		c.AddSeries(t.Name, data, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
		d.series(t.Name, t.Values)
	}
	return build(name, c, 0, 380).described(d), nil
}

// short rounds v to 6 significant digits: what a chart can show, and a third of the output bytes.
func short(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 6, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// MaxHeatmapSide is the largest side drawn cell by cell; larger images are block-averaged down.
const MaxHeatmapSide = 64

// Heatmap draws a size x size image (row-major, pixel (x, y) at y*size+x, values in [lo, hi]) with the
// value of each cell shown on hover. Row 0 is drawn at the top, as in an image. The axes are named
// "column j" and "row i" and the colour bar "value"; LabelledHeatmap names them.
func Heatmap(name, title string, size int, pix []float64, lo, hi float64) (*Chart, error) {
	return LabelledHeatmap(name, title, HeatmapLabels{X: "column j", Y: "row i", Value: "value"}, size, pix, lo, hi)
}

// HeatmapLabels name a heat map's axes and its colour bar (with units where there are any).
type HeatmapLabels struct{ X, Y, Value string }

// GASFLabels are the labels of a GASF image: both axes index time blocks, the colour is the pixel.
func GASFLabels(value string) HeatmapLabels {
	return HeatmapLabels{X: "j (time block)", Y: "i (time block)", Value: value}
}

// LabelledHeatmap is Heatmap with named axes and colour bar.
func LabelledHeatmap(name, title string, axes HeatmapLabels, size int, pix []float64, lo, hi float64) (*Chart, error) {
	if size < 1 || len(pix) != size*size {
		return nil, fmt.Errorf("interactive chart %s: %d pixels for a %dx%d image", name, len(pix), size, size)
	}
	if err := finite("pixel", pix); err != nil {
		return nil, err
	}
	if !(hi > lo) {
		return nil, fmt.Errorf("interactive chart %s: empty value range [%v, %v]", name, lo, hi)
	}
	if err := named(name, title, axes.X, axes.Y); err != nil || strings.TrimSpace(axes.Value) == "" {
		return nil, fmt.Errorf("interactive chart %s: a heat map needs a title, axis names and a colour bar name (got %q, %+v)", name, title, axes)
	}
	side, vals := size, pix
	if size > MaxHeatmapSide {
		side = MaxHeatmapSide
		vals = blockMean(pix, size, side)
		title = fmt.Sprintf("%s (as %dx%d block means)", title, side, side)
	}
	labels := make([]int, side)
	for i := range labels {
		labels[i] = i
	}
	hm := charts.NewHeatMap()
	hm.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, Left: "center", TitleStyle: &opts.TextStyle{FontSize: 13}}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Formatter: opts.FuncOpts(
			`function (p) { return 'row ' + p.value[1] + ', col ' + p.value[0] + ': ' + p.value[2].toFixed(4); }`)}),
		charts.WithAnimation(false),
		// Drawn in one pass: progressive (chunked, frame by frame) rendering of more than 3000 cells
		// never lets a headless browser's virtual clock settle.
		charts.WithProgressive(0),
		charts.WithProgressiveThreshold(1_000_000),
		charts.WithGridOpts(opts.Grid{Top: "50", Left: "55", Right: "100", Bottom: "40"}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: labels, Name: axes.X, NameLocation: "middle", NameGap: 22,
			SplitArea: &opts.SplitArea{Show: opts.Bool(false)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: labels, Inverse: opts.Bool(true), Name: axes.Y, NameLocation: "middle", NameGap: 35}),
		charts.WithVisualMapOpts(opts.VisualMap{Type: "continuous", Calculable: opts.Bool(true), Min: float32(lo), Max: float32(hi),
			Text:   []string{axes.Value, " "}, // the handles show the range's ends
			Orient: "vertical", Right: "0", Top: "middle",
			InRange: &opts.VisualMapInRange{Color: []string{"#3b4cc0", "#dddddd", "#b40426"}}}),
	)
	hm.SetXAxis(labels)
	data := make([]opts.HeatMapData, len(vals))
	for i, v := range vals {
		data[i] = opts.HeatMapData{Value: [3]any{i % side, i / side, short(v)}}
	}
	hm.AddSeries(name, data)
	d := newDescriber("heat map", title, axes.X, axes.Y)
	d.series(fmt.Sprintf("%s, %dx%d cells", axes.Value, side, side), vals)
	return build(name, hm, 460, 420).described(d), nil
}

// blockMean area-averages a size x size image down to side x side (side < size): each output cell is the
// mean of the input cells it covers, fractional overlaps weighted by area (OpenCV's INTER_AREA).
func blockMean(pix []float64, size, side int) []float64 {
	out := make([]float64, side*side)
	scale := float64(size) / float64(side)
	for oy := 0; oy < side; oy++ {
		y0, y1 := float64(oy)*scale, float64(oy+1)*scale
		for ox := 0; ox < side; ox++ {
			x0, x1 := float64(ox)*scale, float64(ox+1)*scale
			var sum, wsum float64
			for y := int(y0); y < size && float64(y) < y1; y++ {
				wy := math.Min(y1, float64(y+1)) - math.Max(y0, float64(y))
				for x := int(x0); x < size && float64(x) < x1; x++ {
					wx := math.Min(x1, float64(x+1)) - math.Max(x0, float64(x))
					sum += wx * wy * pix[y*size+x]
					wsum += wx * wy
				}
			}
			out[oy*side+ox] = sum / wsum
		}
	}
	return out
}

// GroupScores arranges flat score rows (row i: category[i], group[i], mean[i], std[i]; e.g. classifier,
// scenario, accuracy mean and std over seeds) into AccuracyBars' inputs, categories and groups in order
// of first appearance. A missing (category, group) pair is drawn as 0 ± 0.
func GroupScores(category, group []string, mean, std []float64) ([]string, []Bars, error) {
	n := len(category)
	if len(group) != n || len(mean) != n || len(std) != n {
		return nil, nil, fmt.Errorf("group scores: %d categories, %d groups, %d means, %d stds", n, len(group), len(mean), len(std))
	}
	var cats, grps []string
	ci, gi := map[string]int{}, map[string]int{}
	for i := 0; i < n; i++ {
		if _, ok := ci[category[i]]; !ok {
			ci[category[i]] = len(cats)
			cats = append(cats, category[i])
		}
		if _, ok := gi[group[i]]; !ok {
			gi[group[i]] = len(grps)
			grps = append(grps, group[i])
		}
	}
	bars := make([]Bars, len(grps))
	for g, name := range grps {
		bars[g] = Bars{Name: name, Mean: make([]float64, len(cats)), Std: make([]float64, len(cats))}
	}
	for i := 0; i < n; i++ {
		b := &bars[gi[group[i]]]
		b.Mean[ci[category[i]]], b.Std[ci[category[i]]] = mean[i], std[i]
	}
	return cats, bars, nil
}
