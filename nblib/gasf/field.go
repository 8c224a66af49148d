package gasf

import (
	"fmt"
	"math"
	"strings"
)

// Kind selects the Gramian angular field.
type Kind int

const (
	// GASF is the summation field cos(phi_i + phi_j) (the paper's choice).
	GASF Kind = iota
	// GADF is the difference field sin(phi_i - phi_j).
	GADF
)

// String returns "gasf" or "gadf".
func (k Kind) String() string {
	switch k {
	case GASF:
		return "gasf"
	case GADF:
		return "gadf"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// ParseKind parses "gasf" or "gadf" (case-insensitive).
func ParseKind(s string) (Kind, error) {
	switch strings.ToLower(s) {
	case "gasf":
		return GASF, nil
	case "gadf":
		return GADF, nil
	}
	return 0, fmt.Errorf("%w: unknown field %q (want gasf or gadf)", ErrParams, s)
}

// Matrix is a dense square float64 matrix in row-major order.
type Matrix struct {
	N    int
	Data []float64 // len N*N, element (i,j) at i*N+j
}

// At returns element (i, j).
func (m *Matrix) At(i, j int) float64 { return m.Data[i*m.N+j] }

// polar holds cos(phi) and sin(phi) of a unit-interval series, phi = arccos(x).
type polar struct {
	c, s []float64
}

// toPolar computes c = x and s = sqrt(clip(1 - x², 0, 1)) as NumPy does.
func toPolar(x01 []float64) polar {
	p := polar{c: x01, s: make([]float64, len(x01))}
	for i, c := range x01 {
		p.s[i] = math.Sqrt(clip01(1 - float64(c*c)))
	}
	return p
}

// at returns the field value at (i, j): GASF c_i c_j - s_i s_j, GADF
// s_i c_j - c_i s_j. Explicit conversions forbid fused multiply-adds, so the
// rounding is NumPy's.
func (p polar) at(k Kind, i, j int) float64 {
	if k == GADF {
		return float64(p.s[i]*p.c[j]) - float64(p.c[i]*p.s[j])
	}
	return float64(p.c[i]*p.c[j]) - float64(p.s[i]*p.s[j])
}

// Field returns the L×L Gramian angular field of a series already mapped to
// [0,1] (see Normalisation): cos(phi_i+phi_j) for GASF, sin(phi_i-phi_j) for
// GADF, with phi = arccos(x). Values outside [-1,1] make phi undefined and
// are the caller's bug (Field panics on them).
func Field(x01 []float64, k Kind) *Matrix {
	for i, v := range x01 {
		if !(v >= -1 && v <= 1) {
			panic(fmt.Sprintf("gasf.Field: x[%d] = %v outside [-1,1]; normalise first", i, v))
		}
	}
	p := toPolar(x01)
	n := len(x01)
	m := &Matrix{N: n, Data: make([]float64, n*n)}
	for i := range n {
		row := m.Data[i*n : (i+1)*n]
		for j := range row {
			row[j] = p.at(k, i, j)
		}
	}
	return m
}

// clip01 clamps v to [0,1].
func clip01(v float64) float64 {
	return math.Min(math.Max(v, 0), 1)
}
