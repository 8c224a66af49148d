package gasf

import (
	"encoding/binary"
	"math"
	"testing"
)

// FuzzPipeline feeds arbitrary samples (any float64 bit pattern, so NaN,
// Inf, huge and negative values too), sizes, gammas, fields and
// normalisations through both paths. Invariants: no panic; either an error
// or pixels in [0,1] (the float32 resize may exceed 1 by float32 rounding
// of the weights, hence 1+1e-5); fused and exact agree bit for bit.
func FuzzPipeline(f *testing.F) {
	seed := func(xs []float64, size, gamma, mode, kind uint8) {
		b := make([]byte, 8*len(xs))
		for i, v := range xs {
			binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
		}
		f.Add(b, size, gamma, mode, kind)
	}
	seed([]float64{1, 5, 2, 8, 0, 0, 3, 1500, 7, 2}, 4, 0, 0, 0)
	seed([]float64{3, 3, 3, 3}, 2, 0, 1, 0)
	seed([]float64{0, 0, 1500, 0, 0, 0}, 3, 1, 2, 1)
	seed([]float64{1, math.NaN(), 2}, 1, 0, 0, 0)
	seed([]float64{-1, 2, -3, 4, 5}, 5, 2, 1, 0)
	seed(nil, 1, 0, 0, 0)
	gammas := []float64{0.25, 0.5, 1, 0.1, 3}
	f.Fuzz(func(t *testing.T, raw []byte, size, gsel, mode, kind uint8) {
		xs := make([]float64, min(len(raw)/8, 200))
		for i := range xs {
			xs[i] = math.Float64frombits(binary.LittleEndian.Uint64(raw[8*i:]))
		}
		p := DefaultParams(int(size)%(len(xs)+2) + 1)
		p.Gamma = gammas[int(gsel)%len(gammas)]
		p.Kind = Kind(kind % 2)
		p.Norm.Mode = Mode(mode % 3)
		if p.Norm.Mode == Global {
			var err error
			if p.Norm, err = GlobalRange(xs); err != nil {
				return
			}
		}
		p.Method = Exact
		st, errExact := Pipeline(xs, p)
		p.Method = Fused
		img, errFused := Encode(xs, p)
		if (errExact == nil) != (errFused == nil) {
			t.Fatalf("exact error %v, fused error %v", errExact, errFused)
		}
		if errFused != nil {
			return
		}
		for i, v := range st.Area {
			if !(v >= 0 && v <= 1+1e-5) {
				t.Fatalf("area pixel %d = %v outside [0,1]", i, v)
			}
			if st.Pixels[i] != img.Pix[i] {
				t.Fatalf("pixel %d: exact %d, fused %d", i, st.Pixels[i], img.Pix[i])
			}
		}
		for i, v := range img.Floats() {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("pixel %d = %v outside [0,1]", i, v)
			}
		}
	})
}
