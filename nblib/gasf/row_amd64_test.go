//go:build amd64 && !purego

package gasf

import (
	"math/rand/v2"
	"testing"
)

// TestRowKernelSSE2 runs the kernels with AVX2 disabled (the SSE2 row
// kernel and the Go accumulation) and checks them bit for bit against the
// pure Go loops, so machines without AVX2 are covered too.
func TestRowKernelSSE2(t *testing.T) {
	defer func(old bool) { hasAVX2 = old }(hasAVX2)
	hasAVX2 = false
	rng := rand.New(rand.NewPCG(12, 13))
	x := make([]float64, 37)
	for i := range x {
		x[i] = rng.Float64()
	}
	p := toPolar(x)
	got, want := make([]float32, len(x)), make([]float32, len(x))
	for i := range x {
		gasfRowQuarter(p.c[i], p.s[i], 1, p.c, p.s, got)
		gasfRowQuarterGo(p.c[i], p.s[i], 1, p.c, p.s, want)
		for j := range got {
			if got[j] != want[j] {
				t.Fatalf("row %d col %d: SSE2 %v, Go %v", i, j, got[j], want[j])
			}
		}
	}
	series := randomSeries(rng, 301)
	pr := DefaultParams(64)
	st, err := Pipeline(series, pr)
	if err != nil {
		t.Fatal(err)
	}
	area, _ := fusedArea(st.Unit, pr)
	for i := range area {
		if area[i] != st.Area[i] {
			t.Fatalf("pixel %d: fused without AVX2 %v, exact %v", i, area[i], st.Area[i])
		}
	}
}

// TestAccumulateRow checks the AVX2 accumulation against the Go loop on
// lengths around the 8-lane blocks.
func TestAccumulateRow(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 15))
	for n := range 35 {
		v, a, b := make([]float32, n), make([]float32, n), make([]float32, n)
		for i := range v {
			v[i], a[i] = rng.Float32(), rng.Float32()
		}
		copy(b, a)
		accumulateRow(a, v, 0.37)
		accumulateRowGo(b, v, 0.37)
		for i := range a {
			if a[i] != b[i] {
				t.Fatalf("n=%d i=%d: AVX2 %v, Go %v", n, i, a[i], b[i])
			}
		}
	}
}
