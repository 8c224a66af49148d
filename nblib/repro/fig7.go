package repro

import (
	"io"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/preset"
)

// FidelityDatasets are the datasets of Fig. 7 of the preset (Figures.FidelityDatasets) as
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

// Fig7 runs (or loads) the experiment of every fidelity dataset: Fig. 7 draws their pixel histograms
// (ExperimentResult.HistogramPlot). The experiments are those of Fig. 2(a), shared through the cache.
func Fig7(p preset.Preset, force bool, log io.Writer) ([]*ExperimentResult, error) {
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
