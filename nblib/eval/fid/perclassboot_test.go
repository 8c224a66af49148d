package fid

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// gaussianRows draws n rows of d independent normals with the given mean shift, labelled by class.
func gaussianRows(rng *rand.Rand, classes, perClass, d int, shift float64) (*mat.Dense, []int) {
	x := mat.NewDense(classes*perClass, d, nil)
	labels := make([]int, classes*perClass)
	for i := range labels {
		labels[i] = i % classes
		for j := range d {
			x.Set(i, j, rng.NormFloat64()+shift+float64(labels[i]))
		}
	}
	return x, labels
}

// TestPerClassBootstrap checks the replicates against the measurement they resample: a synthetic set
// drawn from the real distribution gives a relative distance whose percentile interval contains 1, a
// shifted one an interval far above 1 that contains the measured ratio; a seed fixes the replicates.
func TestPerClassBootstrap(t *testing.T) {
	for _, tc := range []struct {
		name      string
		shift     float64
		wantAbove bool // the whole interval of Synth/Floor above 1
	}{{"fresh", 0, false}, {"shifted", 1.5, true}} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(7, 1))
			train, trainY := gaussianRows(rng, 3, 60, 4, 0)
			test, testY := gaussianRows(rng, 3, 30, 4, 0)
			synth, synthY := gaussianRows(rng, 3, 60, 4, tc.shift)
			measured, err := PerClassWithFloor(train, trainY, test, testY, synth, synthY, 0, Frechet)
			if err != nil {
				t.Fatal(err)
			}
			reps, err := PerClassBootstrap(train, trainY, test, testY, synth, synthY, 0, 300, Frechet, 11)
			if err != nil {
				t.Fatal(err)
			}
			if reps.Rows != measured.Rows || len(reps.Synth) != 300 || len(reps.Floor) != 300 {
				t.Fatalf("rows %d (measured %d), %d and %d replicates, want 300", reps.Rows, measured.Rows, len(reps.Synth), len(reps.Floor))
			}
			rel := make([]float64, len(reps.Synth))
			for i := range rel {
				rel[i] = reps.Synth[i] / reps.Floor[i]
			}
			lo, hi := quantile(rel, 0.025), quantile(rel, 0.975)
			ratio := measured.Synth.Mean / measured.Floor.Mean
			if tc.wantAbove && !(lo > 1 && lo < ratio*1.5 && hi > ratio/1.5) {
				t.Errorf("relative interval [%.3g, %.3g], measured %.3g: want above 1 and near the measurement", lo, hi, ratio)
			}
			if !tc.wantAbove && !(lo < 1 && 1 < hi) {
				t.Errorf("relative interval [%.3g, %.3g] (measured %.3g): fresh synthetic data should contain 1", lo, hi, ratio)
			}
			again, _ := PerClassBootstrap(train, trainY, test, testY, synth, synthY, 0, 300, Frechet, 11)
			if again.Synth[17] != reps.Synth[17] || again.Floor[299] != reps.Floor[299] {
				t.Error("the same seed drew different replicates")
			}
		})
	}
}

func TestPerClassBootstrapTooFewRows(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 1))
	train, trainY := gaussianRows(rng, 2, 10, 3, 0)
	test, testY := gaussianRows(rng, 2, 1, 3, 0)
	synth, synthY := gaussianRows(rng, 2, 10, 3, 0)
	if _, err := PerClassBootstrap(train, trainY, test, testY, synth, synthY, 0, 10, Frechet, 1); err == nil {
		t.Error("one test row per class: want an error")
	}
	if _, err := PerClassBootstrap(train, trainY[:5], test, testY, synth, synthY, 0, 10, Frechet, 1); err == nil {
		t.Error("labels shorter than rows: want an error")
	}
}

// quantile is the q-quantile of v by linear interpolation (the test's own, independent of stats).
func quantile(v []float64, q float64) float64 {
	s := append([]float64(nil), v...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	pos := q * float64(len(s)-1)
	i := int(math.Floor(pos))
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (pos-float64(i))*(s[i+1]-s[i])
}
