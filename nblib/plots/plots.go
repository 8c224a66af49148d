package plots

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"github.com/netdiffus/netdiffus/nblib/project"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// EnvOut names the environment variable that overrides the figure folder.
const EnvOut = "NETDIFFUS_OUT"

// Dir returns the folder figures are written to: $NETDIFFUS_OUT, else out/figures of the repository.
func Dir() string {
	if d := os.Getenv(EnvOut); d != "" {
		return d
	}
	return project.Path("out", "figures")
}

// Default figure size, in the proportions of a single-column paper figure.
const (
	Width  = 6 * vg.Inch
	Height = 4 * vg.Inch
)

// Show saves p as Dir()/name.png and name.svg and, inside a GoNB notebook, displays the PNG. It returns the
// PNG's path. Width or height 0 means the default size.
func Show(p *plot.Plot, name string, width, height vg.Length) (string, error) {
	if width == 0 {
		width = Width
	}
	if height == 0 {
		height = Height
	}
	dir := Dir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("figure %s: %w", name, err)
	}
	pngPath := filepath.Join(dir, name+".png")
	for _, path := range []string{pngPath, filepath.Join(dir, name+".svg")} {
		if err := p.Save(width, height, path); err != nil {
			return "", fmt.Errorf("figure %s: saving %s: %w", name, path, err)
		}
	}
	if gonbui.IsNotebook {
		b, err := os.ReadFile(pngPath)
		if err != nil {
			return "", err
		}
		gonbui.DisplayPNG(b)
	}
	return pngPath, nil
}

// ShowImage saves img as Dir()/name.png and, inside a GoNB notebook, displays it. It returns the path.
func ShowImage(img image.Image, name string) (string, error) {
	if err := os.MkdirAll(Dir(), 0o755); err != nil {
		return "", fmt.Errorf("image %s: %w", name, err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", fmt.Errorf("image %s: %w", name, err)
	}
	path := filepath.Join(Dir(), name+".png")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("image %s: %w", name, err)
	}
	if gonbui.IsNotebook {
		gonbui.DisplayPNG(buf.Bytes())
	}
	return path, nil
}

// GrayGrid lays out square 8-bit images (size x size, row-major) in a grid of cols columns, each pixel
// drawn as a scale x scale block, with a 2-pixel white gutter: a quick look at real and synthetic images.
func GrayGrid(images [][]byte, size, cols, scale int) (*image.Gray, error) {
	if len(images) == 0 || cols < 1 || scale < 1 {
		return nil, fmt.Errorf("gray grid: %d images, %d columns, scale %d", len(images), cols, scale)
	}
	const gutter = 2
	rows := (len(images) + cols - 1) / cols
	cell := size*scale + gutter
	out := image.NewGray(image.Rect(0, 0, cols*cell+gutter, rows*cell+gutter))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	for k, im := range images {
		if len(im) != size*size {
			return nil, fmt.Errorf("gray grid: image %d has %d pixels, want %dx%d", k, len(im), size, size)
		}
		x0, y0 := gutter+(k%cols)*cell, gutter+(k/cols)*cell
		for y := 0; y < size*scale; y++ {
			for x := 0; x < size*scale; x++ {
				out.SetGray(x0+x, y0+y, color.Gray{Y: im[(y/scale)*size+x/scale]})
			}
		}
	}
	return out, nil
}

// Heatmap plots a grid of values, such as a GASF image, with a perceptually uniform palette, axes named
// for a GASF image drawn as an image (column j; row i counted from the top, so the y value is S-1-i) and a
// colour key named "value": HeatmapLabelled names them. As
// everywhere in gonum/plot, row 0 of the grid is drawn at the bottom: image types (gasf.Image) flip their
// rows in their GridXYZ view so that they appear as images do.
func Heatmap(g plotter.GridXYZ, title string) *plot.Plot {
	return HeatmapLabelled(g, title, "j (time block)", "S-1-i (time block i from the top)", "value")
}

// colourKeySteps is the number of swatches in a heat map's colour key.
const colourKeySteps = 6

// HeatmapLabelled is Heatmap with named axes and a colour key (swatches from the lowest to the highest
// value, labelled with their values under the key's name) in a margin right of the image.
func HeatmapLabelled(g plotter.GridXYZ, title, xlabel, ylabel, valueLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	pal := moreland.SmoothBlueRed().Palette(255)
	h := plotter.NewHeatMap(g, pal)
	h.Rasterized = true // one image, no seams between cells
	p.Add(h)
	p.X.Label.Text, p.Y.Label.Text = xlabel, ylabel
	// The colour key sits in a margin right of the image, from the highest value down.
	cols, _ := g.Dims()
	xmin, xmax := g.X(0), g.X(cols-1)
	span := math.Max(xmax-xmin, 1)
	p.X.Max = xmax + 0.45*span
	p.X.Min = xmin - 0.5*span/float64(max(cols, 1))
	p.X.Tick.Marker = ticksUpTo{xmax + 0.5*span/float64(max(cols, 1))}
	p.Legend.Top, p.Legend.Left = true, false
	p.Legend.Add(valueLabel + ":")
	lo, hi := h.Min, h.Max
	colours := pal.Colors()
	for k := colourKeySteps - 1; k >= 0; k-- {
		f := float64(k) / float64(colourKeySteps-1)
		c := colours[min(int(f*float64(len(colours)-1)+0.5), len(colours)-1)]
		p.Legend.Add(fmt.Sprintf("%.3g", lo+f*(hi-lo)), swatch{c})
	}
	return p
}

// ticksUpTo are the default ticks up to a limit: none in the colour key's margin.
type ticksUpTo struct{ limit float64 }

func (t ticksUpTo) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, tk := range (plot.DefaultTicks{}).Ticks(lo, hi) {
		if tk.Value <= t.limit {
			out = append(out, tk)
		}
	}
	return out
}

// swatch is a legend thumbnail filled with one colour.
type swatch struct{ c color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.c, []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}})
}

// ExampleGrid draws real and synthetic examples as a figure: one column per class (named on the x
// axis), the real image above the synthetic one (rows named on the y axis), under a title. real[i] and
// synth[i] are size x size 8-bit images of classes[i]; a nil image leaves its tile blank.
func ExampleGrid(title string, size int, classes []string, real, synth [][]byte) (*plot.Plot, error) {
	if title == "" || len(classes) == 0 || len(real) != len(classes) || len(synth) != len(classes) || size < 1 {
		return nil, fmt.Errorf("example grid %q: %d classes, %d real and %d synthetic images of side %d (want a title and one of each per class)",
			title, len(classes), len(real), len(synth), size)
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text, p.Y.Label.Text = "class", "images ("+fmt.Sprintf("%dx%d", size, size)+" GASF)"
	const gap = 0.08
	for i := range classes {
		for row, im := range [][]byte{synth[i], real[i]} { // y = 0 at the bottom: synthetic below real
			if im == nil {
				continue
			}
			if len(im) != size*size {
				return nil, fmt.Errorf("example grid %q: image of class %s has %d pixels, want %dx%d", title, classes[i], len(im), size, size)
			}
			g := image.NewGray(image.Rect(0, 0, size, size))
			copy(g.Pix, im)
			x0, y0 := float64(i)+gap, float64(row)+gap
			p.Add(plotter.NewImage(g, x0, y0, x0+1-2*gap, y0+1-2*gap))
		}
	}
	xt := make([]plot.Tick, len(classes))
	for i, c := range classes {
		xt[i] = plot.Tick{Value: float64(i) + 0.5, Label: c}
	}
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, float64(len(classes)), 0, 2
	p.X.Tick.Marker = plot.ConstantTicks(xt)
	p.Y.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: 0.5, Label: "synthetic"}, {Value: 1.5, Label: "real"}})
	if len(classes) > 4 {
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	}
	return p, nil
}

// ExampleGridSize is a size for ExampleGrid's figure: about an inch a class and a row, with room for
// the title and slanted class names.
func ExampleGridSize(classes int) (width, height vg.Length) {
	return vg.Length(max(4, 1.1*float64(classes)+1.4)) * vg.Inch, 4 * vg.Inch
}

// named refuses a figure without a title or an axis name: a figure for a paper says what it shows.
func named(kind, title, xlabel, ylabel string) error {
	if strings.TrimSpace(title) == "" || strings.TrimSpace(xlabel) == "" || strings.TrimSpace(ylabel) == "" {
		return fmt.Errorf("%s: title %q, x axis %q, y axis %q: a figure needs a title and both axis names (with units)", kind, title, xlabel, ylabel)
	}
	return nil
}

// Named is a labelled set of values, one histogram or one bar group.
type Named struct {
	Name   string
	Values []float64
}

// Histograms overlays normalised histograms (area 1) of several sets over a common range, as outlines so
// overlaps stay visible.
func Histograms(title, xlabel string, bins int, sets ...Named) (*plot.Plot, error) {
	if bins < 1 {
		return nil, fmt.Errorf("histograms %q: bins must be >= 1, got %d", title, bins)
	}
	if err := named("histograms", title, xlabel, "density"); err != nil {
		return nil, err
	}
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, xlabel, "density"
	for i, s := range sets {
		if len(s.Values) == 0 {
			return nil, fmt.Errorf("histograms %q: set %q is empty", title, s.Name)
		}
		h, err := plotter.NewHist(plotter.Values(s.Values), bins)
		if err != nil {
			return nil, fmt.Errorf("histograms %q, set %q: %w", title, s.Name, err)
		}
		h.Normalize(1)
		h.FillColor = nil
		h.LineStyle.Color = plotutil.Color(i)
		h.LineStyle.Width = vg.Points(1.5)
		p.Add(h)
		p.Legend.Add(s.Name, h)
	}
	p.Legend.Top = true
	return p, nil
}

// Series is one line of a line plot.
type Series struct {
	Name string
	X, Y []float64
}

// maxMarked is the longest series drawn with a marker on every point.
const maxMarked = 60

// Lines plots one or more series; short ones (accuracy against a swept size) get a marker on every point.
func Lines(title, xlabel, ylabel string, series ...Series) (*plot.Plot, error) {
	if err := named("lines", title, xlabel, ylabel); err != nil {
		return nil, err
	}
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, xlabel, ylabel
	for i, s := range series {
		if len(s.X) != len(s.Y) || len(s.X) == 0 {
			return nil, fmt.Errorf("lines %q, series %q: %d x values and %d y values", title, s.Name, len(s.X), len(s.Y))
		}
		xy := make(plotter.XYs, len(s.X))
		for k := range s.X {
			xy[k].X, xy[k].Y = s.X[k], s.Y[k]
		}
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return nil, fmt.Errorf("lines %q, series %q: %w", title, s.Name, err)
		}
		l.Color, pts.Color = plotutil.Color(i), plotutil.Color(i)
		pts.Shape = plotutil.Shape(i)
		if len(xy) > maxMarked {
			p.Add(l)
			p.Legend.Add(s.Name, l)
			continue
		}
		p.Add(l, pts)
		p.Legend.Add(s.Name, l, pts)
	}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	return p, nil
}

// Bars draws grouped bars: one cluster per category, one bar per group (each group has a value per category).
func Bars(title, ylabel string, categories []string, groups ...Named) (*plot.Plot, error) {
	if err := named("bars", title, "categories", ylabel); err != nil {
		return nil, err
	}
	p := plot.New()
	p.Title.Text, p.Y.Label.Text = title, ylabel
	// A cluster takes at most 40 points, less when many categories share the default figure width.
	cluster := min(40, 300/float64(max(len(categories), 1)))
	width := vg.Points(cluster / float64(max(len(groups), 1)))
	for i, g := range groups {
		if len(g.Values) != len(categories) {
			return nil, fmt.Errorf("bars %q, group %q: %d values for %d categories", title, g.Name, len(g.Values), len(categories))
		}
		b, err := plotter.NewBarChart(plotter.Values(g.Values), width)
		if err != nil {
			return nil, fmt.Errorf("bars %q, group %q: %w", title, g.Name, err)
		}
		b.Color = plotutil.Color(i)
		b.LineStyle.Width = 0
		b.Offset = width * vg.Length(float64(i)-float64(len(groups)-1)/2)
		p.Add(b)
		p.Legend.Add(g.Name, b)
	}
	p.NominalX(categories...)
	if len(categories) > 5 { // slanted names, so that long ones do not run into each other
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = draw.XRight, draw.YCenter
	}
	p.Legend.Top = true
	p.Y.Max *= 1 + 0.12*float64(len(groups)) // room for the legend, a line per group, above the tallest bar
	p.Add(plotter.NewGrid())
	return p, nil
}

// HLine draws a dashed horizontal line at y across the plot's x range (after the data is added),
// named in the legend, for a reference level such as a floor. It returns the line it added.
func HLine(p *plot.Plot, y float64, name string) (*plotter.Line, error) {
	if math.IsNaN(y) || math.IsInf(y, 0) {
		return nil, fmt.Errorf("plots: horizontal line %q at %v", name, y)
	}
	l, err := plotter.NewLine(plotter.XYs{{X: p.X.Min, Y: y}, {X: p.X.Max, Y: y}})
	if err != nil {
		return nil, fmt.Errorf("plots: horizontal line %q: %w", name, err)
	}
	l.LineStyle.Width = vg.Points(1.5)
	l.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	l.LineStyle.Color = color.Black
	p.Add(l)
	p.Legend.Add(name, l)
	p.Y.Max = math.Max(p.Y.Max, y*1.2)
	return l, nil
}

// Table saves rows as Dir()/name.csv and, inside a notebook, displays them as a Markdown table. It returns
// the CSV's path. Every row must have as many cells as the header.
func Table(name string, header []string, rows [][]string) (string, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(header)
	for i, r := range rows {
		if len(r) != len(header) {
			return "", fmt.Errorf("table %s: row %d has %d cells, the header %d", name, i+1, len(r), len(header))
		}
		_ = w.Write(r)
	}
	w.Flush()
	if err := os.MkdirAll(Dir(), 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(Dir(), name+".csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return "", fmt.Errorf("table %s: %w", name, err)
	}
	if gonbui.IsNotebook {
		md := Markdown(header, rows)
		gonbui.SendData(&protocol.DisplayData{Data: map[protocol.MIMEType]any{protocol.MIMETextMarkdown: md, protocol.MIMETextPlain: md}})
	}
	return path, nil
}

// Text shows Markdown text: inside a notebook as a display (with a plain-text fallback), so that it
// lands in order with the figures and tables displayed around it (a cell's standard output reaches the
// notebook on a channel of its own, and may overtake them or fall behind); elsewhere it writes text to w.
func Text(w io.Writer, text string) error {
	if gonbui.IsNotebook {
		gonbui.SendData(&protocol.DisplayData{Data: map[protocol.MIMEType]any{protocol.MIMETextMarkdown: text, protocol.MIMETextPlain: text}})
		return nil
	}
	_, err := io.WriteString(w, text)
	return err
}

// Markdown renders a table as GitHub-flavoured Markdown.
func Markdown(header []string, rows [][]string) string {
	var b strings.Builder
	line := func(cells []string) { b.WriteString("| " + strings.Join(cells, " | ") + " |\n") }
	line(header)
	sep := make([]string, len(header))
	for i := range sep {
		sep[i] = "---"
	}
	line(sep)
	for _, r := range rows {
		line(r)
	}
	return b.String()
}
