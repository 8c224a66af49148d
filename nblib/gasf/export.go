package gasf

import (
	"image/png"
	"io"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// WritePNG writes the image as an 8-bit grayscale PNG.
func (m *Image) WritePNG(w io.Writer) error { return png.Encode(w, m.Gray()) }

// WriteNPY writes the image as a uint8 NumPy array of shape (S, S).
func (m *Image) WriteNPY(w io.Writer) error { return WriteNPYUint8(w, m.Pix, m.Size, m.Size) }

// WriteNPYUint8 writes data as a C-order uint8 .npy array of the given
// shape (internal/npy's writer, headers as numpy.save writes them); a shape
// that does not hold len(data) values is an error.
func WriteNPYUint8(w io.Writer, data []uint8, shape ...int) error {
	return npy.Write(w, data, shape...)
}

// WriteNPYFloat32 writes data as a C-order little-endian float32 .npy
// array of the given shape; a shape that does not match is an error.
func WriteNPYFloat32(w io.Writer, data []float32, shape ...int) error {
	return npy.Write(w, data, shape...)
}
