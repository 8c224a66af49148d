package gasf_test

import (
	"fmt"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/netdiffus/netdiffus/nblib/gasf"
)

// The two-sample example from the package documentation.
func Example() {
	img, err := gasf.Encode([]float64{0, 1}, gasf.DefaultParams(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(img.Pix)
	// Output: [0 214 214 255]
}

// Inspecting every stage of the exact pipeline (values checked against
// gasf_ref.py's pipeline on the same series).
func ExamplePipeline() {
	st, err := gasf.Pipeline([]float64{2, 4, 6, 8}, gasf.DefaultParams(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("unit %.3f\n", st.Unit)
	fmt.Printf("G[0][3] = %.3f\n", st.Field.At(0, 3))
	fmt.Printf("area %.3f\n", st.Area)
	fmt.Println("8-bit", st.Pixels)
	// Output:
	// unit [0.000 0.333 0.667 1.000]
	// G[0][3] = 0.000
	// area [0.350 0.764 0.764 0.932]
	// 8-bit [89 195 195 238]
}

// Reading a series back from its image.
func ExampleDecode() {
	x := []float64{10, 20, 30, 40}
	img, _ := gasf.Encode(x, gasf.DefaultParams(4))
	back, _ := gasf.Decode(img)
	fmt.Printf("%.1f\n", back)
	// Output: [10.0 20.0 30.0 40.0]
}

// A dataset-wide range keeps amplitudes comparable across traces.
func ExampleGlobalRange() {
	a, b := []float64{0, 50, 100}, []float64{0, 10, 20}
	norm, _ := gasf.GlobalRange(a, b)
	p := gasf.DefaultParams(3)
	p.Norm = norm
	ia, _ := gasf.Encode(a, p)
	ib, _ := gasf.Encode(b, p)
	// Bottom-right pixel, the last sample: 100 maps to 1 (255); 20 maps to
	// 0.2, so 255*((2*0.2²-1+1)/2)^0.25 = 255*sqrt(0.2) = 114.04.
	fmt.Println(ia.Pix[8], ib.Pix[8])
	// Output: 255 114
}

// Two features of one trace stacked as channels.
func ExampleEncodeChannels() {
	sizes := []float64{1500, 60, 1500, 1500, 60, 60}
	dirs := []float64{1, 0, 1, 1, 0, 1}
	st, err := gasf.EncodeChannels([][]float64{sizes, dirs}, gasf.DefaultParams(3))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(st.Channels), st.Size(), len(st.Floats()))
	// Output: 2 3 18
}

// Encoding many traces with a progress callback and writing PNGs.
func ExampleEncodeBatch() {
	traces := [][]float64{{1, 2, 3, 4}, {4, 3, 2, 1}, {1, 4, 1, 4}}
	err := gasf.EncodeBatch(len(traces),
		func(i int) ([]float64, error) { return traces[i], nil },
		gasf.DefaultParams(2),
		gasf.BatchOptions{Progress: func(done, total int) {
			if done == total {
				fmt.Println("done", done)
			}
		}},
		func(i int, img *gasf.Image) error {
			f, err := os.CreateTemp("", "gasf-*.png")
			if err != nil {
				return err
			}
			defer os.Remove(f.Name())
			defer f.Close()
			return img.WritePNG(f)
		})
	fmt.Println(err)
	// Output:
	// done 3
	// <nil>
}

// An image as a gonum/plot heat map (Image implements plotter.GridXYZ).
func ExampleImage_heatMap() {
	img, err := gasf.Encode([]float64{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8}, gasf.DefaultParams(12))
	if err != nil {
		fmt.Println(err)
		return
	}
	p := plot.New()
	p.Title.Text = "GASF"
	p.Add(plotter.NewHeatMap(img, moreland.SmoothBlueRed().Palette(255)))
	f, err := os.CreateTemp("", "gasf-*.png")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.Remove(f.Name())
	f.Close()
	fmt.Println(p.Save(4*vg.Inch, 4*vg.Inch, f.Name()))
	// Output: <nil>
}
