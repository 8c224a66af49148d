// Package dataio moves diffusion training data and samples between files and diffusion.Array:
// NPZ archives of images or series with labels (NumPy's format, readable with numpy.load), PNG files
// and GASF-decoded 1-D series.
//
// Pixel convention (nblib/pixels): files hold images in [0, 1] (float) or 0..255 (uint8), as the imaging
// pipeline writes them; the model works in [-1, 1] (v_model = 2 v_file - 1). Samples are written back in
// [0, 1] as float32 and as 8-bit PNGs.
package dataio

import (
	"archive/zip"
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/gasf"
	"github.com/netdiffus/netdiffus/nblib/pixels"
)

// Dataset is a labelled set of examples in model units ([-1, 1]), shaped [N, example axes...]
// channels last: [N, H, W, 1] for images, [N, L, 1] for series.
type Dataset struct {
	X      diffusion.Array
	Labels []int
}

// NumClasses returns 1 + the largest label.
func (d Dataset) NumClasses() int {
	n := 0
	for _, l := range d.Labels {
		n = max(n, l+1)
	}
	return n
}

// LoadNPZ reads an archive holding the examples under dataKey (float32/float64 in [0, 1] or uint8
// in 0..255; shape [N, H, W], [N, H, W, 1] or, for series, [N, L]) and integer labels under "labels"
// (shape [N]). Errors name the file, the array and the offending index.
func LoadNPZ(path, dataKey string) (Dataset, error) {
	r, err := npz.Open(path)
	if err != nil {
		return Dataset{}, fmt.Errorf("dataio: %s: %w", path, err)
	}
	defer r.Close()
	values, shape, err := readFloats(r, path, dataKey)
	if err != nil {
		return Dataset{}, err
	}
	labels, err := readLabels(r, path, "labels")
	if err != nil {
		return Dataset{}, err
	}
	if len(shape) < 2 || len(shape) > 4 || (len(shape) == 4 && shape[3] != 1) {
		return Dataset{}, fmt.Errorf("dataio: %s: %q has shape %v; want [N, H, W], [N, H, W, 1] or [N, L]", path, dataKey, shape)
	}
	if len(labels) != shape[0] {
		return Dataset{}, fmt.Errorf("dataio: %s: %d labels for %d examples in %q", path, len(labels), shape[0], dataKey)
	}
	full := shape
	if len(shape) < 4 {
		full = append(append([]int(nil), shape...), 1)
	}
	x := diffusion.Array{Shape: full, Data: values}
	n := x.ExampleSize()
	for i, v := range values {
		if math.IsNaN(float64(v)) || v < 0 || v > 1 {
			return Dataset{}, fmt.Errorf("dataio: %s: %q example %d value %d is %v, outside [0, 1]: rescale the data", path, dataKey, i/n, i%n, v)
		}
		values[i] = pixels.UnitToModel(float64(v))
	}
	return Dataset{X: x, Labels: labels}, nil
}

// header finds key or key+".npy" (the member name numpy.savez uses).
func header(r *npz.Reader, key string) (*npy.Header, string) {
	for _, k := range []string{key, key + ".npy"} {
		if h := r.Header(k); h != nil {
			return h, k
		}
	}
	return nil, ""
}

// dtype returns the array's NumPy type string such as "<f4", without quotes.
func dtype(h *npy.Header) string { return strings.Trim(h.Descr.Type, "'\" ") }

func readFloats(r *npz.Reader, path, name string) ([]float32, []int, error) {
	h, key := header(r, name)
	if h == nil {
		return nil, nil, fmt.Errorf("dataio: %s has no array %q (arrays: %v)", path, name, r.Keys())
	}
	shape := h.Descr.Shape
	switch dtype(h) {
	case "<f4":
		var v []float32
		err := r.Read(key, &v)
		return v, shape, wrap(err, path, key)
	case "<f8":
		var v []float64
		if err := r.Read(key, &v); err != nil {
			return nil, nil, wrap(err, path, key)
		}
		out := make([]float32, len(v))
		for i, f := range v {
			out[i] = float32(f)
		}
		return out, shape, nil
	case "|u1", "<u1":
		var v []uint8
		if err := r.Read(key, &v); err != nil {
			return nil, nil, wrap(err, path, key)
		}
		out := make([]float32, len(v))
		for i, b := range v {
			out[i] = float32(pixels.ByteToUnit(b))
		}
		return out, shape, nil
	}
	return nil, nil, fmt.Errorf("dataio: %s: %q has dtype %s; want float32, float64 or uint8", path, key, h.Descr.Type)
}

func readLabels(r *npz.Reader, path, name string) ([]int, error) {
	h, key := header(r, name)
	if h == nil {
		return nil, fmt.Errorf("dataio: %s has no array %q (arrays: %v)", path, name, r.Keys())
	}
	var out []int
	switch dtype(h) {
	case "<i8":
		var v []int64
		if err := r.Read(key, &v); err != nil {
			return nil, wrap(err, path, key)
		}
		for _, l := range v {
			out = append(out, int(l))
		}
	case "<i4":
		var v []int32
		if err := r.Read(key, &v); err != nil {
			return nil, wrap(err, path, key)
		}
		for _, l := range v {
			out = append(out, int(l))
		}
	case "|u1", "<u1":
		var v []uint8
		if err := r.Read(key, &v); err != nil {
			return nil, wrap(err, path, key)
		}
		for _, l := range v {
			out = append(out, int(l))
		}
	default:
		return nil, fmt.Errorf("dataio: %s: %q has dtype %s; want int64, int32 or uint8", path, key, h.Descr.Type)
	}
	for i, l := range out {
		if l < 0 {
			return nil, fmt.Errorf("dataio: %s: label %d is %d; labels must be >= 0", path, i, l)
		}
	}
	return out, nil
}

func wrap(err error, path, key string) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("dataio: %s: reading %q: %w", path, key, err)
}

// ToUnit maps model values in [-1, 1] to [0, 1], clamping.
func ToUnit(x diffusion.Array) diffusion.Array {
	out := diffusion.NewArray(x.Shape...)
	for i, v := range x.Data {
		out.Data[i] = float32(pixels.ModelToUnit(v))
	}
	return out
}

// SaveNPZ writes samples (model units) as a float32 array named key in [0, 1] with their shape (the
// channel axis of size 1 dropped: [N, H, W] or [N, L]), int64 "labels", and, when series is
// non-nil, float32 "series" [N, L'] of decoded 1-D series.
func SaveNPZ(path, key string, x diffusion.Array, labels []int, series [][]float64) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("dataio: %w", err)
	}
	zw := zip.NewWriter(f)
	unit := ToUnit(x)
	shape := unit.Shape
	if shape[len(shape)-1] == 1 {
		shape = shape[:len(shape)-1]
	}
	err = addNPY(zw, key+".npy", func(w io.Writer) error { return gasf.WriteNPYFloat32(w, unit.Data, shape...) })
	if err == nil {
		l := make([]int64, len(labels))
		for i, v := range labels {
			l[i] = int64(v)
		}
		err = addNPY(zw, "labels.npy", func(w io.Writer) error { return npy.Write(w, l) })
	}
	if err == nil && len(series) > 0 {
		var flat []float32
		for _, s := range series {
			for _, v := range s {
				flat = append(flat, float32(v))
			}
		}
		err = addNPY(zw, "series.npy", func(w io.Writer) error { return gasf.WriteNPYFloat32(w, flat, len(series), len(series[0])) })
	}
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("dataio: writing %s: %w", path, err)
	}
	return nil
}

func addNPY(zw *zip.Writer, name string, write func(io.Writer) error) error {
	w, err := zw.Create(name)
	if err != nil {
		return err
	}
	return write(w)
}

// SavePNGs writes each 2-D sample as an 8-bit grayscale PNG named class<label>_<index>.png in dir.
func SavePNGs(dir string, x diffusion.Array, labels []int) error {
	if len(x.Shape) != 4 || x.Shape[3] != 1 {
		return fmt.Errorf("dataio: PNG needs single-channel images [N, H, W, 1], got %v", x.Shape)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("dataio: %w", err)
	}
	h, w := x.Shape[1], x.Shape[2]
	for i := range x.Batch() {
		img := image.NewGray(image.Rect(0, 0, w, h))
		copy(img.Pix, pixels.ModelToBytes(x.Example(i)))
		path := filepath.Join(dir, fmt.Sprintf("class%d_%05d.png", labels[i], i))
		if err := writePNG(path, img); err != nil {
			return err
		}
	}
	return nil
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("dataio: %w", err)
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("dataio: %s: %w", path, err)
	}
	return f.Close()
}

// DecodeSeries inverts GASF images (model units) to unit-interval series with gasf.Decode: the
// diagonal pixel p gives x = sqrt(p^(1/gamma)) (gamma 0.25, amplitude 1: the paper's settings).
// Values are quantised to 8 bits first, as the paper's images are.
func DecodeSeries(x diffusion.Array) ([][]float64, error) {
	if len(x.Shape) != 4 || x.Shape[1] != x.Shape[2] || x.Shape[3] != 1 {
		return nil, fmt.Errorf("dataio: decoding needs square single-channel images, got %v", x.Shape)
	}
	size := x.Shape[1]
	params := gasf.DefaultParams(size)
	params.Norm = gasf.Normalisation{Mode: gasf.Global, Lo: 0, Hi: 1}
	out := make([][]float64, x.Batch())
	for i := range out {
		pix := pixels.ModelToBytes(x.Example(i))
		img := &gasf.Image{Size: size, Pix: pix, Params: params, Norm: params.Norm, Length: size}
		s, err := gasf.Decode(img)
		if err != nil {
			return nil, fmt.Errorf("dataio: sample %d: %w", i, err)
		}
		out[i] = s
	}
	return out, nil
}
