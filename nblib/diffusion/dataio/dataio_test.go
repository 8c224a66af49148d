package dataio

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/gasf"
)

func TestNPZRoundTrip(t *testing.T) {
	x := diffusion.NewArray(3, 4, 4, 1)
	for i := range x.Data {
		x.Data[i] = float32(i%9)/4 - 1 // values in [-1, 1]
	}
	labels := []int{2, 0, 1}
	path := filepath.Join(t.TempDir(), "s.npz")
	if err := SaveNPZ(path, "images", x, labels, [][]float64{{1, 2}, {3, 4}, {5, 6}}); err != nil {
		t.Fatal(err)
	}
	d, err := LoadNPZ(path, "images")
	if err != nil {
		t.Fatal(err)
	}
	if !d.X.SameShape(x) || d.NumClasses() != 3 || d.Labels[0] != 2 {
		t.Fatalf("loaded shape %v labels %v", d.X.Shape, d.Labels)
	}
	for i := range x.Data {
		if math.Abs(float64(d.X.Data[i]-x.Data[i])) > 1e-6 { // float32 (v+1)/2 then 2u-1
			t.Fatalf("value %d: %v, want %v", i, d.X.Data[i], x.Data[i])
		}
	}
	s, err := LoadNPZ(path, "series") // [N, L] also loads, as [N, L, 1]
	if err == nil || !strings.Contains(err.Error(), "outside [0, 1]") {
		t.Errorf("series with values > 1: error %v, want an out-of-range error", err)
	}
	_ = s
	if _, err := LoadNPZ(path, "nothing"); err == nil || !strings.Contains(err.Error(), "no array") {
		t.Errorf("missing array: error %v", err)
	}
}

func TestSavePNGs(t *testing.T) {
	dir := t.TempDir()
	x := diffusion.NewArray(2, 3, 3, 1)
	if err := SavePNGs(dir, x, []int{0, 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "class1_00001.png")); err != nil {
		t.Error(err)
	}
}

// TestDecodeSeries encodes a series at full size with the gasf package (no resize) and checks the
// decoded diagonal: the only loss is 8-bit quantisation, at most 1/255 of the range (gasf.Decode).
func TestDecodeSeries(t *testing.T) {
	series := []float64{0, 0.1, 0.5, 0.9, 1, 0.3, 0.7, 0.2}
	p := gasf.DefaultParams(len(series))
	img, err := gasf.Encode(series, p)
	if err != nil {
		t.Fatal(err)
	}
	x := diffusion.NewArray(1, 8, 8, 1)
	for i, v := range img.Pix {
		x.Data[i] = 2*float32(v)/255 - 1
	}
	got, err := DecodeSeries(x)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got[0] {
		if math.Abs(v-series[i]) > 1.0/255+1e-9 {
			t.Errorf("sample %d: %v, want %v", i, v, series[i])
		}
	}
}
