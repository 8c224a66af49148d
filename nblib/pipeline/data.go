package pipeline

import (
	"errors"
	"fmt"
	"math"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/gasf"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Data is a dataset split and shaped for one model: examples in the model range [-1, 1].
type Data struct {
	Name          string
	Classes       []string
	Train, Test   diffusion.Array // [N, S, S, 1] images or [N, L, 1] series
	TrainY, TestY []int
	SeriesLen     int // length of the feature series the examples were made from
	// Feature is the feature the series are of; TrainSeries and TestSeries are the real series behind
	// Train and Test, in real units at full length (the trace decoder and trace fidelity use them).
	Feature                 traffic.Feature
	TrainSeries, TestSeries [][]float64
	// Ranges holds, per class, the mean over its training series of their minimum and maximum, the
	// scale Decode can give synthetic series.
	Ranges [][2]float64
}

// Size returns the image side or series length.
func (d *Data) Size() int { return d.Train.Shape[1] }

// LoadDefault loads a default dataset (d1, d2, d3, ww) in the preset's variant, keeps one group when
// group is not empty (D1-Netflix: "d1", "netflix"), splits and shapes it.
func LoadDefault(p preset.Preset, dataset, group string) (*Data, error) {
	ds, err := datasets.Load(dataset, p.Data.Variant, p.Data.Seed)
	if err != nil {
		return nil, err
	}
	name := dataset
	if group != "" {
		name += "-" + group
		if ds = ds.Filter(group); len(ds.Traces) == 0 {
			return nil, fmt.Errorf("pipeline %s: dataset %s has no group %q", name, dataset, group)
		}
	}
	return FromDataset(p, name, ds, ds.Default)
}

// FromDataset splits ds per class (the first p.Data.TrainFraction in dataset order for training) and
// shapes feature f of every trace for the preset's model.
func FromDataset(p preset.Preset, name string, ds *traffic.Dataset, f traffic.Feature) (*Data, error) {
	series, err := ds.Series(f)
	if err != nil {
		return nil, fmt.Errorf("pipeline %s: %w", name, err)
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("pipeline %s: the dataset has no traces", name)
	}
	labels := ds.Labels()
	split := p.Data.Split(labels)
	if len(split.Train) == 0 || len(split.Test) == 0 {
		return nil, fmt.Errorf("pipeline %s: the split of %d traces at %g leaves an empty side", name, len(series), p.Data.TrainFraction)
	}
	d := &Data{Name: name, Classes: ds.Classes, SeriesLen: len(series[0]), Feature: f}
	pick := func(rows []int) ([][]float64, []int) {
		s, y := make([][]float64, len(rows)), make([]int, len(rows))
		for k, i := range rows {
			s[k], y[k] = series[i], labels[i]
		}
		return s, y
	}
	trainS, trainY := pick(split.Train)
	testS, testY := pick(split.Test)
	if d.Train, err = Shape(trainS, p.Net); err != nil {
		return nil, fmt.Errorf("pipeline %s: %w", name, err)
	}
	if d.Test, err = Shape(testS, p.Net); err != nil {
		return nil, fmt.Errorf("pipeline %s: %w", name, err)
	}
	d.TrainY, d.TestY = trainY, testY
	d.TrainSeries, d.TestSeries = trainS, testS
	d.Ranges = classRanges(trainS, trainY, len(ds.Classes))
	return d, nil
}

// Shape turns series into model inputs for net: GASF images of side net.Size (Dims 2) or min-max
// scaled series area-resized to net.Size (Dims 1), in [-1, 1].
func Shape(series [][]float64, net unet.NetConfig) (diffusion.Array, error) {
	if net.Dims == 1 {
		return SeriesArray(series, net.Size)
	}
	return ImageArray(series, net.Size)
}

// ImageArray images every series with the paper's GASF settings at side size and maps the 8-bit pixels
// to the model range.
func ImageArray(series [][]float64, size int) (diffusion.Array, error) {
	return ImageArrayParams(series, gasf.DefaultParams(size))
}

// ImageArrayParams images every series with the imaging parameters p (side p.Size) into the model range.
func ImageArrayParams(series [][]float64, p gasf.Params) (diffusion.Array, error) {
	size := p.Size
	if len(series) == 0 {
		return diffusion.Array{}, errors.New("no series to image (was every series dropped by the reader? see its report)")
	}
	if size < 1 {
		return diffusion.Array{}, fmt.Errorf("image size %d: want >= 1", size)
	}
	out := diffusion.NewArray(len(series), size, size, 1)
	for i, s := range series {
		img, err := gasf.Encode(s, p)
		if err != nil {
			return diffusion.Array{}, fmt.Errorf("series %d: %w", i, err)
		}
		pixels.BytesToModel(out.Example(i), img.Pix)
	}
	return out, nil
}

// SeriesArray min-max scales every series to [-1, 1] (a constant series maps to -1) and resizes it to
// length by area averaging, for 1-D models.
func SeriesArray(series [][]float64, length int) (diffusion.Array, error) {
	if len(series) == 0 || length < 1 {
		return diffusion.Array{}, fmt.Errorf("%d series of length %d: want at least one series and a length >= 1", len(series), length)
	}
	out := diffusion.NewArray(len(series), length, 1)
	for i, s := range series {
		if len(s) < length {
			return diffusion.Array{}, fmt.Errorf("series %d has %d values, fewer than the model's length %d", i, len(s), length)
		}
		lo, hi := minMax(s)
		f := make([]float32, len(s))
		for j, v := range s {
			if hi > lo {
				f[j] = float32((v - lo) / (hi - lo))
			}
		}
		r := resizeArea1D(f, length)
		dst := out.Example(i)
		for j, v := range r {
			dst[j] = pixels.UnitToModel(float64(v))
		}
	}
	return out, nil
}

func minMax(s []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range s {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}

func classRanges(series [][]float64, labels []int, classes int) [][2]float64 {
	out := make([][2]float64, classes)
	n := make([]int, classes)
	for i, s := range series {
		lo, hi := minMax(s)
		c := labels[i]
		out[c][0] += lo
		out[c][1] += hi
		n[c]++
	}
	for c := range out {
		if n[c] > 0 {
			out[c][0] /= float64(n[c])
			out[c][1] /= float64(n[c])
		}
	}
	return out
}

// Counts returns how many examples of each of classes classes labels holds.
func Counts(labels []int, classes int) []int {
	out := make([]int, classes)
	for _, y := range labels {
		if y >= 0 && y < classes {
			out[y]++
		}
	}
	return out
}

// resizeArea1D averages src over length equal windows (fractional at the edges), the 1-D area resize.
func resizeArea1D(src []float32, length int) []float32 {
	out := make([]float32, length)
	scale := float64(len(src)) / float64(length)
	for j := range out {
		lo, hi := float64(j)*scale, float64(j+1)*scale
		var sum float64
		for k := int(lo); k < len(src) && float64(k) < hi; k++ {
			w := math.Min(hi, float64(k+1)) - math.Max(lo, float64(k))
			sum += w * float64(src[k])
		}
		out[j] = float32(sum / scale)
	}
	return out
}
