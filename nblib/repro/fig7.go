package repro

import (
	"fmt"
	"io"

	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Fig7 runs (or loads) the experiment of every dataset of the preset's Figures.FidelityDatasets (smoke
// and cpu: one per kind of traffic with a class structure of the paper's, D1 video per platform, D3
// commands per device, WW access types, and the real Echo traffic; full adds the other platforms and
// devices and D2): Fig. 7 draws their pixel histograms (ExperimentResult.HistogramPlot). The experiments
// are those of Fig. 2(a), shared through the cache.
func Fig7(p preset.Preset, force bool, log io.Writer) ([]*ExperimentResult, error) {
	return experiments(p, p.Figures.FidelityDatasets, force, log)
}

// experiments runs (or loads) the standard experiment of each named dataset ("d1-netflix", "ww"), in
// order.
func experiments(p preset.Preset, names []string, force bool, log io.Writer) ([]*ExperimentResult, error) {
	if log == nil {
		log = io.Discard
	}
	var out []*ExperimentResult
	for _, name := range names {
		d, g := splitName(name)
		r, err := RunExperiment(ExperimentFor(p, d, g), force, log)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out = append(out, r)
	}
	return out, nil
}
