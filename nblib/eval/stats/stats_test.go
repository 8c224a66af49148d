package stats

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

func TestDecideEdges(t *testing.T) {
	iv := func(est, lo, hi float64, n int) Interval {
		return Interval{Estimate: est, Lo: lo, Hi: hi, N: n, Method: "t"}
	}
	for _, tc := range []struct {
		name   string
		claim  Claim
		iv     Interval
		want   Outcome
		needed int
	}{
		{"above, clear", Greater(0), iv(5, 1, 9, 40), Holds, 0},
		{"above, interval on the other side", Greater(0), iv(-5, -9, -1, 40), DoesNotHold, 0},
		{"above, contains zero", Greater(0), iv(2, -2, 6, 40), CannotTell, 160},
		{"above, touches zero at Lo", Greater(0), iv(2, 0, 4, 40), CannotTell, 40},
		{"above, touches zero at Hi", Greater(0), iv(-2, -4, 0, 40), CannotTell, 40},
		{"below, clear", Less(0), iv(-5, -9, -1, 40), Holds, 0},
		{"below, other side", Less(0), iv(5, 1, 9, 40), DoesNotHold, 0},
		{"margin -10, within", Greater(-10), iv(-5, -8, -2, 40), Holds, 0},
		{"margin -10, outside", Greater(-10), iv(-15, -20, -11, 40), DoesNotHold, 0},
		{"estimate on the margin: no n decides", Greater(0), iv(0, -1, 1, 40), CannotTell, 0},
		{"no interval (one unit)", Greater(0), Interval{Estimate: 3, Lo: math.NaN(), Hi: math.NaN(), N: 1}, CannotTell, 0},
		{"no units", Greater(0), Interval{}, CannotTell, 0},
		{"infinite end", Greater(0), iv(1, 0.5, math.Inf(1), 10), CannotTell, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Decide(tc.claim, tc.iv)
			if v.Outcome != tc.want || v.Needed != tc.needed {
				t.Errorf("Decide(%+v, %+v) = %v, needed %d; want %v, needed %d", tc.claim, tc.iv, v.Outcome, v.Needed, tc.want, tc.needed)
			}
			if v.String() == "" {
				t.Error("empty verdict text")
			}
		})
	}
}

func TestCombine(t *testing.T) {
	for _, tc := range []struct {
		parts []Outcome
		want  Outcome
	}{
		{[]Outcome{Holds, Holds}, Holds},
		{[]Outcome{Holds, CannotTell}, CannotTell},
		{[]Outcome{Holds, CannotTell, DoesNotHold}, DoesNotHold},
		{nil, CannotTell},
	} {
		if got := Combine(tc.parts...); got != tc.want {
			t.Errorf("Combine(%v) = %v, want %v", tc.parts, got, tc.want)
		}
	}
}

// TestTIntervalClosedForm: 1, 2, 3 have mean 2, s = 1, and t_{0.975, 2} = 4.302653 (tables).
func TestTIntervalClosedForm(t *testing.T) {
	iv := TInterval([]float64{1, 2, 3})
	half := 4.302653 / math.Sqrt(3)
	if math.Abs(iv.Estimate-2) > 1e-12 || math.Abs(iv.Lo-(2-half)) > 1e-5 || math.Abs(iv.Hi-(2+half)) > 1e-5 {
		t.Fatalf("TInterval = %+v, want 2 ± %.6f", iv, half)
	}
	if TInterval([]float64{4}).Valid() {
		t.Error("one repeat gave a valid t interval")
	}
}

// TestWilsonKnownValues against the closed form evaluated independently in Python (z = 1.959964).
func TestWilsonKnownValues(t *testing.T) {
	for _, tc := range []struct {
		k, n   int
		lo, hi float64
	}{
		{0, 10, 0, 0.277533},
		{10, 10, 0.722467, 1},
		{5, 10, 0.236593, 0.763407},
		{81, 263, 0.255289, 0.366210},
	} {
		iv := Wilson(tc.k, tc.n)
		if math.Abs(iv.Lo-tc.lo) > 1e-5 || math.Abs(iv.Hi-tc.hi) > 1e-5 {
			t.Errorf("Wilson(%d, %d) = [%.6f, %.6f], want [%.6f, %.6f]", tc.k, tc.n, iv.Lo, iv.Hi, tc.lo, tc.hi)
		}
	}
	if Wilson(3, 2).Valid() || Wilson(0, 0).Valid() {
		t.Error("impossible proportions gave a valid interval")
	}
}

// TestBootstrapMeanMatchesNormalTheory: for 400 draws of N(0, 1) the 95% interval of the mean has a
// half-width near 1.96/sqrt(400) = 0.098; the percentile bootstrap is within 15% of it.
func TestBootstrapMeanMatchesNormalTheory(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	v := make([]float64, 400)
	for i := range v {
		v[i] = rng.NormFloat64()
	}
	iv := BootstrapMean(v, 7)
	s := math.Sqrt(variance(v))
	want := 1.959964 * s / 20
	if got := iv.HalfWidth(); math.Abs(got-want) > 0.15*want {
		t.Fatalf("bootstrap half-width %.4f, normal theory %.4f", got, want)
	}
	if !iv.Contains(iv.Estimate) {
		t.Fatalf("interval %v does not contain its estimate", iv)
	}
	if BootstrapMean(v, 7) != iv {
		t.Error("the bootstrap is not reproducible with a fixed seed")
	}
}

// TestPairedNarrowerThanUnpaired: two conditions sharing a large per-unit effect differ by 0.1; the
// paired interval sees the difference, the unpaired one does not.
func TestPairedNarrowerThanUnpaired(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	a, b := make([]float64, 60), make([]float64, 60)
	for i := range a {
		unit := 5 * rng.NormFloat64()
		a[i], b[i] = unit+0.1+0.05*rng.NormFloat64(), unit+0.05*rng.NormFloat64()
	}
	paired := PairedMeanDiff(a, b, 1)
	if got := Decide(Greater(0), paired).Outcome; got != Holds {
		t.Fatalf("paired %v: %v, want holds", paired, got)
	}
	ia, ib := BootstrapMean(a, 1), BootstrapMean(b, 2)
	if ia.Lo > ib.Hi {
		t.Fatalf("unpaired intervals %v and %v separate: the test does not show what pairing adds", ia, ib)
	}
	if PairedMeanDiff(a, b[:3], 1).Valid() {
		t.Error("unequal lengths gave a valid interval")
	}
}

func variance(v []float64) float64 {
	m := Mean(v)
	s := 0.0
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return s / float64(len(v)-1)
}

func TestAUC(t *testing.T) {
	for _, tc := range []struct {
		pos, neg []float64
		want     float64
	}{
		{[]float64{3, 4}, []float64{1, 2}, 1},
		{[]float64{1, 2}, []float64{3, 4}, 0},
		{[]float64{1, 1}, []float64{1, 1}, 0.5},
		{[]float64{1, 3}, []float64{2}, 0.5},
		{[]float64{2, 3, 3}, []float64{1, 3}, (1 + 1 + 0.5 + 1 + 0.5 + 0) / 6}, // pairs (pos, neg) by hand
	} {
		if got := AUC(tc.pos, tc.neg); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("AUC(%v, %v) = %v, want %v", tc.pos, tc.neg, got, tc.want)
		}
	}
	if !math.IsNaN(AUC(nil, []float64{1})) {
		t.Error("AUC with no positives is not NaN")
	}
}

func TestBootstrap2MedianRatio(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	a, b := make([]float64, 200), make([]float64, 100)
	for i := range a {
		a[i] = 1 + rng.Float64()
	}
	for i := range b {
		b[i] = 1 + rng.Float64()
	}
	ratio := func(i1, i2 []int) float64 { return Median(pick(a, i1)) / Median(pick(b, i2)) }
	iv := Bootstrap2(len(a), len(b), 0, 1, ratio)
	if !iv.Contains(1) || iv.N != 100 || !iv.Valid() {
		t.Fatalf("ratio of medians of one distribution: %v, want an interval around 1 with n = 100", iv)
	}
}

func pick(v []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for k, i := range idx {
		out[k] = v[i]
	}
	return out
}

// TestStratifiedPairedMeanDiff: two groups with gains of exactly 1 and 3 on every unit have a mean
// gain of 2 with a zero-width interval; one group reduces to PairedMeanDiff's estimate.
func TestStratifiedPairedMeanDiff(t *testing.T) {
	a := [][]float64{{2, 2, 2}, {5, 5, 5, 5}}
	b := [][]float64{{1, 1, 1}, {2, 2, 2, 2}}
	iv := StratifiedPairedMeanDiff(a, b, 1)
	if iv.Estimate != 2 || iv.Lo != 2 || iv.Hi != 2 || iv.N != 3 {
		t.Fatalf("got %+v, want 2 [2, 2] with n = 3", iv)
	}
	one := StratifiedPairedMeanDiff([][]float64{{1, 0, 1, 1}}, [][]float64{{0, 0, 1, 0}}, 1)
	if one.Estimate != 0.5 || !one.Valid() {
		t.Fatalf("one group: %+v", one)
	}
	if StratifiedPairedMeanDiff([][]float64{{1}}, [][]float64{{1, 2}}, 1).Valid() {
		t.Error("unequal group gave a valid interval")
	}
}

// TestPairedTracesNeeded against Connor's formula worked by hand: discordance 0.3, a 12.4-point
// difference, 80% power: (1.95996 x 0.54772 + 0.84162 x 0.53350)² / 0.015376 = 150.8, so 151.
func TestPairedTracesNeeded(t *testing.T) {
	if n := PairedTracesNeeded(0.124, 0.3, 0.8); n != 151 {
		t.Errorf("PairedTracesNeeded(0.124, 0.3, 0.8) = %d, want 151", n)
	}
	if PairedTracesNeeded(0.05, 0.3, 0.8) <= PairedTracesNeeded(0.124, 0.3, 0.8) {
		t.Error("a smaller effect does not need more traces")
	}
	for _, bad := range [][3]float64{{0, 0.3, 0.8}, {0.5, 0.3, 0.8}, {0.1, 0.3, 1}} {
		if n := PairedTracesNeeded(bad[0], bad[1], bad[2]); n != 0 {
			t.Errorf("PairedTracesNeeded%v = %d, want 0", bad, n)
		}
	}
}

// TestIntervalJSON: an invalid interval (NaN ends, as results cache them) writes as null and reads
// back as NaN; a valid one round-trips exactly.
func TestIntervalJSON(t *testing.T) {
	for _, iv := range []Interval{
		{Estimate: 0.5, Lo: 0.25, Hi: 0.75, Method: "t", N: 9},
		{Estimate: 3, Lo: math.NaN(), Hi: math.Inf(1), Method: "bootstrap", N: 1},
		{Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN()},
	} {
		b, err := json.Marshal(iv)
		if err != nil {
			t.Fatalf("%+v: %v", iv, err)
		}
		var back Interval
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		same := func(a, b float64) bool { return a == b || (math.IsNaN(a) || math.IsInf(a, 0)) && math.IsNaN(b) }
		if !same(iv.Estimate, back.Estimate) || !same(iv.Lo, back.Lo) || !same(iv.Hi, back.Hi) || iv.Method != back.Method || iv.N != back.N {
			t.Errorf("%+v -> %s -> %+v", iv, b, back)
		}
	}
}

// TestRoundSignificant: significant digits, not decimals; 0, NaN and infinities pass unchanged.
func TestRoundSignificant(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		d    int
		want float64
	}{{12.3456, 3, 12.3}, {0.0012345, 2, 0.0012}, {-98765, 2, -99000}, {0, 3, 0}, {1.5, 1, 2}} {
		if got := RoundSignificant(tc.x, tc.d); math.Abs(got-tc.want) > 1e-12*math.Abs(tc.want) {
			t.Errorf("RoundSignificant(%g, %d) = %g, want %g", tc.x, tc.d, got, tc.want)
		}
	}
	if !math.IsNaN(RoundSignificant(math.NaN(), 3)) || !math.IsInf(RoundSignificant(math.Inf(-1), 3), -1) {
		t.Error("NaN or infinity changed")
	}
}
