package trafficio

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"

	"github.com/netdiffus/netdiffus/internal/infile"

	"github.com/nlpodyssey/gopickle/pickle"
	py "github.com/nlpodyssey/gopickle/types"

	"github.com/netdiffus/netdiffus/internal/pickleclaims"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// The Deep Fingerprinting dataset (Sirinam et al., CCS 2018) ships its
// splits as Python pickles of NumPy arrays (X_train_NoDef.pkl: N x 5000
// directions, y_train_NoDef.pkl: N class indices), written by Python 2.
// The types below teach gopickle the few NumPy classes such a pickle
// names: ndarray (via _reconstruct + __setstate__), dtype, and
// _codecs.encode (how Python 3 writes bytes at protocol 2).

// pyArray is an unpickled numpy.ndarray.
type pyArray struct {
	shape []int
	dtype *pyDtype
	raw   []byte
	list  *py.List // object arrays
}

// pyDtype is an unpickled numpy.dtype such as "f8" with byte order "<".
type pyDtype struct {
	kind  string
	order string
}

type pyReconstruct struct{}
type pyDtypeClass struct{}
type pyCodecsEncode struct{}
type pyNdarrayClass struct{}

// Call implements numpy.core.multiarray._reconstruct: an empty array
// that __setstate__ fills.
func (pyReconstruct) Call(args ...any) (any, error) { return &pyArray{}, nil }

// Call implements numpy.ndarray(...) as an empty array that __setstate__ fills (the reconstruct
// argument of _reconstruct).
func (pyNdarrayClass) Call(args ...any) (any, error) { return &pyArray{}, nil }

// Call implements numpy.dtype("f8", align, copy).
func (pyDtypeClass) Call(args ...any) (any, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("numpy.dtype() without arguments")
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("numpy.dtype(%T) not supported", args[0])
	}
	return &pyDtype{kind: s, order: "<"}, nil
}

// PySetState reads the byte order from dtype.__setstate__'s tuple.
func (d *pyDtype) PySetState(state any) error {
	t, ok := state.(*py.Tuple)
	if !ok || t.Len() < 2 {
		return fmt.Errorf("numpy.dtype state (a %s) not understood", pyTypeName(state))
	}
	if o, ok := t.Get(1).(string); ok {
		d.order = o
	}
	return nil
}

// Call implements _codecs.encode(str, "latin1"): one byte per code point.
func (pyCodecsEncode) Call(args ...any) (any, error) {
	if len(args) == 0 {
		return nil, fmt.Errorf("_codecs.encode without arguments")
	}
	s, ok := args[0].(string)
	if !ok {
		return nil, fmt.Errorf("_codecs.encode(%T) not supported", args[0])
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r > 255 {
			return nil, fmt.Errorf("_codecs.encode: code point %d is not latin1", r)
		}
		out = append(out, byte(r))
	}
	return out, nil
}

// PySetState reads (version, shape, dtype, fortran, data) or the 4-tuple
// without version.
func (a *pyArray) PySetState(state any) error {
	t, ok := state.(*py.Tuple)
	if !ok || t.Len() < 4 {
		return fmt.Errorf("ndarray state (a %s) not understood", pyTypeName(state))
	}
	off := t.Len() - 4
	shape, ok := t.Get(off).(*py.Tuple)
	if !ok {
		return fmt.Errorf("ndarray shape (a %s) not a tuple", pyTypeName(t.Get(off)))
	}
	if shape.Len() > 8 {
		return fmt.Errorf("ndarray shape has %d dimensions; want (N) or (N, L)", shape.Len())
	}
	a.shape = nil
	for i := range shape.Len() {
		n, err := pyInt(shape.Get(i))
		if err != nil {
			return fmt.Errorf("ndarray shape: %w", err)
		}
		if n < 0 {
			return fmt.Errorf("ndarray shape %v has a negative dimension", shape)
		}
		a.shape = append(a.shape, n)
	}
	if a.dtype, ok = t.Get(off + 1).(*pyDtype); !ok {
		return fmt.Errorf("ndarray dtype (a %s) not understood", pyTypeName(t.Get(off+1)))
	}
	if f, _ := t.Get(off + 2).(bool); f && len(a.shape) > 1 {
		return fmt.Errorf("fortran-ordered arrays are not supported: pickle numpy.ascontiguousarray(x)")
	}
	switch raw := t.Get(off + 3).(type) {
	case string: // Python 2 str
		a.raw = []byte(raw)
	case []byte:
		a.raw = raw
	case *py.List:
		a.list = raw
	default:
		return fmt.Errorf("ndarray data of type %T not supported", raw)
	}
	return nil
}

func numpyClasses(module, name string) (any, error) {
	switch module + "." + name {
	case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct":
		return pyReconstruct{}, nil
	case "numpy.ndarray":
		return pyNdarrayClass{}, nil
	case "numpy.dtype":
		return pyDtypeClass{}, nil
	case "_codecs.encode":
		return pyCodecsEncode{}, nil
	}
	return nil, fmt.Errorf("pickle names class %s.%s, which this reader does not know; save plain NumPy arrays or lists", module, name)
}

func pyInt(v any) (int, error) {
	switch x := v.(type) {
	case int:
		return x, nil
	case int64:
		return int(x), nil
	case bool:
		if x {
			return 1, nil
		}
		return 0, nil
	}
	return 0, fmt.Errorf("a %s is not an int", pyTypeName(v))
}

func pyFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int, int64, bool:
		n, _ := pyInt(x)
		return float64(n), nil
	}
	return 0, fmt.Errorf("a %s is not a number", pyTypeName(v))
}

// count returns the product of the shape, or an error when it overflows or exceeds the items
// present (have), which bounds every allocation by the pickle's own size.
func (a *pyArray) count(have int) (int, error) {
	if a.dtype == nil {
		return 0, fmt.Errorf("ndarray has no state: _reconstruct without BUILD (__setstate__) in the pickle")
	}
	n := 1
	for _, s := range a.shape {
		if s != 0 && n > (1<<62)/s {
			return 0, fmt.Errorf("ndarray shape %v claims more than the %d items present", a.shape, have)
		}
		n *= s
	}
	if n > have {
		return 0, fmt.Errorf("ndarray shape %v claims more than the %d items present", a.shape, have)
	}
	return n, nil
}

// values decodes the raw buffer of a numeric array.
func (a *pyArray) values() ([]float64, error) {
	have := len(a.raw)
	if a.list != nil {
		have = a.list.Len()
	}
	n, err := a.count(have)
	if err != nil {
		return nil, err
	}
	if a.list != nil {
		if n != a.list.Len() {
			return nil, fmt.Errorf("ndarray shape %v holds %d items but its data lists %d", a.shape, n, a.list.Len())
		}
		return listFloats(a.list)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if a.dtype.order == ">" {
		bo = binary.BigEndian
	}
	size, dec, err := decoder(a.dtype.kind, bo)
	if err != nil {
		return nil, err
	}
	if len(a.raw) != n*size || (n > 0 && size > len(a.raw)/n) {
		return nil, fmt.Errorf("array data has %d bytes, shape %v of %s needs %d", len(a.raw), a.shape, a.dtype.kind, n*size)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = dec(a.raw[i*size:])
	}
	return out, nil
}

func decoder(kind string, bo binary.ByteOrder) (int, func([]byte) float64, error) {
	switch kind {
	case "f8":
		return 8, func(b []byte) float64 { return math.Float64frombits(bo.Uint64(b)) }, nil
	case "f4":
		return 4, func(b []byte) float64 { return float64(math.Float32frombits(bo.Uint32(b))) }, nil
	case "i8":
		return 8, func(b []byte) float64 { return float64(int64(bo.Uint64(b))) }, nil
	case "i4":
		return 4, func(b []byte) float64 { return float64(int32(bo.Uint32(b))) }, nil
	case "i2":
		return 2, func(b []byte) float64 { return float64(int16(bo.Uint16(b))) }, nil
	case "i1":
		return 1, func(b []byte) float64 { return float64(int8(b[0])) }, nil
	case "u1", "b1":
		return 1, func(b []byte) float64 { return float64(b[0]) }, nil
	}
	return 0, nil, fmt.Errorf("dtype %q not supported: use float or int arrays", kind)
}

func listFloats(l *py.List) ([]float64, error) {
	out := make([]float64, l.Len())
	for i := range out {
		v, err := pyFloat(l.Get(i))
		if err != nil {
			return nil, fmt.Errorf("element %d: %w", i, err)
		}
		out[i] = v
	}
	return out, nil
}

// loadPickle returns the pickled object as rows of numbers: a 2-D array or
// a list of lists gives rows, a 1-D array or flat list gives one value per
// row.
func loadPickle(path string) ([][]float64, error) {
	f, err := infile.Open(path, infile.MaxPickle)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := pickleclaims.Scan(bufio.NewReader(f), f.Size); err != nil {
		return nil, fmt.Errorf("%s: not a pickle this reader accepts: %w", path, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return unpickleRows(path, bufio.NewReader(f))
}

// unpickleRows runs gopickle, turning any panic inside it into an error naming the file.
func unpickleRows(path string, r io.Reader) (rows [][]float64, err error) {
	defer func() {
		if p := recover(); p != nil {
			rows, err = nil, fmt.Errorf("%s: malformed pickle (the unpickler failed: %v)", path, p)
		}
	}()
	u := pickle.NewUnpickler(r)
	u.FindClass = numpyClasses
	obj, err := u.Load()
	if err != nil {
		return nil, fmt.Errorf("%s: cannot unpickle: %w", path, err)
	}
	rows, err = pickleRows(obj)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rows, nil
}

func pickleRows(obj any) ([][]float64, error) {
	switch o := obj.(type) {
	case *pyArray:
		v, err := o.values()
		if err != nil {
			return nil, err
		}
		return reshapeRows(v, o.shape)
	case *py.List:
		rows := make([][]float64, o.Len())
		for i := range rows {
			r, err := pickleRow(o.Get(i))
			if err != nil {
				return nil, fmt.Errorf("item %d: %w", i, err)
			}
			rows[i] = r
		}
		return rows, nil
	}
	return nil, fmt.Errorf("pickled %T; want a NumPy array or a list", obj)
}

func pickleRow(v any) ([]float64, error) {
	switch o := v.(type) {
	case *pyArray:
		return o.values()
	case *py.List:
		return listFloats(o)
	}
	x, err := pyFloat(v)
	return []float64{x}, err
}

func reshapeRows(v []float64, shape []int) ([][]float64, error) {
	want := 1
	for _, d := range shape {
		want *= d // count() bounded the product
	}
	if want != len(v) {
		return nil, fmt.Errorf("array of shape %v does not hold its %d values", shape, len(v))
	}
	if len(shape) == 2 && shape[1] == 0 && shape[0] > 0 {
		return nil, fmt.Errorf("array of shape %v: %d rows of length 0", shape, shape[0])
	}
	switch len(shape) {
	case 1:
		rows := make([][]float64, shape[0])
		for i := range rows {
			rows[i] = v[i : i+1]
		}
		return rows, nil
	case 2:
		rows := make([][]float64, shape[0])
		for i := range rows {
			rows[i] = v[i*shape[1] : (i+1)*shape[1]]
		}
		return rows, nil
	}
	return nil, fmt.Errorf("array of shape %v; want (N) or (N, L)", shape)
}

// DFOptions configure ReadDFPickles.
type DFOptions struct {
	// Classes names the site indices 0..C-1; "0", "1", ... when nil.
	Classes []string
	// Length of the default feature; 5000 (the DF trace length) when 0.
	Length int
	// MaxClasses bounds the class count derived from label values (MaxClasses when 0).
	MaxClasses int
}

// ReadDFPickles reads a Deep Fingerprinting split: xPath holds the N
// direction sequences (+1/-1, zero padded), yPath the N site indices. Each
// row becomes a ready series; the default feature is the series at Length.
// Rows with a non-integer or negative label, or a NaN, are reported.
func ReadDFPickles(xPath, yPath string, opt DFOptions) (*traffic.Dataset, traffic.Report, error) {
	var rep traffic.Report
	x, err := loadPickle(xPath)
	if err != nil {
		return nil, rep, err
	}
	y, err := loadPickle(yPath)
	if err != nil {
		return nil, rep, err
	}
	if len(x) != len(y) {
		return nil, rep, fmt.Errorf("%s has %d traces but %s has %d labels", xPath, len(x), yPath, len(y))
	}
	labels := make([]int, len(y))
	for i, r := range y {
		if len(r) != 1 || r[0] != math.Trunc(r[0]) || r[0] < 0 || r[0] > 1<<53 {
			labels[i] = -1
			continue
		}
		labels[i] = int(r[0])
	}
	classes, labels, err := labelClasses(yPath, labels, opt.Classes, opt.MaxClasses, &rep)
	if err != nil {
		return nil, rep, err
	}
	var traces []traffic.Trace
	for i, row := range x {
		id := "trace " + strconv.Itoa(i)
		reason := badRow(row, labels[i], len(classes))
		if reason == "" && len(row) == 0 {
			reason = "empty trace: row skipped"
		}
		if reason != "" {
			rep.Add(xPath, i+1, id, reason)
			continue
		}
		traces = append(traces, traffic.Trace{ID: id, Label: classes[labels[i]], Values: append([]float64(nil), row...)})
	}
	rep.Read = len(traces)
	length := opt.Length
	if length == 0 {
		length = 5000
	}
	ds, err := traffic.NewDataset(filepath.Base(xPath), traces, classes, traffic.Feature{Kind: traffic.Values, Length: length})
	return ds, rep, err
}

// pyTypeName names the Python type of v for errors without formatting v, which for a deeply nested
// container would take time and memory quadratic in its depth.
func pyTypeName(v any) string {
	switch x := v.(type) {
	case *py.List:
		return fmt.Sprintf("list of %d items", x.Len())
	case string:
		if len(x) > 20 {
			x = x[:20] + "..."
		}
		return fmt.Sprintf("string %q", x)
	case nil:
		return "None"
	}
	return fmt.Sprintf("%T", v)
}
