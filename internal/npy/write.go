package npy

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Write writes data as one little-endian C-order .npy stream of the given shape (no shape: 1-D of
// len(data)). data is a []float64, []float32, []int64, []int32, []int16, []int8, []uint64, []uint32,
// []uint16, []uint8 or []bool.
func Write(w io.Writer, data any, shape ...int) error {
	descr, n, put := encoder(data)
	if put == nil {
		return fmt.Errorf("npy: cannot write %T: use a slice of float64, float32, int64, int32, int16, int8, uint64, uint32, uint16, uint8 or bool", data)
	}
	if shape == nil {
		shape = []int{n}
	}
	want := 1
	for _, d := range shape {
		if d < 0 {
			return fmt.Errorf("npy: negative dimension in shape %v", shape)
		}
		want *= d
	}
	if want != n {
		return fmt.Errorf("npy: shape %v holds %d items, data has %d", shape, want, n)
	}
	if _, err := w.Write(headerBytes(descr, shape)); err != nil {
		return err
	}
	buf := make([]byte, 0, 1<<15)
	for i := range n {
		buf = put(buf, i)
		if len(buf) > 1<<15-8 {
			if _, err := w.Write(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	_, err := w.Write(buf)
	return err
}

// growthDigits is NumPy's GROWTH_AXIS_MAX_DIGITS: numpy.save leaves room after the dict for the
// first axis to grow to this many digits, so headers match NumPy's byte for byte.
const growthDigits = 21

// headerBytes builds the header numpy.save writes: version 1.0 (2.0 when the padded header does not
// fit 65535 bytes), the dict, room for the first axis to grow, and spaces and a newline so the data
// starts at a multiple of 64 (a header already at a multiple gets 64 more, as in NumPy).
func headerBytes(descr string, shape []int) []byte {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	tuple := strings.Join(dims, ", ")
	if len(shape) == 1 {
		tuple += ","
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, tuple)
	if len(shape) > 0 {
		dict += strings.Repeat(" ", max(growthDigits-len(dims[0]), 0))
	}
	major, prefix := byte(1), 10
	pad := 64 - (prefix+len(dict)+1)%64
	if len(dict)+1+pad > math.MaxUint16 {
		major, prefix = 2, 12
		pad = 64 - (prefix+len(dict)+1)%64
	}
	hdr := dict + strings.Repeat(" ", pad) + "\n"
	out := append([]byte(nil), magic...)
	out = append(out, major, 0)
	if major == 1 {
		out = binary.LittleEndian.AppendUint16(out, uint16(len(hdr)))
	} else {
		out = binary.LittleEndian.AppendUint32(out, uint32(len(hdr)))
	}
	return append(out, hdr...)
}

// encoder returns the descr, length and an appender for item i of data.
func encoder(data any) (string, int, func([]byte, int) []byte) {
	le := binary.LittleEndian
	switch v := data.(type) {
	case []float64:
		return "<f8", len(v), func(b []byte, i int) []byte { return le.AppendUint64(b, math.Float64bits(v[i])) }
	case []float32:
		return "<f4", len(v), func(b []byte, i int) []byte { return le.AppendUint32(b, math.Float32bits(v[i])) }
	case []int64:
		return "<i8", len(v), func(b []byte, i int) []byte { return le.AppendUint64(b, uint64(v[i])) }
	case []int32:
		return "<i4", len(v), func(b []byte, i int) []byte { return le.AppendUint32(b, uint32(v[i])) }
	case []int16:
		return "<i2", len(v), func(b []byte, i int) []byte { return le.AppendUint16(b, uint16(v[i])) }
	case []int8:
		return "|i1", len(v), func(b []byte, i int) []byte { return append(b, byte(v[i])) }
	case []uint64:
		return "<u8", len(v), func(b []byte, i int) []byte { return le.AppendUint64(b, v[i]) }
	case []uint32:
		return "<u4", len(v), func(b []byte, i int) []byte { return le.AppendUint32(b, v[i]) }
	case []uint16:
		return "<u2", len(v), func(b []byte, i int) []byte { return le.AppendUint16(b, v[i]) }
	case []uint8:
		return "|u1", len(v), func(b []byte, i int) []byte { return append(b, v[i]) }
	case []bool:
		return "|b1", len(v), func(b []byte, i int) []byte {
			if v[i] {
				return append(b, 1)
			}
			return append(b, 0)
		}
	}
	return "", 0, nil
}
