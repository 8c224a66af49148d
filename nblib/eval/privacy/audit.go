package privacy

import (
	"fmt"
	"math"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/nblib/eval/stats"
)

// DefaultNearCopyQuantile is q: a near copy is closer to its nearest training example than this
// quantile of the test examples' distances.
const DefaultNearCopyQuantile = 0.05

// Config sets the audit; the zero value is the default.
type Config struct {
	NearCopyQuantile float64 // q; 0: DefaultNearCopyQuantile
	Replicates       int     // bootstrap replicates; 0: stats.DefaultReplicates
	Seed             uint64
}

// Set is labelled examples, one per row.
type Set struct {
	X *mat.Dense
	Y []int
}

func (s Set) check(name string) error {
	if s.X == nil || s.X.IsEmpty() {
		return fmt.Errorf("privacy: the %s set is empty", name)
	}
	if r, _ := s.X.Dims(); r != len(s.Y) {
		return fmt.Errorf("privacy: the %s set has %d rows but %d labels", name, r, len(s.Y))
	}
	return nil
}

// Result is the audit of one class, or of all classes pooled (Class -1).
type Result struct {
	Class              int
	Train, Test, Synth int // examples
	// DCRRatio is median DCR of synthetic over median DCR of test examples (1: as fresh data).
	DCRRatio stats.Interval
	// NearCopyShare is the share of synthetic examples closer than the NearCopyQuantile of the test
	// examples' DCR (fresh data: the quantile itself).
	NearCopyShare stats.Interval
	// MembershipAUC is the distance attack's AUC, DensityRatioAUC the density-ratio attack's (0.5:
	// nothing leaks).
	MembershipAUC, DensityRatioAUC stats.Interval
}

// Report is the audit of one synthetic set.
type Report struct {
	Space            string // what the rows are: "images" or "decoded traces"
	NearCopyQuantile float64
	Pooled           Result
	Classes          []Result // classes with at least two training, test and synthetic examples
	// The verdicts on the pooled intervals (package doc): Closer is "DCR ratio < 1", NearCopies "share
	// > q", Membership and DensityRatio "AUC > 0.5".
	Closer, NearCopies, Membership, DensityRatio stats.Verdict
	Flagged                                      bool
	Warning                                      string `json:",omitempty"`
}

// Audit measures train (the generator's training examples), test (held-out real examples of the same
// classes) and synth (the generator's output) in one space, named by space.
func Audit(space string, train, test, synth Set, c Config) (*Report, error) {
	for _, s := range []struct {
		name string
		set  Set
	}{{"training", train}, {"test", test}, {"synthetic", synth}} {
		if err := s.set.check(s.name); err != nil {
			return nil, err
		}
	}
	_, d1 := train.X.Dims()
	_, d2 := test.X.Dims()
	_, d3 := synth.X.Dims()
	if d1 != d2 || d1 != d3 {
		return nil, fmt.Errorf("privacy: examples differ in size (training %d, test %d, synthetic %d values)", d1, d2, d3)
	}
	if c.NearCopyQuantile == 0 {
		c.NearCopyQuantile = DefaultNearCopyQuantile
	}
	if !(c.NearCopyQuantile > 0 && c.NearCopyQuantile < 0.5) {
		return nil, fmt.Errorf("privacy: the near-copy quantile %v is outside (0, 0.5)", c.NearCopyQuantile)
	}
	sc := measure(train, test, synth)
	r := &Report{Space: space, NearCopyQuantile: c.NearCopyQuantile}
	r.Pooled = sc.result(-1, c)
	if r.Pooled.Test < 2 || r.Pooled.Synth < 2 {
		return nil, fmt.Errorf("privacy: too few examples to audit: %d test and %d synthetic examples share a class with the training set (need 2 of each)",
			r.Pooled.Test, r.Pooled.Synth)
	}
	for _, k := range sc.classes() {
		if res := sc.sub(k).result(k, c); res.Train >= 2 && res.Test >= 2 && res.Synth >= 2 {
			r.Classes = append(r.Classes, res)
		}
	}
	r.decide()
	return r, nil
}

// decide applies the verdict rule to the pooled intervals and words the warning.
func (r *Report) decide() {
	p := r.Pooled
	r.Closer = stats.Decide(stats.Less(1), p.DCRRatio)
	r.NearCopies = stats.Decide(stats.Greater(r.NearCopyQuantile), p.NearCopyShare)
	r.Membership = stats.Decide(stats.Greater(0.5), p.MembershipAUC)
	r.DensityRatio = stats.Decide(stats.Greater(0.5), p.DensityRatioAUC)
	var signs []string
	if r.Closer.Outcome == stats.Holds {
		signs = append(signs, fmt.Sprintf("they sit closer to the training examples than fresh real data does (distance ratio %.2f, fresh data: 1)", p.DCRRatio.Estimate))
	}
	if r.NearCopies.Outcome == stats.Holds {
		signs = append(signs, fmt.Sprintf("%.0f%% of them are near copies of a training example (fresh data: %.0f%%)", 100*p.NearCopyShare.Estimate, 100*r.NearCopyQuantile))
	}
	if r.Membership.Outcome == stats.Holds || r.DensityRatio.Outcome == stats.Holds {
		signs = append(signs, fmt.Sprintf("an attacker holding them can tell training examples from other real ones (AUC %.2f / %.2f, no leak: 0.5)",
			p.MembershipAUC.Estimate, p.DensityRatioAUC.Estimate))
	}
	if len(signs) == 0 {
		return
	}
	r.Flagged = true
	r.Warning = fmt.Sprintf("WARNING: the synthetic %s may copy their training data: %s. Do not share them as private; "+
		"train on more traces or for fewer steps, and audit again.", r.Space, strings.Join(signs, "; "))
}

// Summary is one line a reader can act on: the pooled numbers with their intervals.
func (r *Report) Summary() string {
	p := r.Pooled
	state := "no sign of copying"
	if r.Flagged {
		state = "FLAGGED: possible copying"
	}
	return fmt.Sprintf("memorization audit (%s, %d training / %d test / %d synthetic, 95%% bootstrap intervals): %s; DCR ratio %s (fresh data: 1); near copies %s (fresh data: %.2f); membership AUC %s, density-ratio AUC %s (no leak: 0.5)",
		r.Space, p.Train, p.Test, p.Synth, state, p.DCRRatio.Short("%.2f"), p.NearCopyShare.Short("%.2f"), r.NearCopyQuantile, p.MembershipAUC.Short("%.2f"), p.DensityRatioAUC.Short("%.2f"))
}

// Table is the report as rows for a notebook or terminal table: pooled first, then each class (named
// by classes when given).
func (r *Report) Table(classes []string) (header []string, rows [][]string) {
	header = []string{"class", "train / test / synth", "DCR ratio (fresh: 1)", fmt.Sprintf("near copies (fresh: %.2f)", r.NearCopyQuantile), "membership AUC (no leak: 0.5)", "density-ratio AUC"}
	row := func(name string, x Result) []string {
		return []string{name, fmt.Sprintf("%d / %d / %d", x.Train, x.Test, x.Synth), x.DCRRatio.Short("%.2f"), x.NearCopyShare.Short("%.2f"),
			x.MembershipAUC.Short("%.2f"), x.DensityRatioAUC.Short("%.2f")}
	}
	rows = append(rows, row("all (pooled)", r.Pooled))
	for _, x := range r.Classes {
		name := fmt.Sprint(x.Class)
		if x.Class >= 0 && x.Class < len(classes) {
			name = classes[x.Class]
		}
		rows = append(rows, row(name, x))
	}
	return header, rows
}

// finite reports whether v is a finite number.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
