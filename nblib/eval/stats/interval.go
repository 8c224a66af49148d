package stats

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Level is the confidence level of every interval in the project.
const Level = 0.95

// DefaultReplicates is the number of bootstrap replicates Bootstrap draws when asked for 0.
const DefaultReplicates = 2000

// Interval is an estimate with its 95% confidence interval.
type Interval struct {
	Estimate float64
	Lo, Hi   float64
	Method   string // "paired bootstrap", "bootstrap", "t", "Wilson"
	N        int    // independent units behind it (test traces, folds, models)
}

// Valid reports whether the interval is usable: finite, ordered and made from at least one unit.
func (iv Interval) Valid() bool {
	return iv.N > 0 && !math.IsNaN(iv.Lo) && !math.IsNaN(iv.Hi) && !math.IsInf(iv.Lo, 0) && !math.IsInf(iv.Hi, 0) && iv.Lo <= iv.Hi
}

// HalfWidth is half the interval's width.
func (iv Interval) HalfWidth() float64 { return (iv.Hi - iv.Lo) / 2 }

// Contains reports whether v lies in the closed interval.
func (iv Interval) Contains(v float64) bool { return iv.Lo <= v && v <= iv.Hi }

// Scale multiplies the estimate and both ends by k > 0 (for example 100 for percent).
func (iv Interval) Scale(k float64) Interval {
	iv.Estimate, iv.Lo, iv.Hi = k*iv.Estimate, k*iv.Lo, k*iv.Hi
	return iv
}

// String prints "0.82 [0.71, 0.90]" with the method and the units: "(paired bootstrap, n = 40)".
func (iv Interval) String() string { return iv.Format("%.2f") }

// Format prints the interval with the verb given for each number, e.g. "%+.1f".
func (iv Interval) Format(verb string) string {
	if !iv.Valid() {
		return fmt.Sprintf(verb+" (no interval)", iv.Estimate)
	}
	return fmt.Sprintf(verb+" ["+verb+", "+verb+"] (95%%, %s, n = %d)", iv.Estimate, iv.Lo, iv.Hi, iv.Method, iv.N)
}

// Short prints the estimate and the interval only: "0.82 [0.71, 0.90]" (the method said elsewhere).
func (iv Interval) Short(verb string) string {
	if !iv.Valid() {
		return fmt.Sprintf(verb+" [no interval]", iv.Estimate)
	}
	return fmt.Sprintf(verb+" ["+verb+", "+verb+"]", iv.Estimate, iv.Lo, iv.Hi)
}

// Bootstrap is the percentile bootstrap interval of stat over n units: stat receives the units of one
// replicate as indices into [0, n) (repeats allowed) and returns the statistic; the estimate is stat
// over every unit once. reps 0 means DefaultReplicates. Replicates whose statistic is NaN (a resample
// that leaves a class empty, say) are dropped; when more than a tenth are, the interval is invalid.
func Bootstrap(n, reps int, seed uint64, stat func(idx []int) float64) Interval {
	if reps <= 0 {
		reps = DefaultReplicates
	}
	iv := Interval{Estimate: stat(identity(n)), Method: "bootstrap", N: n, Lo: math.NaN(), Hi: math.NaN()}
	if n < 2 {
		return iv
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed_b007))
	idx := make([]int, n)
	return percentiles(iv, reps, func() float64 {
		for i := range idx {
			idx[i] = rng.IntN(n)
		}
		return stat(idx)
	})
}

// percentiles fills iv's ends with the 2.5th and 97.5th percentiles of reps replicates of draw,
// dropping NaN replicates; more than a tenth dropped leaves iv without ends.
func percentiles(iv Interval, reps int, draw func() float64) Interval {
	vals := make([]float64, 0, reps)
	for range reps {
		if v := draw(); !math.IsNaN(v) {
			vals = append(vals, v)
		}
	}
	if len(vals) < reps*9/10 {
		return iv
	}
	slices.Sort(vals)
	iv.Lo, iv.Hi = quantileSorted(vals, (1-Level)/2), quantileSorted(vals, 1-(1-Level)/2)
	return iv
}

// quantileSorted is the q-quantile of sorted values by linear interpolation (numpy's default).
func quantileSorted(v []float64, q float64) float64 {
	pos := q * float64(len(v)-1)
	i := int(math.Floor(pos))
	if i >= len(v)-1 {
		return v[len(v)-1]
	}
	f := pos - float64(i)
	return v[i]*(1-f) + v[i+1]*f
}

// Mean is the plain mean of v (NaN for none).
func Mean(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// BootstrapMean is the percentile bootstrap interval of the mean of v.
func BootstrapMean(v []float64, seed uint64) Interval {
	return Bootstrap(len(v), 0, seed, func(idx []int) float64 {
		s := 0.0
		for _, i := range idx {
			s += v[i]
		}
		return s / float64(len(idx))
	})
}

// PairedMeanDiff is the paired bootstrap interval of mean(a[i] - b[i]): a and b are the same units
// under two conditions (the same test traces scored by two classifiers). It returns an invalid
// interval when the lengths differ.
func PairedMeanDiff(a, b []float64, seed uint64) Interval {
	if len(a) != len(b) {
		return Interval{Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Method: "paired bootstrap"}
	}
	d := make([]float64, len(a))
	for i := range a {
		d[i] = a[i] - b[i]
	}
	iv := BootstrapMean(d, seed)
	iv.Method = "paired bootstrap"
	return iv
}

// TInterval is mean ± t s/sqrt(n) over n independent repeats (Student's t with n-1 degrees of
// freedom); invalid for fewer than two.
func TInterval(v []float64) Interval {
	n := len(v)
	iv := Interval{Estimate: Mean(v), Method: "t", N: n, Lo: math.NaN(), Hi: math.NaN()}
	if n < 2 {
		return iv
	}
	ss := 0.0
	for _, x := range v {
		ss += (x - iv.Estimate) * (x - iv.Estimate)
	}
	se := math.Sqrt(ss/float64(n-1)) / math.Sqrt(float64(n))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(1 - (1-Level)/2)
	iv.Lo, iv.Hi = iv.Estimate-t*se, iv.Estimate+t*se
	return iv
}

// Wilson is the Wilson score interval of the proportion k of n.
func Wilson(k, n int) Interval {
	iv := Interval{Method: "Wilson", N: n, Lo: math.NaN(), Hi: math.NaN(), Estimate: math.NaN()}
	if n <= 0 || k < 0 || k > n {
		return iv
	}
	z := distuv.UnitNormal.Quantile(1 - (1-Level)/2)
	p, nf := float64(k)/float64(n), float64(n)
	centre := (p + z*z/(2*nf)) / (1 + z*z/nf)
	half := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / (1 + z*z/nf)
	iv.Estimate, iv.Lo, iv.Hi = p, max(0, centre-half), min(1, centre+half)
	return iv
}

// Bootstrap2 is the percentile bootstrap interval of a statistic of two independent samples of n1 and
// n2 units, each resampled with replacement on its own (stratified): stat receives the indices of one
// replicate of each. N of the interval is the smaller sample, the one that limits it.
func Bootstrap2(n1, n2, reps int, seed uint64, stat func(i1, i2 []int) float64) Interval {
	if reps <= 0 {
		reps = DefaultReplicates
	}
	a1, a2 := identity(n1), identity(n2)
	iv := Interval{Estimate: stat(a1, a2), Method: "two-sample bootstrap", N: min(n1, n2), Lo: math.NaN(), Hi: math.NaN()}
	if n1 < 2 || n2 < 2 {
		return iv
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed_b002))
	i1, i2 := make([]int, n1), make([]int, n2)
	return percentiles(iv, reps, func() float64 {
		for i := range i1 {
			i1[i] = rng.IntN(n1)
		}
		for i := range i2 {
			i2[i] = rng.IntN(n2)
		}
		return stat(i1, i2)
	})
}

func identity(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// AUC is the area under the ROC curve of scores for positives against negatives: the probability that a
// random positive scores above a random negative, ties counting a half (the Mann-Whitney U over n1 n0).
// NaN when either side is empty.
func AUC(pos, neg []float64) float64 {
	if len(pos) == 0 || len(neg) == 0 {
		return math.NaN()
	}
	type scored struct {
		v   float64
		pos bool
	}
	all := make([]scored, 0, len(pos)+len(neg))
	for _, v := range pos {
		all = append(all, scored{v, true})
	}
	for _, v := range neg {
		all = append(all, scored{v, false})
	}
	slices.SortFunc(all, func(a, b scored) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	// Sum of the positives' mid-ranks (1-based).
	rankSum := 0.0
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].v == all[i].v {
			j++
		}
		mid := float64(i+j+1) / 2
		for k := i; k < j; k++ {
			if all[k].pos {
				rankSum += mid
			}
		}
		i = j
	}
	n1, n0 := float64(len(pos)), float64(len(neg))
	return (rankSum - n1*(n1+1)/2) / (n1 * n0)
}

// RoundSignificant rounds x to d significant digits (0, NaN and infinities unchanged): what stored
// replicates and timings keep, so that a stored result stays small.
func RoundSignificant(x float64, d int) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	p := math.Pow(10, float64(d-1)-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

// Median is the median of v (NaN for none); v is not modified.
func Median(v []float64) float64 { return Quantile(v, 0.5) }

// Quantile is the q-quantile of v by linear interpolation (numpy's default); NaN for none.
func Quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return quantileSorted(s, q)
}

// StratifiedPairedMeanDiff is the interval of the mean over groups of each group's paired mean
// difference mean(a[g][i] - b[g][i]): every replicate resamples the units of each group on its own
// (a stratified paired bootstrap), so groups keep their sizes and their weight of 1 / len(groups).
// Groups whose a and b differ in length, or that are empty, make the interval invalid.
func StratifiedPairedMeanDiff(a, b [][]float64, seed uint64) Interval {
	iv := Interval{Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Method: "stratified paired bootstrap"}
	if len(a) == 0 || len(a) != len(b) {
		return iv
	}
	diffs := make([][]float64, len(a))
	n := math.MaxInt
	for g := range a {
		if len(a[g]) == 0 || len(a[g]) != len(b[g]) {
			return iv
		}
		diffs[g] = make([]float64, len(a[g]))
		for i := range a[g] {
			diffs[g][i] = a[g][i] - b[g][i]
		}
		n = min(n, len(a[g]))
	}
	iv.N = n
	mean := func(pick func(g, i int) int) float64 {
		s := 0.0
		for g, d := range diffs {
			gs := 0.0
			for i := range d {
				gs += d[pick(g, i)]
			}
			s += gs / float64(len(d))
		}
		return s / float64(len(diffs))
	}
	iv.Estimate = mean(func(_, i int) int { return i })
	if n < 2 {
		return iv
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed_b005))
	return percentiles(iv, DefaultReplicates, func() float64 {
		return mean(func(g, _ int) int { return rng.IntN(len(diffs[g])) })
	})
}

// PairedTracesNeeded is how many paired test traces detect a difference delta between two accuracies
// (shares, e.g. 0.124) at 95% two-sided with the given power, when a share discordant of the traces is
// classified right by one classifier and wrong by the other: McNemar's test in Connor's (1987) normal
// approximation,
//
//	n = (z_{0.975} sqrt(discordant) + z_{power} sqrt(discordant - delta²))² / delta².
//
// It returns 0 for impossible inputs (delta 0, or |delta| above the discordant share).
func PairedTracesNeeded(delta, discordant, power float64) int {
	delta = math.Abs(delta)
	if delta == 0 || discordant < delta || discordant > 1 || power <= 0 || power >= 1 {
		return 0
	}
	za := distuv.UnitNormal.Quantile(1 - (1-Level)/2)
	zb := distuv.UnitNormal.Quantile(power)
	root := za*math.Sqrt(discordant) + zb*math.Sqrt(discordant-delta*delta)
	return int(math.Ceil(root * root / (delta * delta)))
}

// intervalJSON is Interval on the wire: NaN and infinite numbers (an invalid interval's ends) are
// null, which encoding/json cannot write as numbers.
type intervalJSON struct {
	Estimate, Lo, Hi *float64
	Method           string `json:",omitempty"`
	N                int
}

func finiteOrNil(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func nilAsNaN(v *float64) float64 {
	if v == nil {
		return math.NaN()
	}
	return *v
}

// MarshalJSON writes the interval with null for a missing (NaN or infinite) number.
func (iv Interval) MarshalJSON() ([]byte, error) {
	return json.Marshal(intervalJSON{Estimate: finiteOrNil(iv.Estimate), Lo: finiteOrNil(iv.Lo), Hi: finiteOrNil(iv.Hi), Method: iv.Method, N: iv.N})
}

// UnmarshalJSON reads what MarshalJSON writes: null is NaN.
func (iv *Interval) UnmarshalJSON(b []byte) error {
	var w intervalJSON
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*iv = Interval{Estimate: nilAsNaN(w.Estimate), Lo: nilAsNaN(w.Lo), Hi: nilAsNaN(w.Hi), Method: w.Method, N: w.N}
	return nil
}
