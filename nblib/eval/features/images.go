package features

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Images is a batch of equally sized images; row i of Pixels is image i flattened row-major as
// (y, x, channel).
type Images struct {
	Height, Width, Channels int
	Pixels                  *mat.Dense
}

// NewImages builds a batch from flattened images, checking that each has height*width*channels values
// and no NaN or infinity. source names where the images come from, for error messages.
func NewImages(source string, height, width, channels int, flat [][]float64) (Images, error) {
	size := height * width * channels
	if size <= 0 {
		return Images{}, fmt.Errorf("features: %s: image size %dx%dx%d is empty", source, height, width, channels)
	}
	if len(flat) == 0 {
		return Images{}, fmt.Errorf("features: %s: no images", source)
	}
	px := mat.NewDense(len(flat), size, nil)
	for i, img := range flat {
		if len(img) != size {
			return Images{}, fmt.Errorf("features: %s: image %d has %d values, want %dx%dx%d = %d (resize all images to one size)", source, i, len(img), height, width, channels, size)
		}
		px.SetRow(i, img)
	}
	im := Images{Height: height, Width: width, Channels: channels, Pixels: px}
	return im, im.Check(source)
}

// Len returns the number of images.
func (im Images) Len() int {
	if im.Pixels == nil {
		return 0
	}
	n, _ := im.Pixels.Dims()
	return n
}

// Check verifies the shape and that no pixel is NaN or infinite; source names the set in errors.
func (im Images) Check(source string) error {
	if im.Len() == 0 {
		return fmt.Errorf("features: %s: no images", source)
	}
	if _, d := im.Pixels.Dims(); d != im.Height*im.Width*im.Channels {
		return fmt.Errorf("features: %s: %d values per image, want %dx%dx%d", source, d, im.Height, im.Width, im.Channels)
	}
	for i := range im.Len() {
		for j, v := range im.Pixels.RawRowView(i) {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("features: %s: image %d pixel %d is %v", source, i, j, v)
			}
		}
	}
	return nil
}

// CheckCompatible returns an error when two sets differ in size or channel count.
func CheckCompatible(a, b Images, nameA, nameB string) error {
	if a.Height != b.Height || a.Width != b.Width || a.Channels != b.Channels {
		return fmt.Errorf("features: %s images are %dx%dx%d but %s images are %dx%dx%d: resize to one size and channel count first",
			nameA, a.Height, a.Width, a.Channels, nameB, b.Height, b.Width, b.Channels)
	}
	return nil
}

// CropTopLeft keeps the top-left size x size block of every image: for a GASF this is the image of the
// first size steps of the series, the paper's near-real-time crop "from the bottom and the right".
func (im Images) CropTopLeft(size int) (Images, error) {
	if size < 1 || size > im.Height || size > im.Width {
		return Images{}, fmt.Errorf("features: crop size %d outside [1, %d]", size, min(im.Height, im.Width))
	}
	n, c := im.Len(), im.Channels
	out := mat.NewDense(n, size*size*c, nil)
	for i := range n {
		src, dst := im.Pixels.RawRowView(i), out.RawRowView(i)
		for y := range size {
			copy(dst[y*size*c:(y+1)*size*c], src[y*im.Width*c:y*im.Width*c+size*c])
		}
	}
	return Images{Height: size, Width: size, Channels: c, Pixels: out}, nil
}
