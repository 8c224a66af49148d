package pipeline

import (
	"fmt"
	"slices"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/pixels"
)

// DecodeImages is the model folder's decode recipe for 8-bit images of it (real or synthetic, such as
// a Result's ExamplePairs) at the image side: the Decode stage (the GASF inverse of each image's
// diagonal, on [0, 1]) scaled to the range the folder stores for the image's class (ModelInfo.Ranges in
// pipeline.json: the mean over the class's training series of their minimum and maximum), as
// SyntheticTraces scales samples when the folder has no decoder.json. images[i] is size x size,
// row-major, of class classes[i] (a name of the folder's classes). The full-length recipe for samples
// is SyntheticTraces.
func DecodeImages(dir string, images [][]byte, size int, classes []string) ([][]float64, error) {
	info, ok, err := ReadInfo(dir)
	if err != nil {
		return nil, err
	}
	if !ok || len(info.Ranges) != len(info.Classes) {
		return nil, fmt.Errorf("pipeline: %s has no %s with the class ranges: train the model there first (netdiffus train or an experiment)", dir, InfoFile)
	}
	if len(images) != len(classes) {
		return nil, fmt.Errorf("pipeline: %d images for %d class names", len(images), len(classes))
	}
	if len(images) == 0 {
		return nil, nil
	}
	if size < 1 || size > 1<<14 {
		return nil, fmt.Errorf("pipeline: image side %d outside [1, %d]", size, 1<<14)
	}
	labels := make([]int, len(images))
	for i, pix := range images { // every claim checked before the array is allocated
		if len(pix) != size*size {
			return nil, fmt.Errorf("pipeline: image %d has %d pixels, a %dx%d image has %d", i, len(pix), size, size, size*size)
		}
		if labels[i] = slices.Index(info.Classes, classes[i]); labels[i] < 0 {
			return nil, fmt.Errorf("pipeline: image %d: class %q is not one of the model's classes %v (%s)", i, classes[i], info.Classes, dir)
		}
	}
	x := diffusion.NewArray(len(images), size, size, 1)
	for i, pix := range images {
		pixels.BytesToModel(x.Example(i), pix)
	}
	series, err := Decode(x)
	if err != nil {
		return nil, err
	}
	for i, s := range series {
		scaleToRange(s, info.Ranges[labels[i]])
	}
	return series, nil
}

// DecodeImage decodes one 8-bit image of class class of model folder dir (DecodeImages).
func DecodeImage(dir string, pix []byte, size int, class string) ([]float64, error) {
	s, err := DecodeImages(dir, [][]byte{pix}, size, []string{class})
	if err != nil {
		return nil, err
	}
	return s[0], nil
}

// scaleToRange maps series values on [0, 1] to [r[0], r[1]] in place: lo + v (hi - lo).
func scaleToRange(s []float64, r [2]float64) {
	for j, v := range s {
		s[j] = r[0] + v*(r[1]-r[0])
	}
}
