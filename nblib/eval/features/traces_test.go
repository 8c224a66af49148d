package features

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// ar1 returns n AR(1) series x_t = phi x_{t-1} + e_t (e ~ N(0,1)) plus shift.
func ar1(n, length int, phi, shift float64, seed uint64) *mat.Dense {
	rng := rand.New(rand.NewPCG(seed, 9))
	x := mat.NewDense(n, length, nil)
	for i := range n {
		v := 0.0
		for t := range length {
			v = phi*v + rng.NormFloat64()
			x.Set(i, t, v+shift)
		}
	}
	return x
}

// TestMeasureTracesClosedForm: synthetic series equal to the real training series shifted by 3 have
// marginal W1 exactly 3 (a shift moves every quantile by 3), the same autocorrelations (distance 0
// to rounding) and are told apart by the classifier (score 1/2); the floor, real training vs a
// second draw of the same AR(1), is small on every measure.
func TestMeasureTracesClosedForm(t *testing.T) {
	train := ar1(200, 40, 0.8, 0, 1)
	test := ar1(200, 40, 0.8, 0, 2)
	synth := mat.DenseCopyOf(train)
	synth.Apply(func(_, _ int, v float64) float64 { return v + 3 }, synth)
	res, err := MeasureTraces(train, test, synth, TraceConfig{MaxLag: 5, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(res.Marginal.Value-3) > 1e-9 || res.Autocorrelation.Value > 1e-12 || res.Discriminative.Value < 0.45 {
		t.Errorf("shifted copy: %+v, want W1 3, ACF distance 0, discriminative ~0.5", res)
	}
	// Floors: AR(1) stationary sd 1/sqrt(1-0.64) = 1.67; 8000 values per side give W1 of order 0.1;
	// mean ACF over 200 series of 40 has standard error ~0.03; a chance discriminator on 200 test
	// rows has std 0.035 (0.15 is > 4 sigma).
	if res.Marginal.Floor > 0.2 || res.Autocorrelation.Floor > 0.05 || res.Discriminative.Floor > 0.15 {
		t.Errorf("floors %+v, want small", res)
	}
}

// TestMeasureTracesACF: white noise against AR(1) with phi = 0.8 differs in autocorrelation by about
// mean_k 0.8^k (k = 1..3, minus the small-sample bias of r_k), while the floor is near 0.
func TestMeasureTracesACF(t *testing.T) {
	train := ar1(300, 60, 0.8, 0, 3)
	test := ar1(300, 60, 0.8, 0, 4)
	white := ar1(300, 60, 0, 0, 5)
	res, err := MeasureTraces(train, test, white, TraceConfig{MaxLag: 3})
	if err != nil {
		t.Fatal(err)
	}
	want := (0.8 + 0.64 + 0.512) / 3
	// r_k of a length-60 AR(1) is biased low by roughly (1 + 4 phi)/60 ~ 0.07 (Kendall); allow 0.12.
	if math.Abs(res.Autocorrelation.Value-want) > 0.12 || res.Autocorrelation.Floor > 0.03 {
		t.Errorf("ACF distance %v (floor %v), want about %.3f (floor ~0)", res.Autocorrelation.Value, res.Autocorrelation.Floor, want)
	}
}

func TestMeasureTracesConstantAndErrors(t *testing.T) {
	train, test := ar1(20, 16, 0.5, 0, 1), ar1(20, 16, 0.5, 0, 2)
	synth := ar1(20, 16, 0.5, 0, 3)
	for j := range 16 {
		synth.Set(0, j, 7) // one constant synthetic series
	}
	res, err := MeasureTraces(train, test, synth, TraceConfig{})
	if err != nil || res.ConstantSeries != [3]int{0, 0, 1} {
		t.Errorf("one constant series: %+v, %v", res.ConstantSeries, err)
	}
	if _, err := MeasureTraces(train, test, mat.NewDense(20, 16, nil), TraceConfig{}); err == nil {
		t.Errorf("all synthetic series constant: no error")
	}
	if _, err := MeasureTraces(train, test, ar1(20, 12, 0.5, 0, 3), TraceConfig{}); err == nil {
		t.Errorf("length mismatch: no error")
	}
}

func ExampleMeasureTraces() {
	train := ar1(100, 30, 0.5, 0, 1)
	test := ar1(100, 30, 0.5, 0, 2)
	synth := mat.DenseCopyOf(train)
	synth.Apply(func(_, _ int, v float64) float64 { return v + 1 }, synth)
	res, _ := MeasureTraces(train, test, synth, TraceConfig{MaxLag: 5})
	fmt.Printf("marginal W1 %.2f, autocorrelation distance %.2f\n", res.Marginal.Value, res.Autocorrelation.Value)
	// Output: marginal W1 1.00, autocorrelation distance 0.00
}
