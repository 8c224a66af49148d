// Package stats gives every number a verdict rests on its 95% interval, and decides claims by one rule.
//
// # Intervals
//
// An [Interval] is a point estimate with a two-sided confidence interval, the method that made it and
// the number of independent units behind it (test traces, folds, models). Three methods:
//
//   - [Bootstrap]: the percentile bootstrap of any statistic of n units resampled with replacement,
//     B = 2000 replicates by default (Efron & Tibshirani 1993, ch. 13). [PairedMeanDiff] is the paired
//     bootstrap of mean(a - b) over units measured under both conditions: each replicate draws units, not
//     values, so the correlation between the two conditions (the same test trace classified twice) is
//     kept and the interval is narrower than two independent ones would give.
//
//   - [TInterval]: mean ± t_{0.975, n-1} s / sqrt(n) over n independent repeats (folds, models), with s
//     the sample standard deviation: for a handful of repeats, where a bootstrap over so few values is
//     too narrow.
//
//   - [Wilson]: the Wilson score interval of a proportion k/n,
//
//     (p + z²/2n ± z sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n),  z = 1.96,
//
//     which, unlike p ± z sqrt(p(1-p)/n), stays inside [0, 1] and is not empty at k = 0 or k = n.
//
// # The verdict rule
//
// A claim is a statement "d > m" (or "d < m") about a difference d, with m the claim's margin (0 for
// "synth beats original", -10 for "within 10 points"). [Decide] turns the interval of d into one of
// three outcomes:
//
//	holds          the whole interval is on the claimed side of m   (Lo > m for "d > m")
//	does not hold  the whole interval is on the other side         (Hi < m)
//	cannot tell    the interval contains m (touching counts), or there is no interval
//
// When it cannot tell, [Verdict.Needed] estimates how many units would decide it, assuming the
// interval's half-width h shrinks as 1/sqrt(n): n_needed = n (h / |d - m|)²; it is 0 when the estimate
// sits exactly on the margin (no sample size decides a zero effect).
package stats
