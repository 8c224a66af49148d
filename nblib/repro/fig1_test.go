package repro

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
)

// TestFig1GammaSpreadsPixels checks the paper's claim behind Fig. 1(a): gamma 0.25 lifts the dark pixels of
// (G+1)/2 (every pixel p becomes p^0.25 >= p) and so raises the mean and narrows the spread towards 1.
func TestFig1GammaSpreadsPixels(t *testing.T) {
	cfg := Fig1Default()
	cfg.Size = 32
	res, err := Fig1(cfg)
	if err != nil {
		t.Fatal(err)
	}
	raw, cor := pixelValues(res.Raw), pixelValues(res.Corrected)
	for i := range raw {
		// Quantisation to 8 bits allows p^0.25 to round one level below p only where both are ~1.
		if cor[i] < raw[i]-1.0/255 {
			t.Fatalf("pixel %d: gamma-corrected %.4f < raw %.4f", i, cor[i], raw[i])
		}
	}
	if mr, mc := stat.Mean(raw, nil), stat.Mean(cor, nil); !(mc > mr) {
		t.Errorf("mean pixel: raw %.3f, corrected %.3f; gamma 0.25 must raise it", mr, mc)
	}
	// Diagonal of (G+1)/2 is x^2 for the normalised series; the corrected one is x^0.5 (within resizing).
	if res.Raw.Length != 720 || len(res.Series) != 720 {
		t.Errorf("D1 trace length %d, want 720 bins", len(res.Series))
	}
	if _, _, err := res.Plots(); err != nil {
		t.Fatal(err)
	}
}

func TestFig1BadConfig(t *testing.T) {
	for _, cfg := range []Fig1Config{
		{Dataset: "d9", Size: 32, Gamma: 0.25},
		{Dataset: "d1", Trace: 1 << 20, Size: 32, Gamma: 0.25},
		{Dataset: "d1", Size: 32, Gamma: math.NaN()},
		{Dataset: "d1", Size: 5000, Gamma: 0.25},
	} {
		if _, err := Fig1(cfg); err == nil {
			t.Errorf("%+v: want an error", cfg)
		}
	}
}
