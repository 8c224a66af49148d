package repro

import (
	"strings"
	"testing"
)

// constant returns n copies of v.
func constant(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// spread returns n values alternating centre - d and centre + d.
func spread(n int, centre, d float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = centre - d
		if i%2 == 1 {
			out[i] = centre + d
		}
	}
	return out
}

// TestFig5Verdicts decides the three claims on per-trace values: a recall gain on every anomaly test
// trace holds; a step where anomalous traces are not more uncertain makes the separation fail; a
// drop of the legitimate entropy inside the noise cannot tell; and a result without per-trace values
// answers on point estimates.
func TestFig5Verdicts(t *testing.T) {
	recall := []Fig5Recall{{Platform: "D1-Netflix", Anomaly: 2, Length: "full", Original: 50, WithSyn: 100,
		OriginalItems: spread(20, 0.5, 0.5), WithSynItems: constant(20, 1)}}
	entropy := []Fig5Entropy{
		{Platform: "D1-Netflix", SynthPerClass: 0, LegitMean: 0.5, AnomalyMean: 1.5, LegitEntropy: spread(50, 0.5, 0.1), AnomalyEntropy: spread(20, 1.5, 0.1)},
		{Platform: "D1-Netflix", SynthPerClass: 8, LegitMean: 0.49, AnomalyMean: 0.3, LegitEntropy: spread(50, 0.49, 0.4), AnomalyEntropy: spread(20, 0.3, 0.1)},
	}
	v := Fig5Verdicts(&Fig5Result{Recall: recall, Entropy: entropy})
	want := []string{
		"sub-case 1, synthetic anomaly traces raise the anomaly recall (with - without, points): holds (",
		"sub-case 2, anomalous traces get the higher entropy (anomalous - legitimate mean, nats): does not hold (",
		"sub-case 2, synthetic legitimate traces lower the legitimate entropy (last - first step, nats): cannot tell (",
	}
	if len(v) != len(want) {
		t.Fatalf("%d verdicts, want %d: %q", len(v), len(want), v)
	}
	for i := range want {
		if !strings.HasPrefix(v[i], want[i]) {
			t.Errorf("verdict %d: %q\nwant prefix %q", i, v[i], want[i])
		}
	}
	old := &Fig5Result{Recall: []Fig5Recall{{Platform: "D1-Netflix", Original: 50, WithSyn: 100}},
		Entropy: []Fig5Entropy{{Platform: "D1-Netflix", LegitMean: 0.5, AnomalyMean: 1.5}}}
	for _, line := range Fig5Verdicts(old) {
		if !strings.Contains(line, ": cannot tell (no interval: ") {
			t.Errorf("without per-trace values: %q", line)
		}
	}
}
