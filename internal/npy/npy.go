package npy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"strconv"
	"strings"

	"github.com/netdiffus/netdiffus/internal/infile"
)

// ErrLimit is wrapped by every error that reports an input exceeding a Limits field: raise the limit
// (Limits is a plain struct) if the input is genuine.
var ErrLimit = errors.New("limit exceeded")

// ErrFormat is wrapped by every error that reports a malformed or inconsistent file.
var ErrFormat = errors.New("malformed NumPy data")

// Limits bound what a reader accepts. The zero value of a field means its Default value.
type Limits struct {
	MaxHeaderBytes int   // header dict length (NumPy itself refuses more than 10000 by default)
	MaxDims        int   // number of dimensions (NumPy's own maximum is 64)
	MaxArrayBytes  int64 // data bytes of one array
	MaxTotalBytes  int64 // declared uncompressed bytes of all members read from one .npz
	MaxMembers     int   // members of one .npz
}

// Default limits. MaxArrayBytes of 1 GiB holds 16384 float32 128x128 images or 2^27 float64 values;
// callers with larger data pass a larger Limits.
const (
	DefaultMaxHeaderBytes = 1 << 16
	DefaultMaxDims        = 32
	DefaultMaxArrayBytes  = 1 << 30
	DefaultMaxTotalBytes  = 2 << 30
	DefaultMaxMembers     = 1024
)

func (l Limits) withDefaults() Limits {
	if l.MaxHeaderBytes <= 0 {
		l.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if l.MaxDims <= 0 {
		l.MaxDims = DefaultMaxDims
	}
	if l.MaxArrayBytes <= 0 {
		l.MaxArrayBytes = DefaultMaxArrayBytes
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = DefaultMaxTotalBytes
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = DefaultMaxMembers
	}
	return l
}

// Header is the parsed header of one array.
type Header struct {
	Major, Minor int
	Descr        string // as written, e.g. "<f8" or "|u1"
	Kind         byte   // 'f' float, 'i' signed, 'u' unsigned, 'b' bool
	ItemSize     int    // bytes per item
	BigEndian    bool
	Fortran      bool
	Shape        []int
	DataOffset   int64 // bytes from the start of the array's stream to its data
}

// Len returns the number of items, the product of Shape (1 for a scalar).
func (h Header) Len() int {
	n := 1
	for _, d := range h.Shape {
		n *= d
	}
	return n
}

// DataBytes returns Len() * ItemSize.
func (h Header) DataBytes() int64 { return int64(h.Len()) * int64(h.ItemSize) }

// where formats the file and array name for error messages.
func where(file, array string) string {
	switch {
	case file == "" && array == "":
		return "npy"
	case array == "":
		return file
	case file == "":
		return fmt.Sprintf("array %q", array)
	}
	return fmt.Sprintf("%s: array %q", file, array)
}

func formatErr(file, array, format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s", where(file, array), ErrFormat, fmt.Sprintf(format, args...))
}

func limitErr(file, array, format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s", where(file, array), ErrLimit, fmt.Sprintf(format, args...))
}

var magic = []byte("\x93NUMPY")

// ReadHeader reads and validates the header of an array stream whose total length (header and data)
// is size bytes. It checks the data the header claims against size and lim before returning, so the
// caller may allocate Header.DataBytes(). file and array name the input in errors.
func ReadHeader(r io.Reader, size int64, lim Limits, file, array string) (Header, error) {
	lim = lim.withDefaults()
	var pre [12]byte
	if size < 10 {
		return Header{}, formatErr(file, array, "%d bytes is too short for an .npy header (at least 10)", size)
	}
	if _, err := io.ReadFull(r, pre[:8]); err != nil {
		return Header{}, formatErr(file, array, "reading the magic: %v", err)
	}
	if !bytes.Equal(pre[:6], magic) {
		return Header{}, formatErr(file, array, "no \\x93NUMPY magic: not an .npy array")
	}
	h := Header{Major: int(pre[6]), Minor: int(pre[7])}
	var hlen int64
	switch h.Major {
	case 1:
		if _, err := io.ReadFull(r, pre[8:10]); err != nil {
			return Header{}, formatErr(file, array, "reading the header length: %v", err)
		}
		hlen, h.DataOffset = int64(binary.LittleEndian.Uint16(pre[8:10])), 10
	case 2, 3:
		if size < 12 {
			return Header{}, formatErr(file, array, "%d bytes is too short for a version %d header", size, h.Major)
		}
		if _, err := io.ReadFull(r, pre[8:12]); err != nil {
			return Header{}, formatErr(file, array, "reading the header length: %v", err)
		}
		hlen, h.DataOffset = int64(binary.LittleEndian.Uint32(pre[8:12])), 12
	default:
		return Header{}, formatErr(file, array, "format version %d.%d is not 1.0, 2.0 or 3.0", h.Major, h.Minor)
	}
	if hlen > int64(lim.MaxHeaderBytes) {
		return Header{}, limitErr(file, array, "header length %d exceeds Limits.MaxHeaderBytes %d", hlen, lim.MaxHeaderBytes)
	}
	if h.DataOffset+hlen > size {
		return Header{}, formatErr(file, array, "header length %d runs past the end (%d bytes in all)", hlen, size)
	}
	dict := make([]byte, hlen)
	if _, err := io.ReadFull(r, dict); err != nil {
		return Header{}, formatErr(file, array, "reading the header: %v", err)
	}
	h.DataOffset += hlen
	if err := parseDict(&h, string(dict), lim); err != nil {
		return Header{}, fmt.Errorf("%s: header: %w", where(file, array), err)
	}
	have := size - h.DataOffset
	want, ok := dataBytes(h.Shape, h.ItemSize)
	if !ok || want > lim.MaxArrayBytes {
		return Header{}, limitErr(file, array, "shape %v of %s needs %s bytes, over Limits.MaxArrayBytes %d", h.Shape, h.Descr, bytesString(h.Shape, h.ItemSize), lim.MaxArrayBytes)
	}
	if want != have {
		return Header{}, formatErr(file, array, "shape %v of %s needs %d data bytes but %d are present (truncated or inconsistent file)", h.Shape, h.Descr, want, have)
	}
	return h, nil
}

// dataBytes returns prod(shape)*item, and false on overflow of int64 (or of int on 32-bit machines).
func dataBytes(shape []int, item int) (int64, bool) {
	n := uint64(item)
	for _, d := range shape {
		hi, lo := bits.Mul64(n, uint64(d))
		if hi != 0 || lo > math.MaxInt64/2 || lo > uint64(math.MaxInt) {
			return 0, false
		}
		n = lo
	}
	return int64(n), true
}

func bytesString(shape []int, item int) string {
	if n, ok := dataBytes(shape, item); ok {
		return strconv.FormatInt(n, 10)
	}
	return "more than 2^62"
}

// dtypes is the whitelist: type character and item size.
var dtypes = map[string]struct {
	kind byte
	size int
}{
	"f8": {'f', 8}, "f4": {'f', 4},
	"i8": {'i', 8}, "i4": {'i', 4}, "i2": {'i', 2}, "i1": {'i', 1},
	"u8": {'u', 8}, "u4": {'u', 4}, "u2": {'u', 2}, "u1": {'u', 1},
	"b1": {'b', 1},
}

// parseDescr accepts an order character (<, >, =, |) followed by a whitelisted type.
func parseDescr(h *Header, d string) error {
	if len(d) != 3 || !strings.ContainsRune("<>=|", rune(d[0])) {
		return fmt.Errorf("%w: descr %q is not a plain numeric dtype such as '<f8' (structured and object arrays are not supported)", ErrFormat, d)
	}
	t, ok := dtypes[d[1:]]
	if !ok {
		return fmt.Errorf("%w: dtype %q is not supported: save the array as float64/32, int64/32/16/8, uint64/32/16/8 or bool", ErrFormat, d)
	}
	h.Descr, h.Kind, h.ItemSize, h.BigEndian = d, t.kind, t.size, d[0] == '>'
	return nil
}

// parseDict parses the restricted Python literal NumPy writes: {'descr': S, 'fortran_order': B,
// 'shape': (I, ...), } with any spacing.
func parseDict(h *Header, s string, lim Limits) error {
	p := &lexer{s: strings.TrimRight(s, " \n\x00")}
	if !p.take('{') {
		return fmt.Errorf("%w: does not start with '{'", ErrFormat)
	}
	seen := map[string]bool{}
	for {
		if p.take('}') {
			break
		}
		key, err := p.str()
		if err != nil {
			return err
		}
		if seen[key] {
			return fmt.Errorf("%w: key %q repeated", ErrFormat, key)
		}
		seen[key] = true
		if !p.take(':') {
			return fmt.Errorf("%w: no ':' after key %q", ErrFormat, key)
		}
		switch key {
		case "descr":
			d, err := p.str()
			if err != nil {
				return fmt.Errorf("descr: %w", err)
			}
			if err := parseDescr(h, d); err != nil {
				return err
			}
		case "fortran_order":
			switch {
			case p.word("True"):
				h.Fortran = true
			case p.word("False"):
			default:
				return fmt.Errorf("%w: fortran_order is not True or False", ErrFormat)
			}
		case "shape":
			if h.Shape, err = p.shape(lim.MaxDims); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: unexpected key %q", ErrFormat, key)
		}
		if !p.take(',') {
			if !p.take('}') {
				return fmt.Errorf("%w: expected ',' or '}' after %q", ErrFormat, key)
			}
			break
		}
	}
	if p.rest() != "" {
		return fmt.Errorf("%w: text after the dict", ErrFormat)
	}
	for _, k := range []string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return fmt.Errorf("%w: key %q missing", ErrFormat, k)
		}
	}
	if h.Fortran && len(h.Shape) > 1 {
		return fmt.Errorf("%w: Fortran-ordered array of shape %v: save it with numpy.ascontiguousarray", ErrFormat, h.Shape)
	}
	return nil
}

type lexer struct {
	s string
	i int
}

func (p *lexer) skip() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n') {
		p.i++
	}
}

func (p *lexer) rest() string { p.skip(); return p.s[p.i:] }

func (p *lexer) take(c byte) bool {
	p.skip()
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *lexer) word(w string) bool {
	p.skip()
	if strings.HasPrefix(p.s[p.i:], w) {
		p.i += len(w)
		return true
	}
	return false
}

// str reads a quoted string without escapes (NumPy's keys and descrs need none).
func (p *lexer) str() (string, error) {
	p.skip()
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", fmt.Errorf("%w: expected a quoted string at byte %d", ErrFormat, p.i)
	}
	q := p.s[p.i]
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", fmt.Errorf("%w: unterminated string at byte %d", ErrFormat, p.i)
	}
	v := p.s[p.i+1 : p.i+1+end]
	p.i += end + 2
	return v, nil
}

// shape reads a tuple of non-negative decimal integers: (), (3,), (3, 4), (3, 4,).
func (p *lexer) shape(maxDims int) ([]int, error) {
	if !p.take('(') {
		return nil, fmt.Errorf("%w: shape is not a tuple", ErrFormat)
	}
	out := []int{}
	for {
		if p.take(')') {
			return out, nil
		}
		p.skip()
		j := p.i
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		if j == p.i {
			return nil, fmt.Errorf("%w: shape element at byte %d is not a non-negative integer", ErrFormat, p.i)
		}
		d, err := strconv.ParseInt(p.s[p.i:j], 10, 64)
		if err != nil || d > math.MaxInt32 {
			return nil, fmt.Errorf("%w: shape element %s is too large (at most %d per axis)", ErrLimit, p.s[p.i:j], math.MaxInt32)
		}
		p.i = j
		p.word("L") // Python 2 longs
		out = append(out, int(d))
		if len(out) > maxDims {
			return nil, fmt.Errorf("%w: more than Limits.MaxDims %d dimensions", ErrLimit, maxDims)
		}
		if !p.take(',') {
			if !p.take(')') {
				return nil, fmt.Errorf("%w: expected ',' or ')' in shape", ErrFormat)
			}
			return out, nil
		}
	}
}

// Array is an array read into memory: its header and its raw data bytes (in the file's byte order).
type Array struct {
	Header
	Name string // the array's name in an .npz (without ".npy"), or the file name
	Raw  []byte
}

// ReadFrom reads one array whose stream (header and data) is exactly size bytes.
func ReadFrom(r io.Reader, size int64, lim Limits, file, array string) (*Array, error) {
	h, err := ReadHeader(r, size, lim, file, array)
	if err != nil {
		return nil, err
	}
	raw := make([]byte, h.DataBytes())
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, formatErr(file, array, "reading %d data bytes: %v", len(raw), err)
	}
	return &Array{Header: h, Name: array, Raw: raw}, nil
}

// ReadFile reads an .npy file, checking its header against the file's size and lim first.
func ReadFile(path string, lim Limits) (*Array, error) {
	f, err := infile.Open(path, infile.MaxNumPy)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadFrom(f, f.Size, lim, path, "")
}

func (a *Array) order() binary.ByteOrder {
	if a.BigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// At returns item i as float64 (integers above 2^53 lose precision).
func (a *Array) At(i int) float64 {
	b := a.Raw[i*a.ItemSize:]
	o := a.order()
	switch a.Kind {
	case 'f':
		if a.ItemSize == 8 {
			return math.Float64frombits(o.Uint64(b))
		}
		return float64(math.Float32frombits(o.Uint32(b)))
	case 'i':
		switch a.ItemSize {
		case 8:
			return float64(int64(o.Uint64(b)))
		case 4:
			return float64(int32(o.Uint32(b)))
		case 2:
			return float64(int16(o.Uint16(b)))
		}
		return float64(int8(b[0]))
	case 'u':
		switch a.ItemSize {
		case 8:
			return float64(o.Uint64(b))
		case 4:
			return float64(o.Uint32(b))
		case 2:
			return float64(o.Uint16(b))
		}
		return float64(b[0])
	}
	if b[0] != 0 { // bool
		return 1
	}
	return 0
}

// Float64s converts every item to float64.
func (a *Array) Float64s() []float64 {
	out := make([]float64, a.Len())
	for i := range out {
		out[i] = a.At(i)
	}
	return out
}

// Float32s converts every item to float32.
func (a *Array) Float32s() []float32 {
	out := make([]float32, a.Len())
	for i := range out {
		out[i] = float32(a.At(i))
	}
	return out
}

// Ints returns the items as ints, with an error naming the first item that is not an integer in
// [lo, hi] (a float label of 2.5, a NaN, or a value outside the range).
func (a *Array) Ints(lo, hi int, file string) ([]int, error) {
	out := make([]int, a.Len())
	for i := range out {
		v := a.At(i)
		if v != math.Trunc(v) || v < float64(lo) || v > float64(hi) {
			return nil, formatErr(file, a.Name, "item %d is %g, want an integer in [%d, %d]", i, v, lo, hi)
		}
		out[i] = int(v)
	}
	return out, nil
}

// Element is a Go type with an exact NumPy dtype, for Values.
type Element interface {
	float64 | float32 | int64 | int32 | int16 | int8 | uint64 | uint32 | uint16 | uint8 | bool
}

// Values returns the items of a as a []T without conversion: the array's dtype must be exactly T's
// (kind and item size, any byte order), otherwise the error names the file, the array and both
// types. Use Float64s, Float32s or Ints to convert between types instead.
func Values[T Element](a *Array, file string) ([]T, error) {
	var zero T
	kind, size := elementType(any(zero))
	if a.Kind != kind || a.ItemSize != size {
		return nil, formatErr(file, a.Name, "dtype %s is not the %T array the reader expects", a.Descr, zero)
	}
	out := make([]T, a.Len())
	if _, err := binary.Decode(a.Raw, a.order(), out); err != nil {
		return nil, formatErr(file, a.Name, "decoding %d items: %v", len(out), err)
	}
	return out, nil
}

// elementType returns the dtype kind and item size of an Element value.
func elementType(v any) (byte, int) {
	switch v.(type) {
	case float64:
		return 'f', 8
	case float32:
		return 'f', 4
	case int64:
		return 'i', 8
	case int32:
		return 'i', 4
	case int16:
		return 'i', 2
	case int8:
		return 'i', 1
	case uint64:
		return 'u', 8
	case uint32:
		return 'u', 4
	case uint16:
		return 'u', 2
	case uint8:
		return 'u', 1
	}
	return 'b', 1
}
