package privacy

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/nblib/eval/stats"
)

// scores holds, per real and synthetic example, the within-class distances the audit is made of.
type scores struct {
	train, test, synth int // examples that share a class with the training set
	// synthDCR and testDCR are each example's distance to its nearest training example; synthClass and
	// testClass their classes.
	synthDCR, testDCR     []float64
	synthClass, testClass []int
	// member and nonMember are the attacks' scores of training and test examples: distance attack
	// (dist*) and density ratio (ratio*), with their classes.
	distMember, distNonMember   []float64
	ratioMember, ratioNonMember []float64
	memberClass, nonMemberClass []int
	trainCount                  map[int]int
}

// measure computes every within-class distance once.
func measure(train, test, synth Set) *scores {
	s := &scores{trainCount: map[int]int{}}
	byTrain, byTest, bySynth := rowsByClass(train.Y), rowsByClass(test.Y), rowsByClass(synth.Y)
	for _, k := range sortedKeys(byTrain) {
		tr := rows(train.X, byTrain[k])
		s.trainCount[k] = len(byTrain[k])
		s.train += len(byTrain[k])
		te, sy := byTest[k], bySynth[k]
		var teX, syX *mat.Dense
		if len(te) > 0 {
			teX = rows(test.X, te)
			for _, d := range minDist(teX, tr) {
				s.testDCR, s.testClass = append(s.testDCR, d), append(s.testClass, k)
			}
			s.test += len(te)
		}
		if len(sy) > 0 {
			syX = rows(synth.X, sy)
			for _, d := range minDist(syX, tr) {
				s.synthDCR, s.synthClass = append(s.synthDCR, d), append(s.synthClass, k)
			}
			s.synth += len(sy)
		}
		if syX == nil || teX == nil || len(te) < 2 {
			continue // the attacks need synthetic examples and a reference of at least one other test example
		}
		s.attack(k, tr, teX, syX)
	}
	return s
}

// attack scores the members (tr) and non-members (te) of class k against the synthetic examples sy.
func (s *scores) attack(k int, tr, te, sy *mat.Dense) {
	nTe, _ := te.Dims()
	trSyn, teSyn := minDist(tr, sy), minDist(te, sy)
	trRef := allDist(tr, te) // [member][test example]
	teRef := allDist(te, te)
	for j, d := range trSyn {
		// A member's reference leaves out one test example too (j mod nTe), so that members and
		// non-members are calibrated against reference sets of one size.
		ref := minExcept(trRef[j], j%nTe)
		s.distMember, s.ratioMember = append(s.distMember, -d), append(s.ratioMember, logRatio(ref, d))
		s.memberClass = append(s.memberClass, k)
	}
	for i, d := range teSyn {
		ref := minExcept(teRef[i], i)
		s.distNonMember, s.ratioNonMember = append(s.distNonMember, -d), append(s.ratioNonMember, logRatio(ref, d))
		s.nonMemberClass = append(s.nonMemberClass, k)
	}
}

// logRatio is log r_ref - log r_synth, with distances floored at a tiny positive value (an exact copy
// has r_synth = 0).
func logRatio(ref, syn float64) float64 {
	const tiny = 1e-12
	return math.Log(max(ref, tiny)) - math.Log(max(syn, tiny))
}

// sub keeps class k only.
func (s *scores) sub(k int) *scores {
	keep := func(v []float64, cls []int) []float64 {
		var out []float64
		for i, c := range cls {
			if c == k {
				out = append(out, v[i])
			}
		}
		return out
	}
	o := &scores{trainCount: map[int]int{k: s.trainCount[k]}, train: s.trainCount[k]}
	o.synthDCR, o.testDCR = keep(s.synthDCR, s.synthClass), keep(s.testDCR, s.testClass)
	o.synth, o.test = len(o.synthDCR), len(o.testDCR)
	o.distMember, o.ratioMember = keep(s.distMember, s.memberClass), keep(s.ratioMember, s.memberClass)
	o.distNonMember, o.ratioNonMember = keep(s.distNonMember, s.nonMemberClass), keep(s.ratioNonMember, s.nonMemberClass)
	return o
}

func (s *scores) classes() []int { return sortedKeys(s.trainCount) }

// result computes the intervals of one set of scores.
func (s *scores) result(class int, c Config) Result {
	r := Result{Class: class, Train: s.train, Test: s.test, Synth: s.synth}
	reps, seed := c.Replicates, c.Seed+uint64(class+2)*0x9e37
	r.DCRRatio = stats.Bootstrap2(len(s.synthDCR), len(s.testDCR), reps, seed, func(i1, i2 []int) float64 {
		den := stats.Median(pick(s.testDCR, i2))
		if den == 0 {
			return math.NaN()
		}
		return stats.Median(pick(s.synthDCR, i1)) / den
	})
	r.DCRRatio.Method = "two-sample bootstrap"
	q := c.NearCopyQuantile
	r.NearCopyShare = stats.Bootstrap2(len(s.synthDCR), len(s.testDCR), reps, seed+1, func(i1, i2 []int) float64 {
		return shareBelow(pick(s.synthDCR, i1), stats.Quantile(pick(s.testDCR, i2), q))
	})
	auc := func(pos, neg []float64, seed uint64) stats.Interval {
		return stats.Bootstrap2(len(pos), len(neg), reps, seed, func(i1, i2 []int) float64 { return stats.AUC(pick(pos, i1), pick(neg, i2)) })
	}
	r.MembershipAUC = auc(s.distMember, s.distNonMember, seed+2)
	r.DensityRatioAUC = auc(s.ratioMember, s.ratioNonMember, seed+3)
	return r
}

// shareBelow is the share of v strictly below t.
func shareBelow(v []float64, t float64) float64 {
	if len(v) == 0 || !finite(t) {
		return math.NaN()
	}
	n := 0
	for _, x := range v {
		if x < t {
			n++
		}
	}
	return float64(n) / float64(len(v))
}

func pick(v []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for k, i := range idx {
		out[k] = v[i]
	}
	return out
}

func rowsByClass(y []int) map[int][]int {
	out := map[int][]int{}
	for i, l := range y {
		out[l] = append(out[l], i)
	}
	return out
}

func sortedKeys[V any](m map[int]V) []int {
	var k []int
	for c := range m {
		k = append(k, c)
	}
	slices.Sort(k)
	return k
}

// rows copies the given rows of x.
func rows(x *mat.Dense, idx []int) *mat.Dense {
	_, d := x.Dims()
	out := mat.NewDense(len(idx), d, nil)
	for k, i := range idx {
		out.SetRow(k, x.RawRowView(i))
	}
	return out
}

// allDist is the matrix of Euclidean distances between the rows of a and of b, by
// |a|² + |b|² - 2 a·b (one matrix product), clamped at 0 against rounding.
func allDist(a, b *mat.Dense) [][]float64 {
	na, _ := a.Dims()
	nb, _ := b.Dims()
	var g mat.Dense
	g.Mul(a, b.T())
	sqA, sqB := rowNorms(a), rowNorms(b)
	out := make([][]float64, na)
	for i := range out {
		out[i] = make([]float64, nb)
		for j := range out[i] {
			out[i][j] = math.Sqrt(max(0, sqA[i]+sqB[j]-2*g.At(i, j)))
		}
	}
	return out
}

// minDist is, for each row of a, the distance to the nearest row of b.
func minDist(a, b *mat.Dense) []float64 {
	all := allDist(a, b)
	out := make([]float64, len(all))
	for i, r := range all {
		out[i] = slices.Min(r)
	}
	return out
}

// minExcept is the smallest entry of v other than v[skip]; +Inf when none is left.
func minExcept(v []float64, skip int) float64 {
	m := math.Inf(1)
	for j, x := range v {
		if j != skip && x < m {
			m = x
		}
	}
	return m
}

func rowNorms(x *mat.Dense) []float64 {
	n, _ := x.Dims()
	out := make([]float64, n)
	for i := range out {
		r := x.RawRowView(i)
		s := 0.0
		for _, v := range r {
			s += v * v
		}
		out[i] = s
	}
	return out
}
