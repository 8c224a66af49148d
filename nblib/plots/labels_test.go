package plots

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

// TestEveryFigureIsTitledAndLabelled: each plotting function the notebooks call makes a figure with a
// title and both axes named (bars: the y axis named and every category on the x axis), and refuses to
// make one without.
func TestEveryFigureIsTitledAndLabelled(t *testing.T) {
	img := make([]byte, 16)
	for i := range img {
		img[i] = byte(16 * i)
	}
	figures := map[string]func() (*plot.Plot, error){
		"Lines": func() (*plot.Plot, error) {
			return Lines("loss", "step", "MSE", Series{Name: "a", X: []float64{0, 1}, Y: []float64{1, 0.5}})
		},
		"Histograms": func() (*plot.Plot, error) {
			return Histograms("pixels", "pixel value", 4, Named{Name: "real", Values: []float64{0.1, 0.5, 0.9}})
		},
		"Bars": func() (*plot.Plot, error) {
			return Bars("accuracy", "accuracy (%)", []string{"cnn", "rf"}, Named{Name: "original", Values: []float64{80, 70}})
		},
		"Heatmap": func() (*plot.Plot, error) { return Heatmap(grid{4, 4}, "GASF of one trace"), nil },
		"ExampleGrid": func() (*plot.Plot, error) {
			return ExampleGrid("real vs synthetic", 4, []string{"a", "b"}, [][]byte{img, img}, [][]byte{img, nil})
		},
	}
	for name, make := range figures {
		t.Run(name, func(t *testing.T) {
			p, err := make()
			if err != nil {
				t.Fatal(err)
			}
			if p.Title.Text == "" || p.Y.Label.Text == "" {
				t.Errorf("title %q, y axis %q", p.Title.Text, p.Y.Label.Text)
			}
			if name == "Bars" {
				ticks := p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max)
				var labels []string
				for _, tk := range ticks {
					if tk.Label != "" {
						labels = append(labels, tk.Label)
					}
				}
				if strings.Join(labels, ",") != "cnn,rf" {
					t.Errorf("bar categories on the x axis: %v", labels)
				}
			} else if p.X.Label.Text == "" {
				t.Error("x axis has no name")
			}
			// It draws: a PNG is written without error.
			if err := p.Save(200, 150, filepath.Join(t.TempDir(), name+".png")); err != nil {
				t.Fatal(err)
			}
		})
	}
	for name, f := range map[string]func() error{
		"Lines without title":     func() error { _, err := Lines("", "x", "y"); return err },
		"Lines without y axis":    func() error { _, err := Lines("t", "x", ""); return err },
		"Bars without y axis":     func() error { _, err := Bars("t", " ", []string{"a"}); return err },
		"Histograms without axis": func() error { _, err := Histograms("t", "", 4); return err },
		"ExampleGrid untitled":    func() error { _, err := ExampleGrid("", 4, []string{"a"}, [][]byte{img}, [][]byte{img}); return err },
		"ExampleGrid short image": func() error {
			_, err := ExampleGrid("t", 4, []string{"a"}, [][]byte{img[:3]}, [][]byte{img})
			return err
		},
	} {
		if f() == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestExampleGridNamesRowsAndClasses: the grid's axes name the classes and the real / synthetic rows.
func TestExampleGridNamesRowsAndClasses(t *testing.T) {
	img := make([]byte, 4)
	p, err := ExampleGrid("D1-Netflix", 2, []string{"amazon", "netflix", "youtube"}, [][]byte{img, img, img}, [][]byte{img, img, img})
	if err != nil {
		t.Fatal(err)
	}
	label := func(ax plot.Axis) string {
		var out []string
		for _, tk := range ax.Tick.Marker.Ticks(ax.Min, ax.Max) {
			out = append(out, tk.Label)
		}
		return strings.Join(out, ",")
	}
	if got := label(p.X); got != "amazon,netflix,youtube" {
		t.Errorf("x ticks %q", got)
	}
	if got := label(p.Y); got != "synthetic,real" {
		t.Errorf("y ticks %q", got)
	}
	if os.Getenv("NETDIFFUS_KEEP_FIGURES") != "" { // look at them: NETDIFFUS_KEEP_FIGURES=dir go test
		w, h := ExampleGridSize(3)
		_ = p.Save(w, h, filepath.Join(os.Getenv("NETDIFFUS_KEEP_FIGURES"), "example_grid.png"))
		_ = Heatmap(grid{8, 8}, "GASF of one trace").Save(4*72, 4*72, filepath.Join(os.Getenv("NETDIFFUS_KEEP_FIGURES"), "heatmap.png"))
	}
}
