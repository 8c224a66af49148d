package gasf

import (
	"runtime"
	"testing"
)

// TestFusedMemoryBound: the fused path must encode a D2-length trace
// (L = 5000) to 64×64 allocating far less than the 16 MB budget
// (the exact path allocates about 300 MB for the same image). Allocation
// volume is deterministic, so this is not a timing test; the bound is the
// budget itself, the measured value (about 0.5 MB) is logged.
func TestFusedMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("encodes a 5000-sample trace")
	}
	x := benchSeries(1, 5000)[0]
	p := DefaultParams(64)
	p.Workers = 2
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if _, err := Encode(x, p); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	mb := float64(after.TotalAlloc-before.TotalAlloc) / (1 << 20)
	t.Logf("fused L=5000 S=64 allocated %.2f MB", mb)
	if mb >= 16 {
		t.Errorf("allocated %.2f MB, budget 16 MB", mb)
	}
}
