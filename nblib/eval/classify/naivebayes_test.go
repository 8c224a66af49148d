package classify

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/eval/internal/synthdata"
	"gonum.org/v1/gonum/mat"
)

func nbData() (xtr *mat.Dense, ytr []int, xte *mat.Dense) {
	xtr, ytr = synthdata.Images(21, 3, 20, 6, 0.2)
	xte, _ = synthdata.Images(22, 3, 5, 6, 0.2)
	return
}

// TestWriteNBData writes the inputs of testdata/gnb_ref.py; only with NETDIFFUS_WRITE_GOLDEN=1.
func TestWriteNBData(t *testing.T) {
	if os.Getenv("NETDIFFUS_WRITE_GOLDEN") != "1" {
		t.Skip("set NETDIFFUS_WRITE_GOLDEN=1 to write the GaussianNB reference inputs")
	}
	xtr, ytr, xte := nbData()
	for name, v := range map[string]any{"train_x": xtr, "train_y": ytr, "test_x": xte} {
		if err := synthdata.WriteNpy(filepath.Join(os.TempDir(), "netdiffus_nb_"+name+".npy"), v); err != nil {
			t.Fatal(err)
		}
	}
}

func readMatrixText(t *testing.T, path string) [][]float64 {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out [][]float64
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		var row []float64
		for _, s := range strings.Fields(line) {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			row = append(row, v)
		}
		out = append(out, row)
	}
	return out
}

// Probabilities printed with 17 digits by scikit-learn; both compute the same sums in float64 but in a
// different order, so 1e-9 absolute is ample and still catches any formula difference (a smoothing
// error of 1e-9 * max variance changes them by far more).
func TestGaussianNBMatchesScikitLearn(t *testing.T) {
	want := readMatrixText(t, filepath.Join("testdata", "gnb_proba.txt"))
	xtr, ytr, xte := nbData()
	var g GaussianNB
	if err := g.Fit(xtr, ytr); err != nil {
		t.Fatal(err)
	}
	got, err := g.PredictProba(xte)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := got.Dims(); r != len(want) {
		t.Fatalf("%d rows, golden has %d", r, len(want))
	}
	for i, row := range want {
		for c, w := range row {
			if d := math.Abs(got.At(i, c) - w); d > 1e-9 {
				t.Errorf("row %d class %d: %.17g, scikit-learn %.17g", i, c, got.At(i, c), w)
			}
		}
	}
}

func TestGaussianNBConstantFeatureUsesSmoothing(t *testing.T) {
	// Feature 1 is constant within each class: without smoothing its variance would be 0.
	x := mat.NewDense(4, 2, []float64{0, 1, 1, 1, 5, 2, 6, 2})
	var g GaussianNB
	if err := g.Fit(x, []int{0, 0, 1, 1}); err != nil {
		t.Fatal(err)
	}
	// eps = 1e-9 * max column variance = 1e-9 * var(0,1,5,6) = 1e-9 * 6.5
	if got, want := g.variance[0][1], 1e-9*6.5; math.Abs(got-want) > 1e-20 {
		t.Errorf("smoothed variance %g, want %g", got, want)
	}
	p, err := Predict(&g, mat.NewDense(2, 2, []float64{0.5, 1, 5.5, 2}))
	if err != nil || p[0] != 0 || p[1] != 1 {
		t.Errorf("predictions %v, %v", p, err)
	}
}

func TestCheckTrainingErrors(t *testing.T) {
	x := mat.NewDense(2, 1, []float64{0, math.Inf(1)})
	cases := []struct {
		x    *mat.Dense
		y    []int
		want string
	}{
		{x, []int{0, 1}, "row 1 feature 0 is +Inf"},
		{mat.NewDense(2, 1, []float64{0, 1}), []int{1, 1}, "class 0 has no training samples"},
		{&mat.Dense{}, nil, "empty training set"},
	}
	for _, c := range cases {
		if _, err := CheckTraining(c.x, c.y); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want %q", err, c.want)
		}
	}
	var g GaussianNB
	if _, err := g.PredictProba(x); err == nil {
		t.Error("PredictProba before Fit accepted")
	}
}

func ExampleGaussianNB() {
	x := mat.NewDense(6, 1, []float64{0, 1, 2, 10, 11, 12})
	var g GaussianNB
	if err := g.Fit(x, []int{0, 0, 0, 1, 1, 1}); err != nil {
		panic(err)
	}
	p, _ := g.PredictProba(mat.NewDense(1, 1, []float64{6}))
	fmt.Printf("%.3f %.3f\n", p.At(0, 0), p.At(0, 1))
	// Output: 0.500 0.500
}
