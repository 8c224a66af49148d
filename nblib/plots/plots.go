package plots

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
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

// Heatmap plots a grid of values, such as a GASF image, with a perceptually uniform palette. As everywhere
// in gonum/plot, row 0 of the grid is drawn at the bottom: image types (gasf.Image) flip their rows in
// their GridXYZ view so that they appear as images do.
func Heatmap(g plotter.GridXYZ, title string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	pal := moreland.SmoothBlueRed().Palette(255)
	h := plotter.NewHeatMap(g, pal)
	h.Rasterized = true // one image, no seams between cells
	p.Add(h)
	p.X.Label.Text = "j"
	p.Y.Label.Text = "i"
	p.HideAxes()
	return p
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
		gonbui.DisplayMarkdown(Markdown(header, rows))
	}
	return path, nil
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
