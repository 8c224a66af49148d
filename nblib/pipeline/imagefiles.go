package pipeline

import (
	"fmt"
	"slices"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/pixels"
)

// UnlabelledClass names the one class of images read without labels.
const UnlabelledClass = "all"

// ReadImageExamples reads images from a .npy file ([n, H, W], [n, H, W, C] or [n, C, H, W]; uint8
// pixels, or floats on [0, 1]) and their labels from a 1-D integer .npy, into Examples in the model
// range. 8-bit pixels become exactly the values ReadExamples gives the same bytes in an NPZ, so both
// forms of one image set measure alike. With labelsPath "" every image is of one class, UnlabelledClass;
// otherwise the classes are class0 .. class<largest label>, each with an example (as ReadExamples requires).
func ReadImageExamples(path, labelsPath string) (Examples, error) {
	im, eightBit, err := features.LoadImagesDepth(path)
	if err != nil {
		return Examples{}, err
	}
	n, _ := im.Pixels.Dims()
	x := diffusion.NewArray(n, im.Height, im.Width, im.Channels)
	for i := range n {
		row, dst := im.Pixels.RawRowView(i), x.Example(i)
		for j, u := range row {
			if u < 0 || u > 1 {
				return Examples{}, fmt.Errorf("pipeline: %s: image %d pixel %d is %g; float pixels must lie on [0, 1] (or store uint8 pixels)", path, i, j, u)
			}
			if eightBit {
				dst[j] = pixels.ByteToModel(pixels.UnitToByte(u))
			} else {
				dst[j] = pixels.UnitToModel(u)
			}
		}
	}
	e := Examples{X: x, Labels: make([]int, n), Classes: []string{UnlabelledClass}}
	if labelsPath == "" {
		return e, nil
	}
	if e.Labels, err = features.LoadLabels(labelsPath); err != nil {
		return Examples{}, err
	}
	if len(e.Labels) != n {
		return Examples{}, fmt.Errorf("pipeline: %s holds %d labels for the %d images of %s: give one label per image, in order", labelsPath, len(e.Labels), n, path)
	}
	largest := 0
	for _, y := range e.Labels {
		largest = max(largest, y)
	}
	e.Classes = make([]string, largest+1)
	for c := range e.Classes {
		e.Classes[c] = fmt.Sprintf("class%d", c)
	}
	counts := Counts(e.Labels, len(e.Classes))
	if c := slices.Index(counts, 0); c >= 0 {
		return Examples{}, fmt.Errorf("pipeline: %s: labels go up to %d but class %d has no example; renumber the labels 0..C-1", labelsPath, largest, c)
	}
	return e, nil
}

// ImageFiles name real images in .npy files, as `netdiffus eval` takes them: the training images and,
// optionally, held-out test images, each with a labels file or none (every file labelled, or none).
type ImageFiles struct {
	Train, TrainLabels string
	Test, TestLabels   string // Test "": Train is split per class at the train fraction, as SplitData does
}

// ReadImageData reads real images (ReadImageExamples) into a Data for Measure: training and test images
// from their files, or the training file split per class at fraction when there is no test file. The
// classes are those of the largest label of either file.
func ReadImageData(f ImageFiles, fraction float64) (*Data, error) {
	switch {
	case f.Test == "" && f.TestLabels != "":
		return nil, fmt.Errorf("pipeline: %s labels test images, but there is no test image file", f.TestLabels)
	case f.Test != "" && (f.TestLabels == "") != (f.TrainLabels == ""):
		return nil, fmt.Errorf("pipeline: %s and %s: label both image files or neither", f.Train, f.Test)
	}
	train, err := ReadImageExamples(f.Train, f.TrainLabels)
	if err != nil {
		return nil, err
	}
	if f.Test == "" {
		return SplitData(f.Train, train, fraction)
	}
	test, err := ReadImageExamples(f.Test, f.TestLabels)
	if err != nil {
		return nil, err
	}
	if !slices.Equal(train.X.Shape[1:], test.X.Shape[1:]) {
		return nil, fmt.Errorf("pipeline: %s holds images shaped %v, %s %v: give images of one size", f.Test, test.X.Shape[1:], f.Train, train.X.Shape[1:])
	}
	classes := train.Classes
	if len(test.Classes) > len(classes) {
		classes = test.Classes
	}
	return &Data{Name: f.Train, Classes: classes, Train: train.X, Test: test.X, TrainY: train.Labels, TestY: test.Labels}, nil
}

// CheckSynthetic checks that synthetic examples can be measured against d: the same example shape, a
// label for each example, and every label one of d's classes. source names them in the error.
func (d *Data) CheckSynthetic(source string, e Examples) error {
	if !slices.Equal(e.X.Shape[1:], d.Train.Shape[1:]) {
		return fmt.Errorf("pipeline: %s are shaped %v, the real examples of %s %v", source, e.X.Shape[1:], d.Name, d.Train.Shape[1:])
	}
	if len(e.Labels) != e.X.Batch() {
		return fmt.Errorf("pipeline: %s: %d labels for %d examples", source, len(e.Labels), e.X.Batch())
	}
	for i, y := range e.Labels {
		if y < 0 || y >= len(d.Classes) {
			return fmt.Errorf("pipeline: %s: example %d has class %d; %s has classes 0..%d", source, i, y, d.Name, len(d.Classes)-1)
		}
	}
	return nil
}
