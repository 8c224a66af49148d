package fid

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

func randomRows(n, d int, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 3))
	x := mat.NewDense(n, d, nil)
	for i := range n {
		for j := range d {
			x.Set(i, j, rng.NormFloat64()*float64(j+1))
		}
	}
	return x
}

func shifted(x *mat.Dense, delta []float64) *mat.Dense {
	n, d := x.Dims()
	out := mat.NewDense(n, d, nil)
	for i := range n {
		for j := range d {
			out.Set(i, j, x.At(i, j)+delta[j])
		}
	}
	return out
}

// TestFrechetWithFloorClosedForm: a test set equal to the training set has floor 0 and a synthetic set
// that is the training set shifted by delta has FD = |delta|^2 (same covariance); tolerance 1e-9
// relative to the feature scale (eigen decompositions in float64).
func TestFrechetWithFloorClosedForm(t *testing.T) {
	train := randomRows(60, 4, 1)
	delta := []float64{0.5, -1, 2, 0}
	f, err := FrechetWithFloor(train, train, shifted(train, delta), 1)
	if err != nil {
		t.Fatal(err)
	}
	want := 0.25 + 1 + 4
	if math.Abs(f.Floor) > 1e-9*30 || math.Abs(f.Value-want) > 1e-9*30 || f.Matched != f.Value {
		t.Errorf("got %v, want value %v floor 0 matched = value", f, want)
	}
	if math.Abs(f.Excess()-want) > 1e-8 {
		t.Errorf("excess %v, want %v", f.Excess(), want)
	}
}

// TestWithFloorMatchesTestSize uses a distance that returns the row count of its second argument:
// Value sees every synthetic row, Floor the test rows, Matched as many synthetic rows as test rows.
func TestWithFloorMatchesTestSize(t *testing.T) {
	rows := func(a, b *mat.Dense) (float64, error) { n, _ := b.Dims(); return float64(n), nil }
	train, test, synth := randomRows(50, 3, 1), randomRows(12, 3, 2), randomRows(90, 3, 3)
	f, err := WithFloor(rows, train, test, synth, 7)
	if err != nil {
		t.Fatal(err)
	}
	if f.Value != 90 || f.Floor != 12 || f.Matched != 12 || f.NSynth != 90 || f.NTest != 12 {
		t.Errorf("got %+v, want value 90, floor 12, matched 12", f)
	}
	// Fewer synthetic than test rows: nothing to subsample.
	if f, _ := WithFloor(rows, train, synth, test, 7); f.Matched != f.Value {
		t.Errorf("got %+v, want matched = value", f)
	}
}

// TestKIDWithFloorUnclipped: the floor is the unbiased KID between two samples of one distribution,
// as KID computes it, negative values included (not clipped at 0).
func TestKIDWithFloorUnclipped(t *testing.T) {
	negative := false
	for seed := uint64(1); seed <= 20; seed++ {
		train, test, synth := randomRows(40, 3, seed), randomRows(40, 3, seed+100), randomRows(40, 3, seed+200)
		f, err := KIDWithFloor(train, test, synth, 1)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := KID(train, test)
		if f.Floor != want {
			t.Fatalf("seed %d: floor %v, KID %v", seed, f.Floor, want)
		}
		negative = negative || f.Floor < 0
	}
	if !negative {
		t.Errorf("no negative KID floor in 20 same-distribution draws: is it clipped?")
	}
}

// TestPerClassWithFloor: both sides of every class use the same row count, the smallest class's
// count over the test and synthetic sets.
func TestPerClassWithFloor(t *testing.T) {
	rows := func(a, b *mat.Dense) (float64, error) {
		n, _ := b.Dims()
		m, _ := a.Dims()
		return float64(10*m + n), nil
	}
	labels := func(counts ...int) []int {
		var out []int
		for c, n := range counts {
			for range n {
				out = append(out, c)
			}
		}
		return out
	}
	trY, teY, syY := labels(8, 8), labels(2, 3), labels(8, 5)
	p, err := PerClassWithFloor(randomRows(16, 2, 1), trY, randomRows(5, 2, 2), teY, randomRows(13, 2, 3), syY, 0, rows)
	if err != nil {
		t.Fatal(err)
	}
	if p.Rows != 2 || p.Synth.Mean != 22 || p.Floor.Mean != 22 || len(p.Floor.Classes) != 2 {
		t.Errorf("got %+v, want 2 rows per class everywhere (distance 22)", p)
	}
	if _, err := PerClassWithFloor(randomRows(16, 2, 1), trY, randomRows(5, 2, 2), labels(1, 4), randomRows(13, 2, 3), syY, 0, rows); err == nil {
		t.Errorf("a class with one test row: no error")
	}
}

func ExampleFrechetWithFloor() {
	train := mat.NewDense(4, 1, []float64{0, 1, 2, 3})
	test := mat.NewDense(4, 1, []float64{0, 1, 2, 3})
	synth := mat.NewDense(4, 1, []float64{1, 2, 3, 4}) // shifted by 1
	f, _ := FrechetWithFloor(train, test, synth, 1)
	fmt.Printf("FID %.2f, floor %.2f\n", f.Value, f.Floor)
	// Output: FID 1.00, floor 0.00
}
