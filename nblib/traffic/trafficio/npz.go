package trafficio

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// array is a numeric NumPy array converted to float64, row-major.
type array struct {
	shape []int
	data  []float64
}

// readTyped reads an array of any supported numeric dtype into float64.
func readTyped(dtype string, read func(ptr any) error) ([]float64, error) {
	switch npyKind(dtype) {
	case "f8":
		return readAs[float64](read)
	case "f4":
		return readAs[float32](read)
	case "i8":
		return readAs[int64](read)
	case "i4":
		return readAs[int32](read)
	case "i2":
		return readAs[int16](read)
	case "i1":
		return readAs[int8](read)
	case "u1":
		return readAs[uint8](read)
	case "b1":
		var b []bool
		if err := read(&b); err != nil {
			return nil, err
		}
		out := make([]float64, len(b))
		for i, v := range b {
			if v {
				out[i] = 1
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("dtype %q is not supported: save the array as float or int", dtype)
}

// npyKind strips the byte-order character from a dtype such as "<f8".
func npyKind(dtype string) string {
	dtype = strings.Trim(dtype, "'\"")
	if len(dtype) == 3 {
		return dtype[1:]
	}
	return dtype
}

type number interface {
	~float64 | ~float32 | ~int64 | ~int32 | ~int16 | ~int8 | ~uint8
}

func readAs[T number](read func(ptr any) error) ([]float64, error) {
	var v []T
	if err := read(&v); err != nil {
		return nil, err
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out, nil
}

func readNPZArray(r *npz.Reader, file, name string) (array, error) {
	h := r.Header(name)
	if h == nil && r.Header(name+".npy") != nil {
		name += ".npy" // numpy.savez stores "x" as the member "x.npy"
		h = r.Header(name)
	}
	if h == nil {
		return array{}, fmt.Errorf("%s: no array %q (it has %v)", file, name, r.Keys())
	}
	if h.Descr.Fortran {
		return array{}, fmt.Errorf("%s: array %q is Fortran-ordered; save it with numpy.ascontiguousarray", file, name)
	}
	data, err := readTyped(h.Descr.Type, func(ptr any) error { return r.Read(name, ptr) })
	if err != nil {
		return array{}, fmt.Errorf("%s: array %q: %w", file, name, err)
	}
	return array{shape: h.Descr.Shape, data: data}, nil
}

func readNPYArray(path string) (array, error) {
	f, err := os.Open(path)
	if err != nil {
		return array{}, err
	}
	defer f.Close()
	r, err := npy.NewReader(f)
	if err != nil {
		return array{}, fmt.Errorf("%s: not a .npy file: %w", path, err)
	}
	if r.Header.Descr.Fortran {
		return array{}, fmt.Errorf("%s: Fortran-ordered array; save it with numpy.ascontiguousarray", path)
	}
	data, err := readTyped(r.Header.Descr.Type, r.Read)
	if err != nil {
		return array{}, fmt.Errorf("%s: %w", path, err)
	}
	return array{shape: r.Header.Descr.Shape, data: data}, nil
}

// ArrayOptions configure the NumPy readers.
type ArrayOptions struct {
	// X and Y name the series and label arrays inside an .npz ("x" and "y"
	// when empty).
	X, Y string
	// Classes names the label values 0..C-1; "0", "1", ... when nil.
	Classes []string
	// Step is the seconds between samples of the series (0: not time based).
	Step float64
}

// ReadNPZ reads series X of shape (N, L) or (N, L, 1) and labels Y of shape
// (N) holding class indices or (N, C) one-hot rows. Rows containing NaN
// or a label outside the classes are reported and skipped. The default
// feature is the ready series at its full length L.
func ReadNPZ(path string, opt ArrayOptions) (*traffic.Dataset, traffic.Report, error) {
	r, err := npz.Open(path)
	if err != nil {
		return nil, traffic.Report{}, fmt.Errorf("%s: not a readable .npz: %w", path, err)
	}
	defer r.Close()
	xn, yn := orDefault(opt.X, "x"), orDefault(opt.Y, "y")
	x, err := readNPZArray(r, path, xn)
	if err != nil {
		return nil, traffic.Report{}, err
	}
	y, err := readNPZArray(r, path, yn)
	if err != nil {
		return nil, traffic.Report{}, err
	}
	return fromArrays(path, x, y, opt)
}

// ReadNPY reads the same layout as ReadNPZ from two .npy files.
func ReadNPY(xPath, yPath string, opt ArrayOptions) (*traffic.Dataset, traffic.Report, error) {
	x, err := readNPYArray(xPath)
	if err != nil {
		return nil, traffic.Report{}, err
	}
	y, err := readNPYArray(yPath)
	if err != nil {
		return nil, traffic.Report{}, err
	}
	return fromArrays(xPath, x, y, opt)
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// fromArrays builds the dataset from series and labels arrays.
func fromArrays(file string, x, y array, opt ArrayOptions) (*traffic.Dataset, traffic.Report, error) {
	var rep traffic.Report
	n, l, err := seriesShape(file, x.shape)
	if err != nil {
		return nil, rep, err
	}
	labels, err := classIndices(file, y, n)
	if err != nil {
		return nil, rep, err
	}
	classes := opt.Classes
	if classes == nil {
		classes = numberNames(maxInt(labels) + 1)
	}
	var traces []traffic.Trace
	for i := range n {
		row := x.data[i*l : (i+1)*l]
		id := "row " + strconv.Itoa(i)
		if reason := badRow(row, labels[i], len(classes)); reason != "" {
			rep.Add(file, i+1, id, reason)
			continue
		}
		traces = append(traces, traffic.Trace{ID: id, Label: classes[labels[i]], Values: append([]float64(nil), row...), Step: opt.Step})
	}
	rep.Read = len(traces)
	ds, err := traffic.NewDataset(filepath.Base(file), traces, classes, traffic.Feature{Kind: traffic.Values, Length: l})
	return ds, rep, err
}

func badRow(row []float64, label, classes int) string {
	if label < 0 || label >= classes {
		return fmt.Sprintf("label %d outside the %d classes: row skipped", label, classes)
	}
	for j, v := range row {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Sprintf("value %d is %v: row skipped", j, v)
		}
	}
	return ""
}

func seriesShape(file string, shape []int) (n, l int, err error) {
	switch {
	case len(shape) == 2:
		return shape[0], shape[1], nil
	case len(shape) == 3 && shape[2] == 1:
		return shape[0], shape[1], nil
	}
	return 0, 0, fmt.Errorf("%s: series array has shape %v; want (N, L) or (N, L, 1)", file, shape)
}

// classIndices accepts (N) integer labels or (N, C) one-hot rows (argmax).
func classIndices(file string, y array, n int) ([]int, error) {
	if len(y.shape) == 0 || y.shape[0] != n {
		return nil, fmt.Errorf("%s: labels have shape %v but there are %d series", file, y.shape, n)
	}
	width := 1
	if len(y.shape) == 2 {
		width = y.shape[1]
	} else if len(y.shape) != 1 {
		return nil, fmt.Errorf("%s: labels have shape %v; want (N) or (N, C)", file, y.shape)
	}
	out := make([]int, n)
	for i := range n {
		if width == 1 {
			out[i] = int(y.data[i])
			if float64(out[i]) != y.data[i] {
				return nil, fmt.Errorf("%s: label %d is %g, not a class index", file, i, y.data[i])
			}
			continue
		}
		out[i] = argmax(y.data[i*width : (i+1)*width])
	}
	return out, nil
}

func argmax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

func maxInt(v []int) int {
	m := 0
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

func numberNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}
