package gasf

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// randomSeries returns a traffic-like series: bursts over a floor, some
// zeros and repeated values (ties stress the symmetric path).
func randomSeries(rng *rand.Rand, n int) []float64 {
	x := make([]float64, n)
	for i := range x {
		switch rng.IntN(5) {
		case 0:
			x[i] = 0
		case 1:
			x[i] = 1500
		default:
			x[i] = rng.ExpFloat64() * 400
		}
	}
	return x
}

// TestFusedEqualsExact: the fused path must give the same float32 resized
// pixels (hence the same 8-bit image) as the exact path, for both fields,
// several gammas and amplitudes, integer and fractional shrink factors,
// 2×2 blocks with S not a multiple of 4 (OpenCV's SIMD tail), and 1 or 3
// workers. Tolerance: none (bit equality), since both run the same float
// operations in the same order.
func TestFusedEqualsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	cases := []struct{ l, s int }{
		{1, 1}, {2, 1}, {7, 7}, {10, 5}, {18, 9}, {30, 15}, {12, 4}, {45, 15}, {64, 16},
		{50, 7}, {97, 13}, {100, 64}, {301, 64}, {720, 64}, {333, 100}, {129, 128},
	}
	for _, c := range cases {
		for _, kind := range []Kind{GASF, GADF} {
			for _, g := range []struct{ gamma, amp float64 }{{0.25, 1}, {0.25, 0.8}, {0.5, 1}, {0.7, 1}} {
				for _, w := range []int{1, 3} {
					name := fmt.Sprintf("L%d_S%d_%v_g%v_A%v_w%d", c.l, c.s, kind, g.gamma, g.amp, w)
					x := randomSeries(rng, c.l)
					p := DefaultParams(c.s)
					p.Kind, p.Gamma, p.Amplitude, p.Workers = kind, g.gamma, g.amp, w
					st, err := Pipeline(x, p)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					area, err := fusedArea(st.Unit, p)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					for i := range area {
						if area[i] != st.Area[i] {
							t.Errorf("%s: pixel %d: fused %v, exact %v", name, i, area[i], st.Area[i])
							break
						}
					}
				}
			}
		}
	}
}

// TestRowKernel checks the assembly (or fallback) row kernel against the
// pure Go loop bit for bit, on every length 0..67 (all SIMD tails).
func TestRowKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	for n := range 68 {
		x := make([]float64, n+1)
		for i := range x {
			x[i] = rng.Float64()
		}
		x[0] = 0
		p := toPolar(x)
		got, want := make([]float32, n), make([]float32, n)
		for i := range x {
			gasfRowQuarter(p.c[i], p.s[i], 0.9, p.c[1:], p.s[1:], got)
			gasfRowQuarterGo(p.c[i], p.s[i], 0.9, p.c[1:], p.s[1:], want)
			for j := range got {
				if got[j] != want[j] {
					t.Fatalf("n=%d row %d col %d: kernel %v, Go %v", n, i, j, got[j], want[j])
				}
			}
		}
	}
}
