package gasf

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestDiagonalExact: the diagonal of the un-resized GASF gives the
// normalised series back to rounding (tolerance 1e-7: near x = 0 the
// square root amplifies the 1e-16 rounding of (G+1)/2 to about 1e-8).
func TestDiagonalExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	x := randomSeries(rng, 200)
	unit, _, _ := normalise(x, Normalisation{Mode: MinMax})
	back := Diagonal(Field(unit, GASF))
	for i := range unit {
		if math.Abs(back[i]-unit[i]) > 1e-7 {
			t.Fatalf("x[%d]: %v back to %v", i, unit[i], back[i])
		}
	}
}

// TestDecodeFullSize: with S = L only 8-bit quantisation is lost; with
// gamma 0.25 x = p², so the error is at most 2·(1/510) = 1/255 of the
// normalised range (plus float32 rounding, hence the 1e-6 slack).
func TestDecodeFullSize(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	for _, mode := range []Mode{MinMax, Max, Global} {
		x := randomSeries(rng, 96)
		p := DefaultParams(96)
		p.Norm.Mode = mode
		if mode == Global {
			p.Norm, _ = GlobalRange(x, []float64{-100, 3000})
		}
		img, err := Encode(x, p)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(img)
		if err != nil {
			t.Fatal(err)
		}
		scale := img.Norm.Hi - img.Norm.Lo
		for i := range x {
			if e := math.Abs(back[i]-x[i]) / scale; e > 1.0/255+1e-6 {
				t.Errorf("%v: x[%d] = %v decoded %v, error %.4g of the range > 1/255", mode, i, x[i], back[i], e)
			}
		}
	}
}

// TestDecodeResizedError measures the inverse after resizing against the
// block means of the normalised series (the best an S-sample summary can
// do). The bounds are the errors measured here, rounded up: they document
// the behaviour (smooth series decode well; rough traffic is biased low,
// because the diagonal pixel also averages off-diagonal pairs).
func TestDecodeResizedError(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	smooth := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			x[i] = 1 + math.Sin(2*math.Pi*float64(i)/float64(n)*3)
		}
		return x
	}
	cases := []struct {
		name          string
		x             []float64
		size          int
		maxErr, rmsSe float64 // in units of the normalised range
	}{
		{"sine_L720_S64", smooth(720), 64, 0.015, 0.006},               // measured 0.0101, 0.0042
		{"sine_L300_S64", smooth(300), 64, 0.03, 0.015},                // measured 0.0246, 0.0114
		{"traffic_L720_S64", randomSeries(rng, 720), 64, 0.1, 0.045},   // measured 0.0821, 0.0350
		{"traffic_L720_S128", randomSeries(rng, 720), 128, 0.13, 0.06}, // measured 0.1065, 0.0463
	}
	for _, c := range cases {
		img, err := Encode(c.x, DefaultParams(c.size))
		if err != nil {
			t.Fatal(err)
		}
		back, _ := Decode(img)
		unit, norm, _ := normalise(c.x, Normalisation{Mode: MinMax})
		worst, sq := 0.0, 0.0
		for k := range back {
			lo, hi := k*len(unit)/c.size, (k+1)*len(unit)/c.size
			mean := 0.0
			for _, v := range unit[lo:hi] {
				mean += v
			}
			mean /= float64(hi - lo)
			e := math.Abs((back[k]-norm.Lo)/(norm.Hi-norm.Lo) - mean)
			worst, sq = math.Max(worst, e), sq+e*e
		}
		rms := math.Sqrt(sq / float64(len(back)))
		t.Logf("%s: max error %.4f, rms %.4f of the range", c.name, worst, rms)
		if worst > c.maxErr || rms > c.rmsSe {
			t.Errorf("%s: max error %.4f (bound %v), rms %.4f (bound %v)", c.name, worst, c.maxErr, rms, c.rmsSe)
		}
	}
}

// TestCropIsTopLeftBlock: with a fixed (Global) normalisation, the field of
// the first k samples is exactly the top-left k×k block of the full field.
func TestCropIsTopLeftBlock(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	x := randomSeries(rng, 120)
	g, _ := GlobalRange(x)
	for _, k := range []int{1, 30, 120} {
		t.Run(fmt.Sprint(k), func(t *testing.T) {
			crop, err := Crop(x, k)
			if err != nil {
				t.Fatal(err)
			}
			uf, _ := g.Apply(x, nil)
			uc, _ := g.Apply(crop, nil)
			full, part := Field(uf, GASF), Field(uc, GASF)
			for i := range k {
				for j := range k {
					if full.At(i, j) != part.At(i, j) {
						t.Fatalf("(%d,%d): full %v, crop %v", i, j, full.At(i, j), part.At(i, j))
					}
				}
			}
		})
	}
	if _, err := Crop(x, 0); err == nil {
		t.Error("Crop(x, 0) gave no error")
	}
	if _, err := Crop(x, 121); err == nil {
		t.Error("Crop beyond the length gave no error")
	}
}

// TestDecodeGADF: GADF images cannot be decoded.
func TestDecodeGADF(t *testing.T) {
	p := DefaultParams(4)
	p.Kind = GADF
	img, err := Encode([]float64{1, 2, 3, 4}, p)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Decode(img); err == nil {
		t.Error("Decode(GADF) gave no error")
	}
}
