// Package dataio moves diffusion training data and samples between files and diffusion.Array:
// NPZ archives of images or series with labels (NumPy's format, readable with numpy.load), PNG files
// and GASF-decoded 1-D series.
//
// Pixel convention (nblib/pixels): files hold images in [0, 1] (float) or 0..255 (uint8), as the imaging pipeline
// writes them; the model works in [-1, 1] (v_model = 2 v_file - 1). Samples are written back in
// [0, 1] as float32 and as 8-bit PNGs.
package dataio

import (
	"fmt"
	"image"
	"image/png"
	"io"
	"math"
	"path/filepath"
	"strings"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/internal/npy"
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

// MaxClasses bounds the label values LoadNPZ accepts (a label of 2e9 must not make 2e9 classes).
const MaxClasses = 1 << 16

// LoadOptions adjust LoadNPZWith.
type LoadOptions struct {
	// MaxArrayBytes bounds the data of one array (npy.DefaultMaxArrayBytes, 1 GiB, when 0).
	MaxArrayBytes int64
	// AllowMissingClasses accepts labels that skip values (labels {0, 1, 9} then give 10 classes,
	// 7 of them without examples); by default that is an error.
	AllowMissingClasses bool
}

// LoadNPZ reads an archive holding the examples under dataKey (float32/float64 in [0, 1] or uint8
// in 0..255; shape [N, H, W], [N, H, W, 1] or, for series, [N, L]) and integer labels under "labels"
// (shape [N], values 0..C-1 each used at least once). Sizes are checked against the file before
// anything is allocated. Errors name the file, the array and the offending index.
func LoadNPZ(path, dataKey string) (Dataset, error) { return LoadNPZWith(path, dataKey, LoadOptions{}) }

// LoadNPZWith is LoadNPZ with options.
func LoadNPZWith(path, dataKey string, opt LoadOptions) (Dataset, error) {
	r, err := npy.OpenNPZ(path, npy.Limits{MaxArrayBytes: opt.MaxArrayBytes})
	if err != nil {
		return Dataset{}, fmt.Errorf("dataio: %w", err)
	}
	defer r.Close()
	h, err := r.Header(dataKey)
	if err != nil {
		return Dataset{}, fmt.Errorf("dataio: %w", err)
	}
	shape := h.Shape
	if len(shape) < 2 || len(shape) > 4 || (len(shape) == 4 && shape[3] != 1) {
		return Dataset{}, fmt.Errorf("dataio: %s: %q has shape %v; want [N, H, W], [N, H, W, 1] or [N, L]", path, dataKey, shape)
	}
	for _, d := range shape[1:] {
		if d < 1 {
			return Dataset{}, fmt.Errorf("dataio: %s: %q has shape %v: examples of size 0", path, dataKey, shape)
		}
	}
	labels, err := readLabels(r, path, "labels", opt.AllowMissingClasses)
	if err != nil {
		return Dataset{}, err
	}
	if len(labels) != shape[0] {
		return Dataset{}, fmt.Errorf("dataio: %s: %d labels for %d examples in %q", path, len(labels), shape[0], dataKey)
	}
	values, err := readFloats(r, path, dataKey)
	if err != nil {
		return Dataset{}, err
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

func readFloats(r *npy.Archive, path, name string) ([]float32, error) {
	a, err := r.Read(name)
	if err != nil {
		return nil, fmt.Errorf("dataio: %w", err)
	}
	switch {
	case a.Kind == 'f':
		return a.Float32s(), nil
	case a.Kind == 'u' && a.ItemSize == 1:
		out := make([]float32, len(a.Raw))
		for i, b := range a.Raw {
			out[i] = float32(pixels.ByteToUnit(b))
		}
		return out, nil
	}
	return nil, fmt.Errorf("dataio: %s: %q has dtype %s; want float32, float64 or uint8", path, name, a.Descr)
}

// readLabels reads integer labels in [0, MaxClasses) and, unless allowGaps, checks that every value
// below the largest is used.
func readLabels(r *npy.Archive, path, name string, allowGaps bool) ([]int, error) {
	a, err := r.Read(name)
	if err != nil {
		return nil, fmt.Errorf("dataio: %w", err)
	}
	if a.Kind == 'f' || a.Kind == 'b' {
		return nil, fmt.Errorf("dataio: %s: %q has dtype %s; want integer labels (int64, int32 or uint8)", path, name, a.Descr)
	}
	if len(a.Shape) != 1 {
		return nil, fmt.Errorf("dataio: %s: %q has shape %v; want [N]", path, name, a.Shape)
	}
	out, err := a.Ints(0, MaxClasses-1, path)
	if err != nil {
		return nil, fmt.Errorf("dataio: labels must be class indices 0..C-1 below %d: %w", MaxClasses, err)
	}
	if !allowGaps {
		if err := checkContiguous(path, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// checkContiguous reports label values that leave classes without examples.
func checkContiguous(path string, labels []int) error {
	n := 0
	for _, l := range labels {
		n = max(n, l+1)
	}
	used := make([]bool, n)
	for _, l := range labels {
		used[l] = true
	}
	var missing []string
	for c, u := range used {
		if !u {
			missing = append(missing, fmt.Sprint(c))
		}
	}
	if len(missing) > 0 {
		if len(missing) > 10 {
			missing = append(missing[:10], "...")
		}
		return fmt.Errorf("dataio: %s: labels go up to %d but classes %s have no example; renumber the labels 0..C-1 (or set LoadOptions.AllowMissingClasses)", path, n-1, strings.Join(missing, ", "))
	}
	return nil
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
// non-nil, float32 "series" [N, L'] of decoded 1-D series (all of one length). The archive is
// written atomically.
func SaveNPZ(path, key string, x diffusion.Array, labels []int, series [][]float64) error {
	if len(labels) != x.Batch() {
		return fmt.Errorf("dataio: writing %s: %d labels for %d samples", path, len(labels), x.Batch())
	}
	if key == "labels" || key == "series" {
		return fmt.Errorf("dataio: writing %s: key %q is reserved", path, key)
	}
	unit := ToUnit(x)
	shape := unit.Shape
	if shape[len(shape)-1] == 1 {
		shape = shape[:len(shape)-1]
	}
	w, err := npy.CreateNPZ(path)
	if err != nil {
		return fmt.Errorf("dataio: %w", err)
	}
	w.Add(key, unit.Data, shape...)
	l := make([]int64, len(labels))
	for i, v := range labels {
		l[i] = int64(v)
	}
	w.Add("labels", l)
	if len(series) > 0 {
		var flat []float32
		for i, s := range series {
			if len(s) != len(series[0]) {
				w.Abort()
				return fmt.Errorf("dataio: writing %s: series %d has length %d, series 0 has %d", path, i, len(s), len(series[0]))
			}
			for _, v := range s {
				flat = append(flat, float32(v))
			}
		}
		w.Add("series", flat, len(series), len(series[0]))
	}
	if err := w.Commit(); err != nil {
		return fmt.Errorf("dataio: %w", err)
	}
	return nil
}

// SavePNGs writes each 2-D sample as an 8-bit grayscale PNG named class<label>_<index>.png in dir,
// each atomically.
func SavePNGs(dir string, x diffusion.Array, labels []int) error {
	if len(x.Shape) != 4 || x.Shape[3] != 1 {
		return fmt.Errorf("dataio: PNG needs single-channel images [N, H, W, 1], got %v", x.Shape)
	}
	if len(labels) != x.Batch() {
		return fmt.Errorf("dataio: %d labels for %d samples", len(labels), x.Batch())
	}
	h, w := x.Shape[1], x.Shape[2]
	for i := range x.Batch() {
		img := image.NewGray(image.Rect(0, 0, w, h))
		copy(img.Pix, pixels.ModelToBytes(x.Example(i)))
		path := filepath.Join(dir, fmt.Sprintf("class%d_%05d.png", labels[i], i))
		if err := atomicfile.Write(path, func(out io.Writer) error { return png.Encode(out, img) }); err != nil {
			return fmt.Errorf("dataio: %w", err)
		}
	}
	return nil
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
