package pipeline

import (
	"context"
	"fmt"
	"slices"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/dataio"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Sample draws counts[c] examples of class c from the model with the settings s, in class order with
// their labels; progress (may be nil) gets the denoiser calls done and the total. 2-D samples are
// rounded to the 8-bit grid. It is SampleWithWarning without the warning.
func Sample(ctx context.Context, m *Model, s preset.Sample, counts []int, progress func(done, total int)) (diffusion.Array, []int, error) {
	x, y, _, err := SampleWithWarning(ctx, m, s, counts, progress)
	return x, y, err
}

// SampleWithWarning is Sample that also returns unet's sampling warning for the weights used (raw
// weights chosen although EMA weights exist, or EMA weights younger than the EMA's horizon), or ""
// when there is nothing to say; callers should show a non-empty one.
func SampleWithWarning(ctx context.Context, m *Model, s preset.Sample, counts []int, progress func(done, total int)) (diffusion.Array, []int, string, error) {
	tr := m.Trainer
	net := tr.Config.Net
	if len(counts) > max(net.NumClasses, 1) {
		return diffusion.Array{}, nil, "", fmt.Errorf("pipeline: %d class counts for a model of %d classes", len(counts), net.NumClasses)
	}
	if s.Guidance > 1 && !net.NullClass {
		return diffusion.Array{}, nil, "", fmt.Errorf("pipeline: guidance %g needs a model trained with a null class (label dropout); the model in %s has none: sample with guidance 0", s.Guidance, m.Dir)
	}
	den, warning, err := tr.DenoiserWithWarning(!s.Raw && tr.Config.Train.EMADecay > 0)
	if err != nil {
		return diffusion.Array{}, nil, "", err
	}
	if preset.Guided(s.Guidance, net) {
		den = diffusion.Guided(den, s.Guidance, net.NullLabel())
	}
	x, y, err := tr.Schedule.SampleClasses(ctx, den, counts, diffusion.SampleConfig{
		Sampler: s.Sampler, Steps: s.Steps, Spacing: s.Spacing, Eta: s.Eta, Churn: s.Churn, Variance: net.Variance(), ExampleShape: net.ExampleShape(),
		BatchSize: s.BatchSize, Seed: s.Seed, ClipDenoised: s.Clip, Progress: progress,
	})
	if err != nil {
		return diffusion.Array{}, nil, "", fmt.Errorf("pipeline: sampling %s: %w", m.Dir, err)
	}
	if net.Dims == 2 {
		for i, v := range x.Data {
			x.Data[i] = pixels.Quantise(v)
		}
	}
	return x, y, warning, nil
}

// SampleCounts returns the per-class counts of a synthetic set: perClass of each class when positive,
// else as many as each class has in labels.
func SampleCounts(perClass int, labels []int, classes int) []int {
	if perClass > 0 {
		out := make([]int, classes)
		for c := range out {
			out[c] = perClass
		}
		return out
	}
	return Counts(labels, classes)
}

// Decode turns samples into series on [0, 1]: the GASF inverse of 2-D images (dataio.DecodeSeries),
// or the 1-D samples mapped from the model range.
func Decode(x diffusion.Array) ([][]float64, error) {
	if len(x.Shape) == 4 {
		return dataio.DecodeSeries(x)
	}
	if len(x.Shape) != 3 || x.Shape[2] != 1 {
		return nil, fmt.Errorf("pipeline: cannot decode samples shaped %v", x.Shape)
	}
	out := make([][]float64, x.Batch())
	for i := range out {
		out[i] = pixels.ModelToUnits(x.Example(i))
	}
	return out, nil
}

// Traces makes a dataset of decoded series for the trace writers: trace i has class labels[i], its
// series scaled from [0, 1] to ranges[class] (the class's typical range in the real data; nil keeps
// [0, 1]), and, so that the packet formats can hold it, one packet per value at time i*step with the
// value as its size (downlink). The returned feature (packet sizes, one per value) gives the series
// back, for the NPZ writer.
func Traces(name string, classes []string, series [][]float64, labels []int, ranges [][2]float64, step float64) (*traffic.Dataset, traffic.Feature, error) {
	if len(series) == 0 || len(series) != len(labels) {
		return nil, traffic.Feature{}, fmt.Errorf("pipeline: %d series for %d labels", len(series), len(labels))
	}
	traces := make([]traffic.Trace, len(series))
	for i, s := range series {
		c := labels[i]
		if c < 0 || c >= len(classes) {
			return nil, traffic.Feature{}, fmt.Errorf("pipeline: label %d of series %d is outside the %d classes", c, i, len(classes))
		}
		vals := slices.Clone(s)
		if ranges != nil {
			scaleToRange(vals, ranges[c])
		}
		pk := make([]traffic.Packet, len(s))
		for j, v := range vals {
			pk[j] = traffic.Packet{Time: float64(j) * step, Size: v, Dir: traffic.Down}
		}
		traces[i] = traffic.Trace{ID: fmt.Sprintf("synthetic-%05d-%s", i, classes[c]), Label: classes[c], Packets: pk}
	}
	ds, err := traffic.NewDataset(name, traces, classes, traffic.Feature{Kind: traffic.Sizes, Length: len(series[0])})
	if err != nil {
		return nil, traffic.Feature{}, err
	}
	return ds, ds.Default, nil
}
