package pipeline

import (
	"fmt"
	"strings"

	"github.com/netdiffus/netdiffus/internal/npy"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/dataio"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

// Examples is a labelled set in the model range with class names: what `netdiffus image` and
// `netdiffus sample` write and `train` and `eval` read.
type Examples struct {
	X       diffusion.Array // [N, S, S, 1] images or [N, L, 1] series, in [-1, 1]
	Labels  []int
	Classes []string
}

// Key returns the NPZ array name of the examples: "images" for 2-D, "series" for 1-D.
func (e Examples) Key() string {
	if len(e.X.Shape) == 3 {
		return "series"
	}
	return "images"
}

// WriteExamples writes e atomically as an NPZ archive readable with numpy.load: "images" as uint8
// [N, S, S] (8-bit pixels) or "series" as float32 [N, L] in [0, 1], int64 "labels" and "classes" (the
// names joined by newlines, as uint8 bytes, trafficio's convention).
func WriteExamples(path string, e Examples) error {
	if len(e.Labels) != e.X.Batch() {
		return fmt.Errorf("pipeline: %s: %d labels for %d examples", path, len(e.Labels), e.X.Batch())
	}
	for i, c := range e.Classes {
		if err := traffic.CheckClassName(c); err != nil {
			return fmt.Errorf("pipeline: %s: class %d: %w", path, i, err)
		}
	}
	w, err := npy.CreateCompressedNPZ(path)
	if err != nil {
		return fmt.Errorf("pipeline: %w", err)
	}
	if e.Key() == "series" {
		u := make([]float32, len(e.X.Data))
		for i, v := range e.X.Data {
			u[i] = float32(pixels.ModelToUnit(v))
		}
		err = w.Add("series", u, e.X.Shape[0], e.X.Shape[1])
	} else {
		err = w.Add("images", pixels.ModelToBytes(e.X.Data), e.X.Shape[0], e.X.Shape[1], e.X.Shape[2])
	}
	l := make([]int64, len(e.Labels))
	for i, v := range e.Labels {
		l[i] = int64(v)
	}
	if err == nil {
		err = w.Add("labels", l)
	}
	if err == nil {
		err = w.Add("classes", []uint8(strings.Join(e.Classes, "\n")))
	}
	if err != nil {
		w.Abort()
		return fmt.Errorf("pipeline: %w", err)
	}
	return w.Commit()
}

// WriteSamples writes e to the NPZ archive path (WriteExamples) and, when pngDir is not empty and e
// holds single-channel images, each image as an 8-bit grayscale PNG class<label>_<index>.png in pngDir
// (series have no picture: pngDir is then ignored). It is the one way samples leave the pipeline as
// files; `netdiffus sample` and the notebooks call it.
func WriteSamples(path, pngDir string, e Examples) error {
	if err := WriteExamples(path, e); err != nil {
		return err
	}
	if pngDir == "" || e.Key() == "series" {
		return nil
	}
	if err := dataio.SavePNGs(pngDir, e.X, e.Labels); err != nil {
		return fmt.Errorf("pipeline: %s: %w", pngDir, err)
	}
	return nil
}

// ReadExamples reads an archive written by WriteExamples (or any NPZ with "images" or "series" in
// [0, 1] or uint8 and integer "labels"; missing class names become class0, class1, ...).
func ReadExamples(path string) (Examples, error) {
	ds, err := dataio.LoadNPZ(path, "images")
	if err != nil { // a 1-D set, or the images error is the one to report
		var serr error
		if ds, serr = dataio.LoadNPZ(path, "series"); serr != nil {
			return Examples{}, fmt.Errorf("%w (want an archive written by netdiffus image or sample)", err)
		}
	}
	x := ds.X
	classes, err := trafficio.ReadNPZClasses(path)
	if err != nil {
		return Examples{}, err
	}
	n := ds.NumClasses()
	if classes == nil {
		for c := range n {
			classes = append(classes, fmt.Sprintf("class%d", c))
		}
	}
	if len(classes) < n {
		return Examples{}, fmt.Errorf("pipeline: %s: labels go up to %d but %d class names are stored", path, n-1, len(classes))
	}
	return Examples{X: x, Labels: ds.Labels, Classes: classes}, nil
}

// Split divides examples per class the way FromDataset does: the first fraction of each class, in
// file order, for training, the rest for testing. `netdiffus train` learns from the first part and
// `netdiffus eval` tests on the second. A side left empty is an error.
func (e Examples) Split(fraction float64) (train, test Examples, err error) {
	if fraction <= 0 || fraction >= 1 {
		return train, test, fmt.Errorf("pipeline: train fraction %g: want a fraction in (0, 1)", fraction)
	}
	s := traffic.SplitPerClass(e.Labels, fraction, traffic.FirstInOrder, 0)
	if len(s.Train) == 0 || len(s.Test) == 0 {
		return train, test, fmt.Errorf("pipeline: splitting %d examples at %g per class leaves %d for training and %d for testing: give more examples per class or change Data.TrainFraction",
			e.X.Batch(), fraction, len(s.Train), len(s.Test))
	}
	return e.rows(s.Train), e.rows(s.Test), nil
}

func (e Examples) rows(idx []int) Examples {
	out := Examples{X: diffusion.NewArray(append([]int{len(idx)}, e.X.Shape[1:]...)...), Labels: make([]int, len(idx)), Classes: e.Classes}
	for k, i := range idx {
		copy(out.X.Example(k), e.X.Example(i))
		out.Labels[k] = e.Labels[i]
	}
	return out
}

// SplitData splits e (Split) into a Data for Train and Measure.
func SplitData(name string, e Examples, fraction float64) (*Data, error) {
	tr, te, err := e.Split(fraction)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &Data{Name: name, Classes: e.Classes, Train: tr.X, Test: te.X, TrainY: tr.Labels, TestY: te.Labels}, nil
}

// AttachSeries gives d, split from images by SplitData at fraction, the real series the images were
// made from (series[i] of class labels[i], in the images' order, of feature f), split the same way, and
// the class ranges of its training part: Measure then compares synthetic traces with the real traces
// themselves. Labels that do not match the images' (another file, another order) are an error.
func (d *Data) AttachSeries(series [][]float64, labels []int, f traffic.Feature, fraction float64) error {
	if len(series) != len(labels) || len(series) != d.Train.Batch()+d.Test.Batch() || len(series) == 0 {
		return fmt.Errorf("pipeline %s: %d series with %d labels for %d images: the series are not those the images were made from", d.Name, len(series), len(labels), d.Train.Batch()+d.Test.Batch())
	}
	s := traffic.SplitPerClass(labels, fraction, traffic.FirstInOrder, 0)
	pick := func(rows []int, want []int, side string) ([][]float64, error) {
		out := make([][]float64, len(rows))
		if len(rows) != len(want) {
			return nil, fmt.Errorf("pipeline %s: %d %s series for %d %s images: the series are not those the images were made from", d.Name, len(rows), side, len(want), side)
		}
		for k, i := range rows {
			if labels[i] != want[k] || len(series[i]) != len(series[0]) {
				return nil, fmt.Errorf("pipeline %s: %s series %d (row %d) has class %d and %d values, its image class %d: the series are not those the images were made from, in their order",
					d.Name, side, k, i, labels[i], len(series[i]), want[k])
			}
			out[k] = series[i]
		}
		return out, nil
	}
	train, err := pick(s.Train, d.TrainY, "training")
	if err != nil {
		return err
	}
	test, err := pick(s.Test, d.TestY, "test")
	if err != nil {
		return err
	}
	d.TrainSeries, d.TestSeries, d.Feature, d.SeriesLen = train, test, f, len(series[0])
	d.Ranges = classRanges(train, d.TrainY, len(d.Classes))
	return nil
}
