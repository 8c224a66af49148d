package fid

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// Floored is a distance between real and synthetic features reported with its floor, the same
// distance between the real training and the real test features: what a perfect generator, one
// drawing fresh samples of the real distribution, would score at that test-set size.
type Floored struct {
	Value float64 // real training vs synthetic
	Floor float64 // real training vs real test
	// Matched is the distance between the real training features and a random subset of the synthetic
	// features as large as the test set, so that it shares the floor's small-sample bias (the Frechet
	// distance grows as the sample shrinks); it equals Value when there are no more synthetic rows
	// than test rows.
	Matched float64
	NSynth  int // synthetic rows behind Value
	NTest   int // real test rows behind Floor (and synthetic rows behind Matched)
}

// Excess is Matched - Floor: how far the generator is from the real-vs-real distance at the same
// sample sizes (0 for a perfect generator, up to sampling noise).
func (f Floored) Excess() float64 { return f.Matched - f.Floor }

// String prints the value with its floor, e.g. "12.3 (floor 1.9, matched 12.8 on 48)". A KID may be
// negative: its unbiased estimate scatters around 0 for equal distributions.
func (f Floored) String() string {
	return fmt.Sprintf("%.4g (floor %.4g, matched %.4g on %d)", f.Value, f.Floor, f.Matched, f.NTest)
}

// WithFloor computes dist(train, synth), dist(train, test) and dist(train, a size-matched subset of
// synth) drawn with seed. All three feature sets must come from the same extractor (for example PCA
// fitted on the training images).
func WithFloor(dist DistanceFunc, train, test, synth *mat.Dense, seed uint64) (Floored, error) {
	ns, _ := synth.Dims()
	nt, _ := test.Dims()
	v, err := dist(train, synth)
	if err != nil {
		return Floored{}, fmt.Errorf("fid: real training vs synthetic: %w", err)
	}
	floor, err := dist(train, test)
	if err != nil {
		return Floored{}, fmt.Errorf("fid: floor (real training vs real test): %w", err)
	}
	res := Floored{Value: v, Floor: floor, Matched: v, NSynth: ns, NTest: nt}
	if ns > nt {
		sub := sampleRows(synth, nt, rand.New(rand.NewPCG(seed, 0x666c6f6f72)))
		if res.Matched, err = dist(train, sub); err != nil {
			return Floored{}, fmt.Errorf("fid: real training vs %d synthetic: %w", nt, err)
		}
	}
	return res, nil
}

// FrechetWithFloor is WithFloor for the Frechet distance (FID on Inception features).
func FrechetWithFloor(train, test, synth *mat.Dense, seed uint64) (Floored, error) {
	return WithFloor(Frechet, train, test, synth, seed)
}

// KIDWithFloor is WithFloor for KID. Value, Floor and Matched are unbiased estimates and may be
// negative (an estimate of 0 scattered by sampling): print them as they are, not clipped.
func KIDWithFloor(train, test, synth *mat.Dense, seed uint64) (Floored, error) {
	return WithFloor(KID, train, test, synth, seed)
}

// PerClassFloored is the per-class protocol with its floor: PerClass on (train, synth) and on
// (train, test), class by class with the same row counts.
type PerClassFloored struct {
	Synth PerClassResult // real training vs synthetic, per class
	Floor PerClassResult // real training vs real test, per class
	Rows  int            // rows per class on every side
}

// Mean returns the mean per-class distance with the mean per-class floor (both on Rows rows per
// class, so Matched = Value).
func (p PerClassFloored) Mean() Floored {
	return Floored{Value: p.Synth.Mean, Floor: p.Floor.Mean, Matched: p.Synth.Mean, NSynth: p.Rows, NTest: p.Rows}
}

// PerClassWithFloor runs PerClass twice with the same per-class row count k = min(real training,
// real test, synthetic rows of the class, n when n > 0): once against the synthetic rows and once
// against the real test rows, so both sides of every class share k. Classes are those of
// trainLabels; each needs at least MinSamples rows in all three sets.
func PerClassWithFloor(train *mat.Dense, trainLabels []int, test *mat.Dense, testLabels []int, synth *mat.Dense, synthLabels []int, n int, dist DistanceFunc) (PerClassFloored, error) {
	if err := checkLabels(test, testLabels, "real test"); err != nil {
		return PerClassFloored{}, err
	}
	if err := checkLabels(synth, synthLabels, "synthetic"); err != nil {
		return PerClassFloored{}, err
	}
	k := math.MaxInt
	for _, c := range sortedUnique(trainLabels) {
		k = min(k, len(rowsOf(testLabels, c)), len(rowsOf(synthLabels, c)))
	}
	if n > 0 {
		k = min(k, n)
	}
	if k < MinSamples {
		return PerClassFloored{}, fmt.Errorf("fid: per-class floor: the smallest class has %d real test or synthetic rows, need at least %d (hold out more real traces per class)", k, MinSamples)
	}
	syn, err := PerClass(train, trainLabels, synth, synthLabels, k, dist)
	if err != nil {
		return PerClassFloored{}, fmt.Errorf("fid: per-class vs synthetic: %w", err)
	}
	floor, err := PerClass(train, trainLabels, test, testLabels, k, dist)
	if err != nil {
		return PerClassFloored{}, fmt.Errorf("fid: per-class floor: %w", err)
	}
	return PerClassFloored{Synth: syn, Floor: floor, Rows: k}, nil
}
