package gasf

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// TestExtraOpenCV compares both paths with many extra NumPy + OpenCV cases
// written by testdata/gen_extra.py (which needs python3-opencv, so it is
// not run by default): set GASF_EXTRA_GOLDEN to the .npz it wrote.
// Tolerance: none, float32 area pixels and 8-bit pixels must be identical.
func TestExtraOpenCV(t *testing.T) {
	path := os.Getenv("GASF_EXTRA_GOLDEN")
	if path == "" || testing.Short() {
		t.Skip("set GASF_EXTRA_GOLDEN to the output of testdata/gen_extra.py to run")
	}
	r, err := npy.OpenNPZ(path, npy.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n := 0
	for _, k := range r.Names() {
		name, ok := strings.CutSuffix(k, "_series")
		if !ok {
			continue
		}
		x := readMember[float64](t, r, path, k)
		size := readMember[int64](t, r, path, name+"_size")
		area := readMember[float32](t, r, path, name+"_area")
		u8 := readMember[uint8](t, r, path, name+"_u8")
		for _, m := range []Method{Exact, Fused} {
			p := DefaultParams(int(size[0]))
			p.Method = m
			label := fmt.Sprintf("%s L=%d S=%d %v", name, len(x), p.Size, m)
			if m == Exact && len(x) > 1000 {
				continue // keep the exact path's L² memory small
			}
			unit, _, err := normalise(x, p.Norm)
			if err != nil {
				t.Fatal(err)
			}
			var got []float32
			if m == Exact {
				got, err = ResizeArea(Gamma(Field(unit, GASF), 0.25, 1), len(unit), p.Size)
			} else {
				got, err = fusedArea(unit, p)
			}
			if err != nil {
				t.Fatal(err)
			}
			if d, i := maxAbsDiff(got, area); d != 0 {
				t.Errorf("%s: area differs by %g at %d", label, d, i)
			}
			if c := countDiff(Quantise(got), u8); c != 0 {
				t.Errorf("%s: %d 8-bit pixels differ", label, c)
			}
		}
		n++
	}
	t.Logf("%d extra OpenCV cases checked", n)
}
