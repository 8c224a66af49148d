package trafficio

import (
	"fmt"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/netdiffus/netdiffus/internal/npy"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// array is a numeric NumPy array converted to float64, row-major.
type array struct {
	shape []int
	data  []float64
	name  string // the file (and array) it came from, for errors
}

// MaxClasses bounds the class count a reader derives from label values (a label of 2e9 must not make
// 2e9 classes). Options with a MaxClasses field override it.
const MaxClasses = 1 << 16

func readNPZArray(ar *npy.Archive, name string) (array, error) {
	a, err := ar.Read(name)
	if err != nil {
		return array{}, err
	}
	return array{shape: a.Shape, data: a.Float64s(), name: name}, nil
}

func readNPYArray(path string, lim npy.Limits) (array, error) {
	a, err := npy.ReadFile(path, lim)
	if err != nil {
		return array{}, err
	}
	return array{shape: a.Shape, data: a.Float64s(), name: path}, nil
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
	// MaxArrayBytes bounds the data of one array (npy.DefaultMaxArrayBytes, 1 GiB, when 0).
	MaxArrayBytes int64
	// MaxClasses bounds the class count derived from label values (MaxClasses when 0).
	MaxClasses int
}

func (o ArrayOptions) limits() npy.Limits { return npy.Limits{MaxArrayBytes: o.MaxArrayBytes} }

// ReadNPZ reads series X of shape (N, L) or (N, L, 1) and labels Y of shape
// (N) holding class indices or (N, C) one-hot rows. Rows containing NaN
// or a label outside the classes are reported and skipped. The default
// feature is the ready series at its full length L.
func ReadNPZ(path string, opt ArrayOptions) (*traffic.Dataset, traffic.Report, error) {
	r, err := npy.OpenNPZ(path, opt.limits())
	if err != nil {
		return nil, traffic.Report{}, err
	}
	defer r.Close()
	xn, yn := orDefault(opt.X, "x"), orDefault(opt.Y, "y")
	x, err := readNPZArray(r, xn)
	if err != nil {
		return nil, traffic.Report{}, err
	}
	y, err := readNPZArray(r, yn)
	if err != nil {
		return nil, traffic.Report{}, err
	}
	y.name = fmt.Sprintf("%s (array %s)", path, yn)
	return fromArrays(path, x, y, opt)
}

// ReadNPY reads the same layout as ReadNPZ from two .npy files.
func ReadNPY(xPath, yPath string, opt ArrayOptions) (*traffic.Dataset, traffic.Report, error) {
	x, err := readNPYArray(xPath, opt.limits())
	if err != nil {
		return nil, traffic.Report{}, err
	}
	y, err := readNPYArray(yPath, opt.limits())
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
	classes, labels, err := labelClasses(file, labels, opt.Classes, opt.MaxClasses, &rep)
	if err != nil {
		return nil, rep, err
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
	case (len(shape) == 2 || len(shape) == 3 && shape[2] == 1) && shape[1] == 0 && shape[0] > 0:
		return 0, 0, fmt.Errorf("%s: series array has shape %v: %d series of length 0; want (N, L) with L >= 1", file, shape, shape[0])
	case len(shape) == 2:
		return shape[0], shape[1], nil
	case len(shape) == 3 && shape[2] == 1:
		return shape[0], shape[1], nil
	}
	return 0, 0, fmt.Errorf("%s: series array has shape %v; want (N, L) or (N, L, 1)", file, shape)
}

// classIndices accepts (N) integer labels or (N, C) one-hot rows (argmax).
func classIndices(file string, y array, n int) ([]int, error) {
	if y.name != "" {
		file = y.name
	}
	if len(y.shape) == 0 || y.shape[0] != n {
		return nil, fmt.Errorf("%s: labels have shape %v but there are %d series", file, y.shape, n)
	}
	width := 1
	if len(y.shape) == 2 {
		width = y.shape[1]
	} else if len(y.shape) != 1 {
		return nil, fmt.Errorf("%s: labels have shape %v; want (N) or (N, C)", file, y.shape)
	}
	if width == 0 && n > 0 {
		return nil, fmt.Errorf("%s: labels have shape %v: one-hot rows of width 0", file, y.shape)
	}
	out := make([]int, n)
	for i := range n {
		if width == 1 {
			v := y.data[i]
			if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
				return nil, fmt.Errorf("%s: label %d is %g, not a class index", file, i, v)
			}
			out[i] = int(v)
			continue
		}
		c, problem := oneHot(y.data[i*width : (i+1)*width])
		if problem != "" {
			return nil, fmt.Errorf("%s: labels have shape %v, one-hot rows, but row %d %s; store class indices as shape (N) instead", file, y.shape, i, problem)
		}
		out[i] = c
	}
	return out, nil
}

// oneHot returns the column of the single 1 of a one-hot row, or what is wrong with the row.
func oneHot(v []float64) (int, string) {
	hot := -1
	for i, x := range v {
		switch {
		case x == 1 && hot >= 0:
			return -1, fmt.Sprintf("has a 1 in columns %d and %d", hot, i)
		case x == 1:
			hot = i
		case x != 0:
			return -1, fmt.Sprintf("holds %g in column %d (want 0 or 1)", x, i)
		}
	}
	if hot < 0 {
		return -1, "has no 1"
	}
	return hot, ""
}

// labelClasses names the classes of integer labels. With given names, labels index them (a label
// outside is left for the row check to report). Without, the classes are the distinct non-negative
// label values: 0..C-1 when they are contiguous; otherwise (labels {0, 1, 9}) the classes are named by
// the values that occur, labels are renumbered to index them, and a report entry says so, so absent
// values never become empty classes. A label above maxClasses (MaxClasses when <= 0) is an error.
func labelClasses(file string, labels []int, given []string, maxClasses int, rep *traffic.Report) ([]string, []int, error) {
	if maxClasses <= 0 {
		maxClasses = MaxClasses
	}
	if given != nil {
		return given, labels, nil
	}
	seen := map[int]bool{}
	for i, l := range labels {
		if l >= maxClasses {
			return nil, nil, fmt.Errorf("%s: label %d is %d, over the limit of %d classes (set MaxClasses or Classes if it is genuine)", file, i, l, maxClasses)
		}
		if l >= 0 {
			seen[l] = true
		}
	}
	values := make([]int, 0, len(seen))
	for v := range seen {
		values = append(values, v)
	}
	sort.Ints(values)
	if len(values) == 0 || values[len(values)-1] == len(values)-1 {
		return numberNames(len(values)), labels, nil
	}
	index := make(map[int]int, len(values))
	names := make([]string, len(values))
	for i, v := range values {
		index[v] = i
		names[i] = strconv.Itoa(v)
	}
	out := make([]int, len(labels))
	for i, l := range labels {
		out[i] = -1
		if l >= 0 {
			out[i] = index[l]
		}
	}
	rep.Add(file, 0, "labels", fmt.Sprintf("label values %s are not 0..%d: %d classes named by their values (pass Classes to name them)", intsString(values, 12), len(values)-1, len(values)))
	return names, out, nil
}

func intsString(v []int, max int) string {
	var b strings.Builder
	b.WriteString("{")
	for i, x := range v {
		if i == max {
			fmt.Fprintf(&b, ", ... %d more", len(v)-max)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(x))
	}
	b.WriteString("}")
	return b.String()
}

func numberNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}
