package inception

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"gonum.org/v1/gonum/mat"
)

func goBackend(t *testing.T) compute.Backend {
	t.Helper()
	b, err := compute.NewWithConfig("go")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Against torchvision 0.14 (pytorch-fid's blocks) with random weights: run testdata/inception_ref.py
// to make the weights, then set NETDIFFUS_INCEPTION_PTH. float32 through 94 layers in a different
// summation order: seen here 5.4e-7 of the largest feature; the bound is 1e-5 of it.
func TestReferenceFeatures(t *testing.T) {
	pth := os.Getenv("NETDIFFUS_INCEPTION_PTH")
	if pth == "" {
		t.Skip("set NETDIFFUS_INCEPTION_PTH to the .pth written by testdata/inception_ref.py (95 MB, not committed)")
	}
	shape, imgs, err := features.ReadNpy(filepath.Join("testdata", "images.npy"))
	if err != nil {
		t.Fatal(err)
	}
	_, want, err := features.ReadNpy(filepath.Join("testdata", "features.npy"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(goBackend(t), pth)
	if err != nil {
		t.Fatal(err)
	}
	im := features.Images{Height: shape[1], Width: shape[2], Channels: 1, Pixels: mat.NewDense(shape[0], shape[1]*shape[2], imgs)}
	got, err := e.Extract(im)
	if err != nil {
		t.Fatal(err)
	}
	var top, worst float64
	for _, v := range want {
		top = max(top, math.Abs(v))
	}
	for i, v := range want {
		worst = max(worst, math.Abs(got.At(i/Dim, i%Dim)-v))
	}
	t.Logf("largest feature %.4g, largest difference %.3g", top, worst)
	if worst > 1e-5*top {
		t.Errorf("features differ from torchvision by %g (largest feature %g)", worst, top)
	}
}

// Average pooling without padding: on a 3x3 all-ones-but-centre input the corner sees 4 values.
func TestAvgPoolExcludesPadding(t *testing.T) {
	exec, err := graph.NewExec(goBackend(t), func(x *graph.Node) *graph.Node { return avgPool3Same(x) })
	if err != nil {
		t.Fatal(err)
	}
	in := []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}
	res, err := exec.Call(tensors.FromFlatDataAndDimensions(in, 1, 3, 3, 1))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := tensors.CopyFlatData[float32](res[0])
	// corner (0,0): mean of 1,2,4,5 = 3; centre: mean of all = 5; edge (0,1): mean of 1..6 = 3.5.
	if out[0] != 3 || out[4] != 5 || out[1] != 3.5 {
		t.Errorf("pooled %v", out)
	}
}

func TestConvNamesAndMissingWeights(t *testing.T) {
	if n := len(convNames()); n != 94 {
		t.Errorf("%d convolutions, Inception-v3 has 94", n)
	}
	t.Setenv(EnvWeights, "")
	if _, err := LoadWeights(""); err == nil || !strings.Contains(err.Error(), EnvWeights) {
		t.Errorf("no weights: %v", err)
	}
	if _, err := LoadWeights(filepath.Join(t.TempDir(), "missing.pth")); err == nil || !strings.Contains(err.Error(), "missing.pth") {
		t.Errorf("missing file: %v", err)
	}
}
