package plots

import (
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// grid is a small GridXYZ: z = r*cols + c.
type grid struct{ rows, cols int }

func (g grid) Dims() (int, int)   { return g.cols, g.rows }
func (g grid) Z(c, r int) float64 { return float64(r*g.cols + c) }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }
func (g grid) String() string     { return "grid" }

var _ plotter.GridXYZ = grid{}

func TestShowWritesDecodablePNGAndSVG(t *testing.T) {
	t.Setenv(EnvOut, t.TempDir())
	figures := map[string]*plot.Plot{"heat": Heatmap(grid{4, 4}, "GASF")}
	var err error
	if figures["hist"], err = Histograms("pixels", "value", 10, Named{"a", []float64{0.1, 0.2, 0.2, 0.9}}, Named{"b", []float64{0.5, 0.6}}); err != nil {
		t.Fatal(err)
	}
	if figures["lines"], err = Lines("acc", "n", "accuracy", Series{"orig", []float64{1, 2}, []float64{0.5, 0.7}}); err != nil {
		t.Fatal(err)
	}
	if figures["bars"], err = Bars("acc", "accuracy", []string{"CNN", "RF"}, Named{"orig", []float64{0.9, 0.8}}, Named{"synth", []float64{0.85, 0.7}}); err != nil {
		t.Fatal(err)
	}
	for name, p := range figures {
		path, err := Show(p, name, 0, 0)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if b := img.Bounds(); b.Dx() < 100 || b.Dy() < 100 {
			t.Errorf("%s: image %v too small", name, b)
		}
		if _, err := os.Stat(strings.TrimSuffix(path, ".png") + ".svg"); err != nil {
			t.Errorf("%s: no SVG: %v", name, err)
		}
	}
}

// TestHLineSpansTheBars checks that the line runs across the bars' x range at height y and that the y axis grows to show a line above the tallest bar.
func TestHLineSpansTheBars(t *testing.T) {
	p, err := Bars("t", "y", []string{"a", "b", "c"}, Named{"g", []float64{1, 2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	line, err := HLine(p, 5, "floor")
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Max < 5 {
		t.Errorf("y max %v below the line", p.Y.Max)
	}
	if len(line.XYs) != 2 || line.XYs[0].Y != 5 || line.XYs[1].Y != 5 || line.XYs[0].X > 0 || line.XYs[1].X < 2 {
		t.Errorf("line %+v", line)
	}
}

func TestBadInputIsAnError(t *testing.T) {
	tests := []struct {
		name string
		err  func() error
		want string
	}{
		{"empty histogram set", func() error { _, err := Histograms("t", "x", 10, Named{"synthetic", nil}); return err }, `set "synthetic" is empty`},
		{"zero bins", func() error { _, err := Histograms("t", "x", 0); return err }, "bins must be >= 1"},
		{"ragged series", func() error { _, err := Lines("t", "x", "y", Series{"s", []float64{1, 2}, []float64{1}}); return err }, "2 x values and 1 y values"},
		{"bars per category", func() error { _, err := Bars("t", "y", []string{"a", "b"}, Named{"g", []float64{1}}); return err }, "1 values for 2 categories"},
		{"ragged table", func() error { _, err := Table("t", []string{"a", "b"}, [][]string{{"1"}}); return err }, "row 1 has 1 cells"},
		{"NaN line", func() error { _, err := HLine(plot.New(), math.NaN(), "floor"); return err }, `line "floor" at NaN`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvOut, t.TempDir())
			if err := tc.err(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestTableWritesCSVAndMarkdown(t *testing.T) {
	dir := t.TempDir()
	t.Setenv(EnvOut, dir)
	path, err := Table("table1", []string{"level", "accuracy"}, [][]string{{"L1", "0.98"}, {"L3", "0.71"}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if string(b) != "level,accuracy\nL1,0.98\nL3,0.71\n" || path != filepath.Join(dir, "table1.csv") {
		t.Errorf("%s holds %q", path, b)
	}
	md := Markdown([]string{"a", "b"}, [][]string{{"1", "2"}})
	if md != "| a | b |\n| --- | --- |\n| 1 | 2 |\n" {
		t.Errorf("markdown %q", md)
	}
}

func TestDirFallsBackToTheRepository(t *testing.T) {
	t.Setenv(EnvOut, "")
	t.Setenv("NETDIFFUS_ROOT", "/repo")
	if got := Dir(); got != "/repo/out/figures" {
		t.Errorf("Dir() = %s", got)
	}
}

func TestGrayGridAndShowImage(t *testing.T) {
	t.Setenv(EnvOut, t.TempDir())
	a, b := []byte{0, 255, 255, 0}, []byte{10, 20, 30, 40}
	g, err := GrayGrid([][]byte{a, b, a}, 2, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	// 2 columns of 2x2 images at scale 3 with 2-pixel gutters: 2*(6+2)+2 = 18 wide, 2 rows -> 18 high.
	if g.Bounds().Dx() != 18 || g.Bounds().Dy() != 18 {
		t.Fatalf("grid %v", g.Bounds())
	}
	// image b, pixel (1,1) = 40, drawn at column 1: x0 = 2+8 = 10, y0 = 2; its block starts at (13, 5).
	if got := g.GrayAt(13, 5).Y; got != 40 {
		t.Errorf("pixel = %d, want 40", got)
	}
	if got := g.GrayAt(0, 0).Y; got != 255 {
		t.Errorf("gutter = %d, want white", got)
	}
	if _, err := GrayGrid([][]byte{{1, 2, 3}}, 2, 1, 1); err == nil {
		t.Error("a wrong-sized image must be an error")
	}
	path, err := ShowImage(g, "grid")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(path)
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("%s: %v", path, err)
	}
}

// TestTextOutsideNotebook: outside a notebook Text writes the text unchanged to w.
func TestTextOutsideNotebook(t *testing.T) {
	var b strings.Builder
	if err := Text(&b, "**Verdicts**\n- one\n"); err != nil || b.String() != "**Verdicts**\n- one\n" {
		t.Errorf("Text wrote %q, %v", b.String(), err)
	}
}
