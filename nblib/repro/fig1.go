package repro

import (
	"fmt"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/gasf"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/plots"
)

// Fig1Config chooses the trace and image of Fig. 1: what gamma correction does to a GASF image.
type Fig1Config struct {
	Dataset string  // a default dataset: d1, d2, d3 or ww
	Trace   int     // index of the trace in the dataset
	Size    int     // image side S
	Gamma   float64 // the paper's 0.25
	Seed    uint64  // dataset seed
}

// Fig1Default is the paper's setting: a D1 video trace (720 bins of 0.25 s), 128x128, gamma 0.25.
func Fig1Default() Fig1Config {
	return Fig1Config{Dataset: "d1", Trace: 0, Size: 128, Gamma: 0.25, Seed: datasets.DefaultSeed}
}

// Fig1Result holds one trace's GASF image before (gamma 1, that is (G+1)/2) and after gamma correction.
type Fig1Result struct {
	Config    Fig1Config
	Label     string
	Series    []float64
	Raw       *gasf.Image // (G+1)/2, resized and quantised
	Corrected *gasf.Image // ((G+1)/2)^gamma
}

// Fig1 images one trace of the small variant of the chosen dataset with and without gamma correction.
// Imaging takes milliseconds, so the result is not cached.
func Fig1(cfg Fig1Config) (*Fig1Result, error) {
	ds, err := datasets.Load(cfg.Dataset, datasets.Small, cfg.Seed)
	if err != nil {
		return nil, err
	}
	if cfg.Trace < 0 || cfg.Trace >= len(ds.Traces) {
		return nil, fmt.Errorf("fig1: trace %d: dataset %s has %d traces", cfg.Trace, ds.Name, len(ds.Traces))
	}
	tr := &ds.Traces[cfg.Trace]
	series, err := ds.Default.Of(tr)
	if err != nil {
		return nil, fmt.Errorf("fig1: trace %s: %w", tr.ID, err)
	}
	res := &Fig1Result{Config: cfg, Label: tr.Label, Series: series}
	p := gasf.DefaultParams(cfg.Size)
	p.Gamma = 1
	if res.Raw, err = gasf.Encode(series, p); err != nil {
		return nil, fmt.Errorf("fig1: trace %s: %w", tr.ID, err)
	}
	p.Gamma = cfg.Gamma
	if res.Corrected, err = gasf.Encode(series, p); err != nil {
		return nil, fmt.Errorf("fig1: trace %s: %w", tr.ID, err)
	}
	return res, nil
}

// Plots returns Fig. 1(a), the pixel histograms of the raw and gamma-corrected image, and Fig. 1(b), the
// gamma-corrected GASF image.
func (r *Fig1Result) Plots() (hist, image *plot.Plot, err error) {
	hist, err = plots.Histograms(fmt.Sprintf("Fig. 1(a): GASF pixels, %s", r.Label), "pixel value", 32,
		plots.Named{Name: "raw (G+1)/2", Values: pixelValues(r.Raw)},
		plots.Named{Name: fmt.Sprintf("gamma %.2g", r.Config.Gamma), Values: pixelValues(r.Corrected)})
	if err != nil {
		return nil, nil, err
	}
	image = plots.Heatmap(r.Corrected, fmt.Sprintf("Fig. 1(b): GASF of %s (%dx%d, gamma %.2g)", r.Label, r.Config.Size, r.Config.Size, r.Config.Gamma))
	return hist, image, nil
}

// pixelValues returns an image's pixels scaled to [0,1].
func pixelValues(m *gasf.Image) []float64 {
	out := make([]float64, len(m.Pix))
	for i, v := range m.Pix {
		out[i] = pixels.ByteToUnit(v)
	}
	return out
}
