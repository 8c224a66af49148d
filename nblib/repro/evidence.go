package repro

import (
	"fmt"
	"math"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/eval/stats"
)

// verdictSeed fixes the bootstrap of every verdict, so that a result always reads the same.
const verdictSeed = 2027

// gain is the paired interval, in points, of accuracy a minus accuracy b measured on the same test
// traces; without per-trace outcomes (a result made before they were kept) it has no interval.
func gain(a, b Acc) stats.Interval {
	if len(a.Items) == 0 || len(a.Items) != len(b.Items) {
		return stats.Interval{Estimate: a.Mean - b.Mean, Lo: math.NaN(), Hi: math.NaN(), Method: "paired bootstrap"}
	}
	return stats.PairedMeanDiff(a.Items, b.Items, verdictSeed).Scale(100)
}

// level is the bootstrap interval, in percent, of an accuracy.
func level(a Acc) stats.Interval {
	if len(a.Items) == 0 {
		return stats.Interval{Estimate: a.Mean, Lo: math.NaN(), Hi: math.NaN(), Method: "bootstrap"}
	}
	return stats.BootstrapMean(a.Items, verdictSeed).Scale(100)
}

// accCase is one dataset (row, length) of a claim about two accuracies on the same test traces: the
// claim is about A - B.
type accCase struct {
	Name string
	A, B Acc
}

// judgeGains decides "A - B > margin" (or < margin, by c) on every case with the one rule
// (stats.Decide) and words the verdict: the paper claims it of every case, so the claim holds when it
// holds on each, does not hold when it fails on any, and cannot tell otherwise (stats.Combine). The
// line gives the mean gain over the cases with its stratified paired interval, the count of each
// outcome, and how many test traces per case would decide the undecided ones.
func judgeGains(claim string, c stats.Claim, cases []accCase, paper string) string {
	if len(cases) == 0 {
		return claim + ": cannot tell (nothing measured)."
	}
	var outcomes []stats.Outcome
	var a, b [][]float64
	counts := map[stats.Outcome][]string{}
	needed, items := 0, true
	for _, k := range cases {
		v := stats.Decide(c, gain(k.A, k.B))
		outcomes = append(outcomes, v.Outcome)
		counts[v.Outcome] = append(counts[v.Outcome], fmt.Sprintf("%s %+.1f", k.Name, v.Interval.Estimate))
		needed = max(needed, v.Needed)
		a, b = append(a, k.A.Items), append(b, k.B.Items)
		items = items && len(k.A.Items) > 0
	}
	overall := stats.Combine(outcomes...)
	var s strings.Builder
	fmt.Fprintf(&s, "%s: %s (", claim, overall)
	if mean := stats.StratifiedPairedMeanDiff(a, b, verdictSeed).Scale(100); items && mean.Valid() {
		fmt.Fprintf(&s, "mean %s points over %d, 95%% stratified paired bootstrap over %d+ test traces each", mean.Short("%+.1f"), len(cases), mean.N)
	} else {
		est := 0.0
		for _, k := range cases {
			est += k.A.Mean - k.B.Mean
		}
		fmt.Fprintf(&s, "mean %+.1f points over %d, no interval: this result holds no per-trace outcomes (made before the evidence protocol; regenerate it)", est/float64(len(cases)), len(cases))
	}
	for _, o := range []stats.Outcome{stats.Holds, stats.DoesNotHold, stats.CannotTell} {
		if len(counts[o]) > 0 {
			fmt.Fprintf(&s, "; %s on %d: %s", o, len(counts[o]), strings.Join(counts[o], ", "))
		}
	}
	if overall == stats.CannotTell && needed > 0 && items {
		fmt.Fprintf(&s, "; about %d test traces per case would decide the undecided", needed)
	}
	if paper != "" {
		s.WriteString("; the paper: " + paper)
	}
	s.WriteString(").")
	return s.String()
}

// namedInterval is one case of a claim: its name and the interval of the claimed quantity.
type namedInterval struct {
	Name string
	IV   stats.Interval
}

// judgeIntervals decides claim c on every case by the one rule, combines the outcomes
// (stats.Combine) and lists each case's interval (verb formats it) and outcome; method names how the
// intervals were drawn.
func judgeIntervals(claim string, c stats.Claim, cases []namedInterval, verb, method string) string {
	if len(cases) == 0 {
		return claim + ": cannot tell (nothing measured)."
	}
	var outcomes []stats.Outcome
	var parts []string
	for _, k := range cases {
		v := stats.Decide(c, k.IV)
		outcomes = append(outcomes, v.Outcome)
		parts = append(parts, fmt.Sprintf("%s %s %s", k.Name, k.IV.Short(verb), v.Outcome))
	}
	return fmt.Sprintf("%s: %s (95%% %s; %s).", claim, stats.Combine(outcomes...), method, strings.Join(parts, "; "))
}

// judgeLevels decides "accuracy > threshold" on every case (A only) as judgeGains does.
func judgeLevels(claim string, threshold float64, cases []accCase) string {
	if len(cases) == 0 {
		return claim + ": cannot tell (nothing measured)."
	}
	var outcomes []stats.Outcome
	var parts []string
	for _, k := range cases {
		v := stats.Decide(stats.Greater(threshold), level(k.A))
		outcomes = append(outcomes, v.Outcome)
		parts = append(parts, fmt.Sprintf("%s %s %s", k.Name, v.Interval.Short("%.1f"), v.Outcome))
	}
	return fmt.Sprintf("%s: %s (95%% bootstrap over test traces; %s).", claim, stats.Combine(outcomes...), strings.Join(parts, "; "))
}

// noInterval words a claim that this result cannot decide by the rule, with its point estimate.
func noInterval(claim, why, point string) string {
	return fmt.Sprintf("%s: cannot tell (no interval: %s; point estimate: %s).", claim, why, point)
}

// asPointEstimate turns a verdict line decided on point estimates ("claim: holds partly (2 of 3 ...).")
// into the rule's answer for a result without intervals: "claim: cannot tell (no interval: why; point
// estimate: holds partly, 2 of 3 ...)."
func asPointEstimate(why, line string) string {
	claim, rest, ok := strings.Cut(line, ": ")
	if !ok {
		return line
	}
	rest = strings.TrimSuffix(rest, ".")
	word, detail, _ := strings.Cut(rest, " (")
	detail = strings.TrimSuffix(detail, ")")
	if detail != "" {
		word += ", " + detail
	}
	return noInterval(claim, why, word)
}
