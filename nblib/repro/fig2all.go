package repro

import (
	"fmt"
	"io"

	"github.com/netdiffus/netdiffus/nblib/preset"
)

// AllFidelityDatasets are the seven datasets of the paper's Fig. 2(a): D1 x 3, D2, D3 x 2 and WW.
// The real Echo traffic ("alexa") follows them in cpu and full.
var AllFidelityDatasets = []string{"d1-youtube", "d1-stan", "d1-netflix", "d2", "d3-google", "d3-alexa", "ww", "alexa"}

// Fig2AllConfig is Fig. 2(a) over the datasets of a preset.
type Fig2AllConfig struct {
	Preset   preset.Preset
	Datasets []string
}

// Fig2AllFor is Fig. 2(a)'s configuration: the preset's Figures.FidelityDatasets in smoke (a subset,
// the models the notebooks train), all seven datasets in cpu and full.
func Fig2AllFor(p preset.Preset) Fig2AllConfig {
	c := Fig2AllConfig{Preset: p, Datasets: AllFidelityDatasets}
	if p.Name == preset.Smoke {
		c.Datasets = p.Figures.FidelityDatasets
	}
	return c
}

// Fig2All runs (or loads) the standard experiment of every dataset of c, each cached on its own as
// RunExperiment caches it (so 03_netdiffus, 04_fidelity and this share models and results).
func Fig2All(c Fig2AllConfig, force bool, log io.Writer) ([]*ExperimentResult, error) {
	if log == nil {
		log = io.Discard
	}
	var out []*ExperimentResult
	for _, name := range c.Datasets {
		d, g := splitName(name)
		r, err := RunExperiment(ExperimentFor(c.Preset, d, g), force, log)
		if err != nil {
			return nil, fmt.Errorf("fig2 %s: %w", name, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func init() {
	register(Item{Name: "fig2", Title: "Fig. 2(a): per-class FID over the paper's seven datasets",
		Config: func(p preset.Preset) any { return Fig2AllFor(p) },
		Decode: decodeResult[[]*ExperimentResult],
		Run: func(p preset.Preset, force bool, log io.Writer) (any, error) {
			return Fig2All(Fig2AllFor(p), force, log)
		},
		Table: func(r any) ([]string, [][]string) { return Fig2Table(r.([]*ExperimentResult)) }})
}
