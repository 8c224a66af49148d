package repro

import (
	"fmt"
	"strings"
)

// SideBySideTable puts experiments in columns, one named by each entry of names, and the measures a
// reader compares across runs in rows: FID with its real-vs-real floor, per-class FID, the pixel
// histograms' JSD, and per classifier the accuracy in the original / synth / ori+synth scenarios
// ("-" where a run lacks that classifier). Notebook 06 sets the real Echo traffic beside its synthetic
// stand-in with it.
func SideBySideTable(names []string, results ...*ExperimentResult) (header []string, rows [][]string, err error) {
	if len(names) != len(results) {
		return nil, nil, fmt.Errorf("side-by-side table: %d names for %d results", len(names), len(results))
	}
	header = append([]string{"measure"}, names...)
	row := func(measure string, cell func(*ExperimentResult) string) {
		r := []string{measure}
		for _, res := range results {
			r = append(r, cell(res))
		}
		rows = append(rows, r)
	}
	row("FID (PCA features)", func(r *ExperimentResult) string { return fmt.Sprintf("%.3f", r.FID) })
	row("FID floor (real vs real)", func(r *ExperimentResult) string { return fmt.Sprintf("%.3f", r.FIDFloor) })
	row("per-class FID", func(r *ExperimentResult) string { return fmt.Sprintf("%.2f ± %.2f", r.ClassFIDMean, r.ClassFIDStd) })
	row("pixel histogram JSD (bits)", func(r *ExperimentResult) string { return fmt.Sprintf("%.4f", r.Hist.JSD) })
	for _, c := range classifierUnion(results) {
		row(c+": "+strings.Join(scenarios, " / "), func(r *ExperimentResult) string { return r.scenarioAccuracies(c) })
	}
	return header, rows, nil
}

// classifierUnion lists the classifiers of every result, each once, in the order they first appear.
func classifierUnion(results []*ExperimentResult) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range results {
		for _, s := range r.Accuracy {
			if !seen[s.Classifier] {
				seen[s.Classifier] = true
				out = append(out, s.Classifier)
			}
		}
	}
	return out
}

// scenarioAccuracies is one classifier's mean accuracy per scenario, "0.700 / 0.400 / 0.650", with "-"
// for a scenario the result does not hold.
func (r *ExperimentResult) scenarioAccuracies(classifier string) string {
	cells := make([]string, len(scenarios))
	for i, sc := range scenarios {
		cells[i] = "-"
		for _, s := range r.Accuracy {
			if s.Classifier == classifier && s.Scenario == sc {
				cells[i] = fmt.Sprintf("%.3f", s.AccMean)
			}
		}
	}
	return strings.Join(cells, " / ")
}
