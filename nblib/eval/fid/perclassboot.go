package fid

import (
	"fmt"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// PerClassReplicates are bootstrap replicates of a per-class mean distance and of its floor, as
// measured by PerClassWithFloor: replicate i of Synth and of Floor come from one draw, so Synth[i] /
// Floor[i] is a replicate of the relative per-class distance.
type PerClassReplicates struct {
	Synth, Floor []float64
	Rows         int // rows per class on each side (PerClassWithFloor's k)
}

// PerClassBootstrap draws reps replicates of PerClassWithFloor's two means. In each replicate and
// each class it draws k rows with replacement from the class's real test rows (the floor side) and,
// for the synthetic side, k rows with replacement from k distinct synthetic rows of the class chosen
// at random, so both sides carry the same share of duplicated rows; the real training side stays the
// first k rows of the class, as PerClassWithFloor measures it. A replicate in which some class's
// distance fails (e.g. all drawn rows equal and the distance undefined) is left out, so fewer than
// reps replicates can come back. The replicates are biased upward by their duplicates like any
// bootstrap of a Frechet distance: callers shift percentiles by mean(replicates) - measured.
func PerClassBootstrap(train *mat.Dense, trainLabels []int, test *mat.Dense, testLabels []int, synth *mat.Dense, synthLabels []int, n, reps int, dist DistanceFunc, seed uint64) (PerClassReplicates, error) {
	for _, s := range []struct {
		x      *mat.Dense
		labels []int
		name   string
	}{{train, trainLabels, "real training"}, {test, testLabels, "real test"}, {synth, synthLabels, "synthetic"}} {
		if err := checkLabels(s.x, s.labels, s.name); err != nil {
			return PerClassReplicates{}, err
		}
	}
	classes := sortedUnique(trainLabels)
	k := perClassRows(classes, trainLabels, testLabels, synthLabels, n)
	if k < MinSamples {
		return PerClassReplicates{}, fmt.Errorf("fid: per-class bootstrap: the smallest class has %d rows on some side, need at least %d (hold out more real traces per class)", k, MinSamples)
	}
	rng := rand.New(rand.NewPCG(seed, 0xc1a55))
	out := PerClassReplicates{Rows: k}
	for range reps {
		s, f, ok := perClassReplicate(train, trainLabels, test, testLabels, synth, synthLabels, classes, k, dist, rng)
		if ok {
			out.Synth, out.Floor = append(out.Synth, s), append(out.Floor, f)
		}
	}
	return out, nil
}

// perClassRows is PerClassWithFloor's row count k (the smallest class's test or synthetic count,
// capped by n when n > 0), also capped by the smallest class's training count: the two differ only
// when some class has fewer training than test rows, where PerClass caps that class alone.
func perClassRows(classes, trainLabels, testLabels, synthLabels []int, n int) int {
	k := -1
	for _, c := range classes {
		m := min(len(rowsOf(trainLabels, c)), len(rowsOf(testLabels, c)), len(rowsOf(synthLabels, c)))
		if k < 0 || m < k {
			k = m
		}
	}
	if n > 0 && k > n {
		k = n
	}
	return k
}

// perClassReplicate is one bootstrap replicate of the mean per-class distance to the synthetic rows
// and to the real test rows.
func perClassReplicate(train *mat.Dense, trainLabels []int, test *mat.Dense, testLabels []int, synth *mat.Dense, synthLabels []int, classes []int, k int, dist DistanceFunc, rng *rand.Rand) (synthMean, floorMean float64, ok bool) {
	for _, c := range classes {
		ref := pickRows(train, rowsOf(trainLabels, c)[:k])
		t, s := rowsOf(testLabels, c), rowsOf(synthLabels, c)
		distinct := make([]int, k)
		for i, j := range rng.Perm(len(s))[:k] {
			distinct[i] = s[j]
		}
		ds, err1 := dist(ref, pickRows(synth, drawWithReplacement(distinct, k, rng)))
		df, err2 := dist(ref, pickRows(test, drawWithReplacement(t, k, rng)))
		if err1 != nil || err2 != nil {
			return 0, 0, false
		}
		synthMean += ds
		floorMean += df
	}
	return synthMean / float64(len(classes)), floorMean / float64(len(classes)), true
}

// drawWithReplacement returns k entries of from, drawn uniformly with replacement.
func drawWithReplacement(from []int, k int, rng *rand.Rand) []int {
	out := make([]int, k)
	for i := range out {
		out[i] = from[rng.IntN(len(from))]
	}
	return out
}
