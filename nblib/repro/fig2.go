package repro

import (
	"fmt"
	"io"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/nblib/plots"
)

// FidelityDatasets are the datasets of Fig. 2(a) and Fig. 7 that the quick mode runs: one per kind of
// traffic with a class structure of the paper's (D1 video per platform, D3 commands per device, WW access
// types). Full mode adds the other platforms and devices and D2.
func FidelityDatasets(mode Mode) [][2]string {
	quick := [][2]string{{"d1", "netflix"}, {"d3", "google"}, {"ww", ""}}
	if mode == Quick {
		return quick
	}
	return append(quick, [2]string{"d1", "youtube"}, [2]string{"d1", "stan"}, [2]string{"d3", "alexa"}, [2]string{"d2", ""})
}

// Fig2 runs (or loads) the experiment of every fidelity dataset.
func Fig2(mode Mode, force bool, log io.Writer) ([]*ExperimentResult, error) {
	var out []*ExperimentResult
	for _, d := range FidelityDatasets(mode) {
		res, err := RunExperiment(ExperimentFor(mode, d[0], d[1]), force, log)
		if err != nil {
			return nil, err
		}
		out = append(out, res)
	}
	return out, nil
}

// Fig2Plot is Fig. 2(a): the mean per-class FID of each dataset, with its standard deviation over
// classes as a second bar.
func Fig2Plot(results []*ExperimentResult) (*plot.Plot, error) {
	names := make([]string, len(results))
	mean, std := make([]float64, len(results)), make([]float64, len(results))
	for i, r := range results {
		names[i], mean[i], std[i] = r.Name, r.ClassFIDMean, r.ClassFIDStd
	}
	return plots.Bars("Fig. 2(a): per-class FID by dataset (PCA features)", "Frechet distance", names,
		plots.Named{Name: "mean over classes", Values: mean}, plots.Named{Name: "std over classes", Values: std})
}

// Fig2Table lists each dataset's fidelity numbers.
func Fig2Table(results []*ExperimentResult) (header []string, rows [][]string) {
	header = []string{"dataset", "classes", "FID", "KID", "per-class FID", "pixel JSD (bits)"}
	for _, r := range results {
		rows = append(rows, []string{r.Name, fmt.Sprint(len(r.Classes)), fmt.Sprintf("%.3f", r.FID), fmt.Sprintf("%.4f", r.KID),
			fmt.Sprintf("%.3f ± %.3f", r.ClassFIDMean, r.ClassFIDStd), fmt.Sprintf("%.4f", r.Hist.JSD)})
	}
	return header, rows
}
