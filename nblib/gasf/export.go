package gasf

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"image/png"
	"io"
	"math"
	"strconv"
	"strings"
)

// WritePNG writes the image as an 8-bit grayscale PNG.
func (m *Image) WritePNG(w io.Writer) error { return png.Encode(w, m.Gray()) }

// WriteNPY writes the image as a uint8 NumPy array of shape (S, S).
func (m *Image) WriteNPY(w io.Writer) error { return WriteNPYUint8(w, m.Pix, m.Size, m.Size) }

// WriteNPYUint8 writes data as a C-order uint8 .npy array of the given
// shape; it panics if the shape does not match len(data).
func WriteNPYUint8(w io.Writer, data []uint8, shape ...int) error {
	checkShape(len(data), shape)
	bw := bufio.NewWriter(w)
	if err := writeNPYHeader(bw, "|u1", shape); err != nil {
		return err
	}
	if _, err := bw.Write(data); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteNPYFloat32 writes data as a C-order little-endian float32 .npy
// array of the given shape; it panics if the shape does not match.
func WriteNPYFloat32(w io.Writer, data []float32, shape ...int) error {
	checkShape(len(data), shape)
	bw := bufio.NewWriter(w)
	if err := writeNPYHeader(bw, "<f4", shape); err != nil {
		return err
	}
	var b [4]byte
	for _, v := range data {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(v))
		if _, err := bw.Write(b[:]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// checkShape panics when the product of shape differs from n.
func checkShape(n int, shape []int) {
	p := 1
	for _, d := range shape {
		p *= d
	}
	if p != n {
		panic(fmt.Sprintf("gasf: shape %v holds %d values, data has %d", shape, p, n))
	}
}

// writeNPYHeader writes an .npy version 1.0 header (magic, version, length,
// dictionary padded with spaces so the data starts at a multiple of 64).
func writeNPYHeader(w io.Writer, descr string, shape []int) error {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	tuple := strings.Join(dims, ", ")
	if len(shape) == 1 {
		tuple += ","
	}
	dict := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, tuple)
	const prefix = 10 // magic (6) + version (2) + header length (2)
	pad := 64 - (prefix+len(dict)+1)%64
	if pad == 64 {
		pad = 0
	}
	hdr := dict + strings.Repeat(" ", pad) + "\n"
	if _, err := io.WriteString(w, "\x93NUMPY\x01\x00"); err != nil {
		return err
	}
	if err := binary.Write(w, binary.LittleEndian, uint16(len(hdr))); err != nil {
		return err
	}
	_, err := io.WriteString(w, hdr)
	return err
}
