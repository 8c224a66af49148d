package pipeline

import (
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// TraceOptions configure SyntheticTraces.
type TraceOptions struct {
	// Unit keeps the decoded series on [0, 1] at the samples' resolution (no decoder, no ranges).
	Unit bool
	// Step is the time between the values of a per-packet feature, in seconds (binned bytes keep their
	// bin width); 0 means 1.
	Step   float64
	Seed   uint64     // the decoder's draws (values, donor, scale)
	Scale  ScaleMode  // where each trace's scale comes from ("": ScaleDonor)
	Detail DetailMode // where each trace's values and detail come from ("": DetailAR1)
}

// SyntheticTraces decodes samples x (labels in class order of info.Classes) of the model folder dir into
// a dataset of packet traces for the trace and capture writers, with the feature that gives the series
// back from the packets (for the NPZ writer). With the folder's TraceDecoder the traces are full length
// in real units with a scale each, turned into packets by traffic.PacketsFromSeries; without one
// (models trained from image files, or before decoder.json existed) they keep the samples' resolution,
// scaled to info.Ranges when known (else [0, 1]), one packet per value, and note says so. note is ""
// when the full decoder was used.
func SyntheticTraces(dir string, info ModelInfo, x diffusion.Array, labels []int, opt TraceOptions) (ds *traffic.Dataset, f traffic.Feature, note string, err error) {
	if opt.Step <= 0 {
		opt.Step = 1
	}
	series, err := Decode(x)
	if err != nil {
		return nil, f, "", err
	}
	name := "synthetic-" + info.Data
	if opt.Unit {
		ds, f, err = Traces(name, info.Classes, series, labels, nil, opt.Step)
		return ds, f, "series kept on [0, 1] at the samples' resolution (-unit)", err
	}
	td, ok, err := ReadDecoder(dir)
	if err != nil {
		return nil, f, "", err
	}
	if !ok {
		note = fmt.Sprintf("%s has no %s (trained from image files, or before it was kept): traces keep the samples' %d values", dir, DecoderFile, len(series[0]))
		if info.Ranges == nil {
			note += " on [0, 1] (no value ranges either)"
		} else {
			note += ", scaled to each class's mean range (retrain with netdiffus experiment for full-length traces with a scale each)"
		}
		ds, f, err = Traces(name, info.Classes, series, labels, info.Ranges, opt.Step)
		return ds, f, note, err
	}
	if len(td.Classes) != len(info.Classes) {
		return nil, f, "", fmt.Errorf("pipeline: %s describes %d classes, the model %d", DecoderFile, len(td.Classes), len(info.Classes))
	}
	full, err := td.Decode(series, labels, DecodeOptions{Seed: opt.Seed, Scale: opt.Scale, Detail: opt.Detail})
	if err != nil {
		return nil, f, "", err
	}
	ds, err = FeatureTraces(name, info.Classes, full, labels, td.Feature, opt.Step)
	if err != nil {
		return nil, f, "", err
	}
	return ds, ds.Default, "", nil
}

// FeatureTraces makes a dataset of packet traces from series of feature f (traffic.PacketsFromSeries;
// per-packet values step seconds apart). A ready-series feature (Values) has no packet form: its series
// become one packet per value at time k*step with the value as its size, as Traces writes them.
func FeatureTraces(name string, classes []string, series [][]float64, labels []int, f traffic.Feature, step float64) (*traffic.Dataset, error) {
	if f.Kind == traffic.Values {
		ds, _, err := Traces(name, classes, series, labels, nil, step)
		return ds, err
	}
	if len(series) != len(labels) {
		return nil, fmt.Errorf("pipeline: %d series for %d labels", len(series), len(labels))
	}
	traces := make([]traffic.Trace, len(series))
	for i, s := range series {
		c := labels[i]
		if c < 0 || c >= len(classes) {
			return nil, fmt.Errorf("pipeline: label %d of series %d is outside the %d classes", c, i, len(classes))
		}
		pk, err := traffic.PacketsFromSeries(s, f, step)
		if err != nil {
			return nil, fmt.Errorf("pipeline: series %d: %w", i, err)
		}
		traces[i] = traffic.Trace{ID: fmt.Sprintf("synthetic-%05d-%s", i, classes[c]), Label: classes[c], Packets: pk}
	}
	f.Length = len(series[0])
	return traffic.NewDataset(name, traces, classes, f)
}
