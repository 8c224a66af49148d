package gasf

import (
	"image"
	"image/color"
)

// Image is an S×S 8-bit GASF/GADF image with the options and normalisation
// that produced it (what Decode needs to invert it). It implements
// image.Image (as 8-bit gray) and gonum/plot's plotter.GridXYZ.
type Image struct {
	Size   int           // side S
	Pix    []uint8       // S×S pixels, row-major; pixel (x, y) at y*S+x
	Params Params        // imaging options used
	Norm   Normalisation // normalisation fitted or given
	Length int           // length L of the encoded series
}

// newImage wraps pixels with their provenance.
func newImage(pix []uint8, p Params, n Normalisation, length int) *Image {
	p.Norm = n
	return &Image{Size: p.Size, Pix: pix, Params: p, Norm: n, Length: length}
}

// ColorModel returns color.GrayModel.
func (m *Image) ColorModel() color.Model { return color.GrayModel }

// Bounds returns the rectangle (0,0)-(S,S).
func (m *Image) Bounds() image.Rectangle { return image.Rect(0, 0, m.Size, m.Size) }

// At returns the pixel at column x, row y (zero outside the bounds).
func (m *Image) At(x, y int) color.Color {
	if !(image.Point{x, y}.In(m.Bounds())) {
		return color.Gray{}
	}
	return color.Gray{Y: m.Pix[y*m.Size+x]}
}

// Gray returns an *image.Gray sharing the pixels.
func (m *Image) Gray() *image.Gray {
	return &image.Gray{Pix: m.Pix, Stride: m.Size, Rect: m.Bounds()}
}

// Floats returns the pixels divided by 255 (the network input scaling).
func (m *Image) Floats() []float32 {
	f := make([]float32, len(m.Pix))
	for i, v := range m.Pix {
		f[i] = float32(v) / 255
	}
	return f
}

// Dims returns the grid size (columns, rows) for plotter.GridXYZ.
func (m *Image) Dims() (c, r int) { return m.Size, m.Size }

// Z returns pixel value/255 at column c and grid row r. Grid rows grow
// upwards in a plot while image rows grow downwards, so grid row r is image
// row S-1-r: a heat map shows the image the way an image viewer does.
func (m *Image) Z(c, r int) float64 { return float64(m.Pix[(m.Size-1-r)*m.Size+c]) / 255 }

// X returns the coordinate of column c (its index).
func (m *Image) X(c int) float64 { return float64(c) }

// Y returns the coordinate of grid row r (its index).
func (m *Image) Y(r int) float64 { return float64(r) }
