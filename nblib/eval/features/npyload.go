package features

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// ReadNpy reads a C-ordered .npy array of float64, float32, uint8, int64 or int32 values as float64,
// with its shape. The header is checked against the file size and npy's default limits before
// anything is allocated.
func ReadNpy(path string) (shape []int, data []float64, err error) {
	shape, data, _, err = readNpy(path)
	return shape, data, err
}

// readNpy is ReadNpy that also reports whether the array held 8-bit unsigned values.
func readNpy(path string) (shape []int, data []float64, uint8s bool, err error) {
	a, err := npy.ReadFile(path, npy.Limits{})
	if err != nil {
		return nil, nil, false, err
	}
	switch a.Descr[1:] {
	case "f8", "f4", "u1", "i8", "i4":
	default:
		return nil, nil, false, fmt.Errorf("%s: dtype %s not supported (use float32/float64/uint8/int32/int64)", path, a.Descr)
	}
	return a.Shape, a.Float64s(), a.Descr[1:] == "u1", nil
}

// LoadImages reads images from a .npy of shape [n, H, W] (one channel), [n, H, W, C] or [n, C, H, W]
// (C in 1..4 and the other dimensions larger; transposed to H, W, C), checking for NaN. 8-bit images
// (uint8, as `netdiffus image` writes) are divided by 255, the paper's scaling, so they compare with
// float images in [0, 1]; float images are kept as they are.
func LoadImages(path string) (Images, error) {
	im, _, err := LoadImagesDepth(path)
	return im, err
}

// LoadImagesDepth is LoadImages that also reports whether the file held 8-bit images (uint8), whose
// pixels are then exact multiples of 1/255.
func LoadImagesDepth(path string) (im Images, eightBit bool, err error) {
	shape, data, uint8s, err := readNpy(path)
	if err != nil {
		return Images{}, false, err
	}
	if uint8s {
		for i := range data {
			data[i] /= 255
		}
	}
	var h, w, c int
	chw := false
	switch {
	case len(shape) == 3:
		h, w, c = shape[1], shape[2], 1
	case len(shape) == 4 && shape[3] <= 4:
		h, w, c = shape[1], shape[2], shape[3]
	case len(shape) == 4 && shape[1] <= 4:
		c, h, w, chw = shape[1], shape[2], shape[3], true
	default:
		return Images{}, false, fmt.Errorf("%s: shape %v is not [n,H,W], [n,H,W,C] or [n,C,H,W] with C <= 4", path, shape)
	}
	n := shape[0]
	if h < 1 || w < 1 || c < 1 {
		return Images{}, false, fmt.Errorf("%s: shape %v has an empty image axis", path, shape)
	}
	if n == 0 {
		return Images{}, false, fmt.Errorf("%s: shape %v holds no images", path, shape)
	}
	if chw {
		data = chwToHWC(data, n, c, h, w)
	}
	im = Images{Height: h, Width: w, Channels: c, Pixels: mat.NewDense(n, h*w*c, data)}
	return im, uint8s, im.Check(path)
}

func chwToHWC(data []float64, n, c, h, w int) []float64 {
	out := make([]float64, len(data))
	for i := range n {
		base := i * c * h * w
		for ch := range c {
			for y := range h {
				for x := range w {
					out[base+(y*w+x)*c+ch] = data[base+(ch*h+y)*w+x]
				}
			}
		}
	}
	return out
}

// maxLabel bounds label values, so a label of 2e9 cannot make 2e9 classes downstream.
const maxLabel = 1 << 16

// LoadLabels reads integer class labels from a 1-D .npy (any supported dtype with integral values).
func LoadLabels(path string) ([]int, error) {
	shape, data, err := ReadNpy(path)
	if err != nil {
		return nil, err
	}
	if len(shape) != 1 {
		return nil, fmt.Errorf("%s: labels must be 1-D, got shape %v", path, shape)
	}
	y := make([]int, len(data))
	for i, v := range data {
		if v != math.Trunc(v) || v < 0 || v >= maxLabel {
			return nil, fmt.Errorf("%s: label %d is %g, want an integer in [0, %d)", path, i, v, maxLabel)
		}
		y[i] = int(v)
	}
	return y, nil
}
