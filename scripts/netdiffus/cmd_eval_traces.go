package main

import (
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

// attachTraces reads the real traces behind the -real images (eval -traces) into data; "" does nothing.
func attachTraces(path string, data *pipeline.Data, fraction float64) error {
	if path == "" {
		return nil
	}
	ds, _, err := trafficio.ReadNPZ(path, trafficio.ArrayOptions{})
	if err != nil {
		return err
	}
	series, err := ds.Series(ds.Default)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := data.AttachSeries(series, ds.Labels(), ds.Default, fraction); err != nil {
		return fmt.Errorf("-traces %s: %w", path, err)
	}
	return nil
}

// printRealTraces prints the trace fidelity against the real traces, when measured.
func printRealTraces(m *pipeline.Measures) {
	if m.RealTraceNote != "" {
		fmt.Println("traces against the real traces: not measured:", m.RealTraceNote)
	}
	for _, r := range []struct {
		name string
		f    *features.RealTraceFidelity
	}{{"full-length decoder", m.RealTraces}, {"image side, class-mean range", m.RealTracesImageSide}} {
		if r.f == nil {
			continue
		}
		fmt.Printf("traces against the real traces (%s; %d synthetic vs %d real values a trace):\n", r.name, r.f.Lengths[2], r.f.Lengths[0])
		fmt.Printf("  value JSD %s bits, value EMD %s, length EMD %s, volume EMD within class %s\n", r.f.ValueJSD, r.f.ValueEMD, r.f.LengthEMD, r.f.VolumeEMD)
		fmt.Printf("  autocorrelation (lags 1..%d) %s, discriminative score %s\n", r.f.MaxLag, r.f.Autocorrelation, r.f.Discriminative)
	}
}
