package fid

import (
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// The golden numbers come from SciPy (classify_ref.py frechet, printed with 10 significant digits) on
// the same .npy features, so 1e-6 relative covers their rounding (5e-10) and SciPy's sqrtm error with
// margin; it is the tolerance the issue asks for.
const goldenRelTol = 1e-6

func TestFrechetMatchesSciPyGolden(t *testing.T) {
	golden := readGolden(t)
	for _, c := range goldenCases {
		a := readNpy(t, filepath.Join("testdata", "a_"+c.name+".npy"))
		b := readNpy(t, filepath.Join("testdata", "b_"+c.name+".npy"))
		want, ok := golden[c.name]
		if !ok {
			t.Fatalf("golden.txt lacks %s", c.name)
		}
		for _, m := range []Method{DataSVD, CovarianceEigen, Auto} {
			t.Run(c.name+"/"+m.String(), func(t *testing.T) {
				got, err := FrechetWith(a, b, m)
				if err != nil {
					t.Fatal(err)
				}
				if rel := math.Abs(got-want[0]) / math.Abs(want[0]); rel > goldenRelTol {
					t.Errorf("Frechet = %.10g, SciPy %.10g (relative error %.2g > %g)", got, want[0], rel, goldenRelTol)
				}
			})
		}
	}
}

func TestKIDMatchesNumPyGolden(t *testing.T) {
	golden := readGolden(t)
	for _, c := range goldenCases {
		a := readNpy(t, filepath.Join("testdata", "a_"+c.name+".npy"))
		b := readNpy(t, filepath.Join("testdata", "b_"+c.name+".npy"))
		got, err := KID(a, b)
		if err != nil {
			t.Fatal(err)
		}
		want := golden[c.name][1]
		// 10 printed digits in the golden file; the kernel sums themselves agree to ~1e-13.
		if rel := math.Abs(got-want) / math.Abs(want); rel > 1e-8 {
			t.Errorf("%s: KID = %.10g, NumPy %.10g (relative error %.2g)", c.name, got, want, rel)
		}
	}
}

// Closed forms: b = a + shift gives |shift|^2; b = s*a gives |mu_a - s mu_a|^2 + (1-s)^2 tr S_a.
func TestFrechetClosedForms(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	cases := []struct {
		name  string
		n, d  int
		scale float64
		shift float64
	}{
		{"shift n>d", 50, 5, 1, 0.7},
		{"shift n<d", 10, 40, 1, -2},
		{"scale n>d", 60, 6, 2.5, 0},
		{"scale n<d", 8, 30, 0.3, 0},
		{"identical", 20, 20, 1, 0},
	}
	for _, c := range cases {
		a := randomMatrix(rng, c.n, c.d, 4)
		b := mat.NewDense(c.n, c.d, nil)
		b.Apply(func(i, j int, v float64) float64 { return c.scale*v + c.shift }, a)
		ca, mu := centre(a)
		trS := frobeniusSquared(ca) / float64(c.n-1)
		want := float64(c.d)*c.shift*c.shift + (1-c.scale)*(1-c.scale)*trS
		if c.shift == 0 {
			want += (1 - c.scale) * (1 - c.scale) * mat.Dot(mu, mu)
		}
		for _, m := range []Method{DataSVD, CovarianceEigen} {
			got, err := FrechetWith(a, b, m)
			if err != nil {
				t.Fatal(err)
			}
			// Cancellation of tr S terms of size ~d: allow 1e-9 of them in absolute error.
			if tol := 1e-9 * (1 + trS*(1+c.scale*c.scale)); math.Abs(got-want) > tol {
				t.Errorf("%s %v: got %.12g want %.12g (tol %.2g)", c.name, m, got, want, tol)
			}
		}
	}
}

func TestBadInput(t *testing.T) {
	ok := mat.NewDense(3, 2, []float64{1, 2, 3, 4, 5, 7})
	nan := mat.NewDense(3, 2, []float64{1, 2, 3, math.NaN(), 5, 7})
	one := mat.NewDense(1, 2, []float64{1, 2})
	wide := mat.NewDense(3, 3, []float64{1, 2, 3, 4, 5, 6, 7, 8, 0})
	cases := []struct {
		name string
		a, b *mat.Dense
		want string
	}{
		{"nan", ok, nan, "row 1 column 1 is NaN"},
		{"one row", one, ok, "at least 2"},
		{"columns", ok, wide, "2 and 3 columns"},
		{"empty", &mat.Dense{}, ok, "empty"},
		{"nil", ok, nil, "empty"},
	}
	for _, c := range cases {
		for fname, f := range map[string]DistanceFunc{"Frechet": Frechet, "KID": KID} {
			_, err := f(c.a, c.b)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s %s: error %v, want one containing %q", fname, c.name, err, c.want)
			}
		}
	}
}

func TestPerClass(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	real := randomMatrix(rng, 40, 3, 4)
	synth := mat.NewDense(40, 3, nil)
	labels := make([]int, 40)
	for i := range labels {
		labels[i] = i % 2
		shift := 0.0
		if labels[i] == 1 {
			shift = 1 // class 1's synthetic rows are the real ones shifted by 1 in every column
		}
		for j := range 3 {
			synth.Set(i, j, real.At(i, j)+shift)
		}
	}
	res, err := PerClass(real, labels, synth, labels, 0, Frechet)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{0, 3} // |shift|^2 = 3 * 1^2 for class 1
	for i, c := range res.Classes {
		if c.NReal != 20 || math.Abs(c.Distance-want[i]) > 1e-9 {
			t.Errorf("class %d: %+v, want distance %g from 20 rows", c.Class, c, want[i])
		}
	}
	if math.Abs(res.Mean-1.5) > 1e-9 || math.Abs(res.Std-1.5) > 1e-9 {
		t.Errorf("mean, std = %g, %g; want 1.5, 1.5", res.Mean, res.Std)
	}
	// A class with a single synthetic row must be an error naming the class.
	short := []int{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}
	if _, err := PerClass(real, labels, synth, short, 0, Frechet); err == nil || !strings.Contains(err.Error(), "class 1 has 20 real and 1 synthetic") {
		t.Errorf("short class: error %v", err)
	}
	if _, err := PerClass(real, labels[:5], synth, labels, 0, Frechet); err == nil {
		t.Error("label count mismatch accepted")
	}
}

func TestKIDSubsetsEqualsFullWhenSubsetIsEverything(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	a, b := randomMatrix(rng, 30, 4, 4), randomMatrix(rng, 30, 4, 4)
	full, _ := KID(a, b)
	mean, std, err := KIDSubsets(a, b, 3, 100, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	// Subsets of all rows are permutations, and KID is permutation invariant: equal up to summation order.
	if math.Abs(mean-full) > 1e-12*math.Abs(full)+1e-14 || std > 1e-12 {
		t.Errorf("subset mean %g std %g, full %g", mean, std, full)
	}
}

func ExampleFrechet() {
	// Two 1-D samples: the Frechet distance of 1-D Gaussians is (mu1-mu2)^2 + (sigma1-sigma2)^2.
	a := mat.NewDense(4, 1, []float64{0, 1, 2, 3})
	b := mat.NewDense(4, 1, []float64{10, 12, 14, 16}) // mean +11.5, twice the spread
	d, err := Frechet(a, b)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%.4f\n", d) // 11.5^2 + (sigma)^2 with sigma^2 = 5/3
	// Output: 133.9167
}

func BenchmarkFrechet(b *testing.B) {
	for _, c := range []struct{ n, d int }{{1000, 2048}, {200, 2048}, {2000, 64}} {
		rng := rand.New(rand.NewPCG(1, 2))
		x, y := randomMatrix(rng, c.n, c.d, 4), randomMatrix(rng, c.n, c.d, 4)
		for _, m := range []Method{DataSVD, CovarianceEigen} {
			if m == CovarianceEigen && c.d > 1000 {
				continue // minutes per iteration in pure Go; see the report for a timed run
			}
			b.Run(fmt.Sprintf("n=%d/d=%d/%v", c.n, c.d, m), func(b *testing.B) {
				for b.Loop() {
					if _, err := FrechetWith(x, y, m); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

func TestAutoPicksCheaperMethod(t *testing.T) {
	cases := []struct {
		n1, n2, d int
		want      Method
	}{
		{1000, 1000, 2048, DataSVD},         // the issue's benchmark: n < d
		{50, 50, 2048, DataSVD},             // per-class FID with few images
		{2000, 2000, 64, CovarianceEigen},   // many samples, small features
		{50000, 10000, 64, CovarianceEigen}, // large sets of PCA features
	}
	for _, c := range cases {
		if got := cheaperMethod(c.n1, c.n2, c.d); got != c.want {
			t.Errorf("n1=%d n2=%d d=%d: %v, want %v", c.n1, c.n2, c.d, got, c.want)
		}
	}
}
