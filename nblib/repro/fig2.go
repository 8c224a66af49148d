package repro

import (
	"fmt"
	"io"
	"strings"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/nblib/plots"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// FidelityDatasets are the datasets of Fig. 2(a) and Fig. 7 of the preset (Figures.FidelityDatasets) as
// dataset and group: smoke and cpu run one per kind of traffic with a class structure of the paper's (D1
// video per platform, D3 commands per device, WW access types) and the real Echo traffic ("alexa"); full
// adds the other platforms and devices and D2.
func FidelityDatasets(p preset.Preset) [][2]string {
	var out [][2]string
	for _, name := range p.Figures.FidelityDatasets {
		d, g, _ := strings.Cut(name, "-")
		out = append(out, [2]string{d, g})
	}
	return out
}

// Fig2 runs (or loads) the experiment of every fidelity dataset.
func Fig2(p preset.Preset, force bool, log io.Writer) ([]*ExperimentResult, error) {
	var out []*ExperimentResult
	for _, d := range FidelityDatasets(p) {
		res, err := RunExperiment(ExperimentFor(p, d[0], d[1]), force, log)
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

// Fig2Table lists each dataset's fidelity numbers, with the floors (real test vs real training
// images) of the FID and of the size-matched per-class FID.
func Fig2Table(results []*ExperimentResult) (header []string, rows [][]string) {
	header = []string{"dataset", "classes", "FID", "KID (unbiased; may be negative)", "per-class FID", "pixel JSD (bits)",
		"FID floor", "per-class FID, size-matched (floor)"}
	for _, r := range results {
		rows = append(rows, []string{r.Name, fmt.Sprint(len(r.Classes)), fmt.Sprintf("%.3f", r.FID), fmt.Sprintf("%.4f", r.KID),
			fmt.Sprintf("%.3f ± %.3f", r.ClassFIDMean, r.ClassFIDStd), fmt.Sprintf("%.4f", r.Hist.JSD),
			fmt.Sprintf("%.3f", r.FIDFloor), fmt.Sprintf("%.3f (%.3f)", r.ClassFIDMatchedMean, r.ClassFIDFloorMean)})
	}
	return header, rows
}
