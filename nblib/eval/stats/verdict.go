package stats

import (
	"fmt"
	"math"
)

// Outcome is the answer of the verdict rule.
type Outcome int

// The three outcomes.
const (
	CannotTell Outcome = iota
	Holds
	DoesNotHold
)

func (o Outcome) String() string {
	switch o {
	case Holds:
		return "holds"
	case DoesNotHold:
		return "does not hold"
	}
	return "cannot tell"
}

// Side is the direction a claim states: the difference is above (Above) or below (Below) the margin.
type Side int

// The two sides of a claim.
const (
	Above Side = iota // d > m
	Below             // d < m
)

// Claim is "d > Margin" (Side Above) or "d < Margin" (Side Below) about a difference d.
type Claim struct {
	Side   Side
	Margin float64
}

// Greater is the claim d > m; Less is d < m.
func Greater(m float64) Claim { return Claim{Side: Above, Margin: m} }

// Less is the claim d < m.
func Less(m float64) Claim { return Claim{Side: Below, Margin: m} }

// Verdict is the rule's answer on one interval.
type Verdict struct {
	Outcome  Outcome
	Interval Interval
	Claim    Claim
	// Needed estimates the units that would decide a "cannot tell" (0 when none would, or when
	// decided): n (h / |d - m|)², h the half-width, rounded up.
	Needed int
	Reason string // why it cannot tell, when it cannot
}

// Decide applies the one verdict rule (package doc) to the interval of a claimed difference.
func Decide(c Claim, iv Interval) Verdict {
	v := Verdict{Interval: iv, Claim: c}
	if !iv.Valid() {
		v.Reason = "no interval"
		if iv.N > 0 && iv.N < 2 {
			v.Reason = fmt.Sprintf("no interval from %d unit", iv.N)
		}
		return v
	}
	above, below := iv.Lo > c.Margin, iv.Hi < c.Margin
	switch {
	case above && c.Side == Above, below && c.Side == Below:
		v.Outcome = Holds
	case above && c.Side == Below, below && c.Side == Above:
		v.Outcome = DoesNotHold
	default:
		v.Reason = "the interval contains the margin"
		v.Needed = needed(iv, c.Margin)
	}
	return v
}

// needed is n (h / |d - m|)², rounded up; 0 when d = m.
func needed(iv Interval, m float64) int {
	gap := math.Abs(iv.Estimate - m)
	if gap == 0 || iv.N <= 0 {
		return 0
	}
	r := iv.HalfWidth() / gap
	n := math.Ceil(float64(iv.N) * r * r)
	if n > 1e9 {
		return 0
	}
	return int(n)
}

// String prints the outcome with the interval and, for "cannot tell", what would decide it:
// "holds (+5.0 [+1.2, +8.8] (95%, paired bootstrap, n = 40))".
func (v Verdict) String() string { return v.Format("%+.2f") }

// Format is String with the verb given for the numbers.
func (v Verdict) Format(verb string) string {
	s := v.Outcome.String() + " (" + v.Interval.Format(verb)
	if v.Outcome == CannotTell {
		switch {
		case v.Needed > v.Interval.N:
			s += fmt.Sprintf("; about %d units would decide it", v.Needed)
		case v.Reason != "" && v.Reason != "the interval contains the margin":
			s += "; " + v.Reason
		}
	}
	return s + ")"
}

// Combine is the outcome of a claim made of several parts that must all hold: holds when every part
// holds, does not hold when any part does not, cannot tell otherwise.
func Combine(parts ...Outcome) Outcome {
	out := Holds
	for _, p := range parts {
		switch p {
		case DoesNotHold:
			return DoesNotHold
		case CannotTell:
			out = CannotTell
		}
	}
	if len(parts) == 0 {
		return CannotTell
	}
	return out
}
