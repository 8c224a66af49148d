package trafficio

// IntegrateThroughput turns one bandwidth log, times t (seconds, non-decreasing)
// and rates r (Mbit/s) of equal length, into bytes per step seconds, exactly
// as ReadThroughput does for a file: the rate r_i holds on [t_i, t_{i+1}),
// times are taken relative to t_0 and the last line only closes the previous
// interval. Fewer than two lines give nil. It panics if len(t) != len(r).
func IntegrateThroughput(t, r []float64, step float64) []float64 {
	if len(t) != len(r) {
		panic("trafficio: IntegrateThroughput needs as many rates as times")
	}
	s := make([]rateSample, len(t))
	for i := range t {
		s[i] = rateSample{t[i], r[i]}
	}
	return integrateRate(s, step)
}
