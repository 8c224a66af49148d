package gasf

import (
	"errors"
	"math"
	"testing"
)

// TestEncodeErrors: bad data returns the right sentinel error, never panics.
func TestEncodeErrors(t *testing.T) {
	good := []float64{1, 2, 3, 4}
	global := DefaultParams(2)
	global.Norm = Normalisation{Mode: Global, Lo: 0, Hi: 3}
	maxp := DefaultParams(2)
	maxp.Norm.Mode = Max
	bad := func(f func(*Params)) Params { p := DefaultParams(2); f(&p); return p }
	cases := []struct {
		name string
		x    []float64
		p    Params
		want error
	}{
		{"empty", nil, DefaultParams(1), ErrEmpty},
		{"nan", []float64{1, math.NaN(), 2}, DefaultParams(2), ErrNotFinite},
		{"inf", []float64{1, 2, math.Inf(-1)}, DefaultParams(2), ErrNotFinite},
		{"size>L", good, DefaultParams(5), ErrSize},
		{"size0", good, DefaultParams(0), ErrSize},
		{"negative under max", []float64{1, -2, 3}, maxp, ErrNegative},
		{"outside global", good, global, ErrOutOfRange},
		{"gamma0", good, bad(func(p *Params) { p.Gamma = 0 }), ErrParams},
		{"gammaNaN", good, bad(func(p *Params) { p.Gamma = math.NaN() }), ErrParams},
		{"amp>1", good, bad(func(p *Params) { p.Amplitude = 2 }), ErrParams},
		{"kind", good, bad(func(p *Params) { p.Kind = 9 }), ErrParams},
	}
	for _, c := range cases {
		for _, m := range []Method{Fused, Exact} {
			c.p.Method = m
			if _, err := Encode(c.x, c.p); !errors.Is(err, c.want) {
				t.Errorf("%s/%v: error %v, want %v", c.name, m, err, c.want)
			}
		}
	}
}

// TestNormalisation checks each mode's mapping and its inverse against the
// closed forms (tolerance 1e-12: a few roundings of values of order 1e3).
func TestNormalisation(t *testing.T) {
	x := []float64{2, 10, 6, 4}
	g, err := GlobalRange(x, []float64{0, 20})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		mode Normalisation
		want []float64
	}{
		{Normalisation{Mode: MinMax}, []float64{0, 1, 0.5, 0.25}},
		{Normalisation{Mode: Max}, []float64{0.2, 1, 0.6, 0.4}},
		{g, []float64{0.1, 0.5, 0.3, 0.2}},
	}
	for _, c := range cases {
		u, n, err := normalise(x, c.mode)
		if err != nil {
			t.Fatalf("%v: %v", c.mode.Mode, err)
		}
		for i := range u {
			if math.Abs(u[i]-c.want[i]) > 1e-12 || math.Abs(n.Invert(u[i])-x[i]) > 1e-12 {
				t.Errorf("%v: x[%d]=%v -> %v (want %v) -> %v", c.mode.Mode, i, x[i], u[i], c.want[i], n.Invert(u[i]))
			}
		}
	}
	if _, err := GlobalRange(nil, []float64{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("GlobalRange of nothing: %v, want ErrEmpty", err)
	}
	for _, s := range []string{"minmax", "MAX", "global"} {
		if m, err := ParseMode(s); err != nil || !(m.String() == s || m.String() == "max") {
			t.Errorf("ParseMode(%q) = %v, %v", s, m, err)
		}
	}
}

// TestConstantSeries: a constant (or all-zero) series normalises to zeros,
// phi = pi/2 everywhere, GASF = cos(pi) = -1, so every pixel is
// A*0^gamma = 0; decoding gives the constant back (documented behaviour).
func TestConstantSeries(t *testing.T) {
	for _, mode := range []Mode{MinMax, Max} {
		p := DefaultParams(4)
		p.Norm.Mode = mode
		img, err := Encode([]float64{0, 0, 0, 0, 0, 0, 0, 0}, p)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range img.Pix {
			if v != 0 {
				t.Fatalf("%v: pixel %d = %d, want 0", mode, i, v)
			}
		}
	}
	img, _ := Encode([]float64{3, 3, 3, 3}, DefaultParams(4))
	back, err := Decode(img)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range back {
		if v != 3 {
			t.Errorf("decoded[%d] = %v, want 3", i, v)
		}
	}
}
