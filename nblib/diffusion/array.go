package diffusion

import (
	"fmt"
	"math/rand/v2"
)

// Array is a dense float32 batch in row-major order. Shape[0] is the batch axis; the remaining axes
// are one example's shape (for images [H, W, C], channels last; for series [L, C]).
type Array struct {
	Shape []int
	Data  []float32
}

// NewArray returns a zero Array of the given shape. It panics on a non-positive dimension.
func NewArray(shape ...int) Array {
	n := 1
	for _, d := range shape {
		if d <= 0 {
			panic(fmt.Sprintf("diffusion: NewArray: non-positive dimension in shape %v", shape))
		}
		n *= d
	}
	return Array{Shape: append([]int(nil), shape...), Data: make([]float32, n)}
}

// Batch returns the size of the batch axis.
func (a Array) Batch() int { return a.Shape[0] }

// ExampleSize returns the number of values in one example (the product of the non-batch axes).
func (a Array) ExampleSize() int {
	n := 1
	for _, d := range a.Shape[1:] {
		n *= d
	}
	return n
}

// Example returns the values of example i, sharing memory with a.
func (a Array) Example(i int) []float32 {
	n := a.ExampleSize()
	return a.Data[i*n : (i+1)*n]
}

// Clone returns a deep copy of a.
func (a Array) Clone() Array {
	return Array{Shape: append([]int(nil), a.Shape...), Data: append([]float32(nil), a.Data...)}
}

// SameShape reports whether a and b have identical shapes.
func (a Array) SameShape(b Array) bool {
	if len(a.Shape) != len(b.Shape) {
		return false
	}
	for i := range a.Shape {
		if a.Shape[i] != b.Shape[i] {
			return false
		}
	}
	return true
}

// Check returns an error when len(Data) does not match Shape or the shape is empty.
func (a Array) Check() error {
	if len(a.Shape) < 2 {
		return fmt.Errorf("diffusion: array shape %v needs a batch axis and at least one example axis", a.Shape)
	}
	n := 1
	for _, d := range a.Shape {
		if d <= 0 {
			return fmt.Errorf("diffusion: array shape %v has a non-positive dimension", a.Shape)
		}
		n *= d
	}
	if n != len(a.Data) {
		return fmt.Errorf("diffusion: array shape %v holds %d values but data has %d", a.Shape, n, len(a.Data))
	}
	return nil
}

// FillNormal fills a with independent standard normal values drawn from rng.
func (a Array) FillNormal(rng *rand.Rand) {
	for i := range a.Data {
		a.Data[i] = float32(rng.NormFloat64())
	}
}
