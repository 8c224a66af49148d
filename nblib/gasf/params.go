package gasf

import (
	"fmt"
	"math"
)

// Method selects how Encode computes an image.
type Method int

const (
	// Fused computes the resized image straight from the series, in
	// O(L + S²) memory and in parallel. Its 8-bit output equals Exact's.
	Fused Method = iota
	// Exact builds every stage (L×L field, gamma image, resize) like the
	// NumPy + OpenCV reference; O(L²) memory. Use it to inspect stages.
	Exact
)

// String returns "fused" or "exact".
func (m Method) String() string {
	if m == Exact {
		return "exact"
	}
	return "fused"
}

// Params are the imaging options; DefaultParams gives the paper's.
type Params struct {
	Size      int           // output side S, 1 <= S <= series length
	Gamma     float64       // gamma exponent (paper: 0.25), > 0
	Amplitude float64       // A in I = A*((G+1)/2)^gamma (paper: 1), in (0, 1]
	Kind      Kind          // GASF (paper) or GADF
	Norm      Normalisation // Mode; for Global also Lo and Hi
	Method    Method        // Fused (default) or Exact
	Workers   int           // goroutines for one image; <= 0 means GOMAXPROCS
}

// DefaultParams returns the paper's settings for an S×S image: GASF, gamma
// 0.25, amplitude 1, per-trace min-max normalisation, fused computation.
func DefaultParams(size int) Params {
	return Params{Size: size, Gamma: 0.25, Amplitude: 1, Kind: GASF, Norm: Normalisation{Mode: MinMax}, Method: Fused}
}

// MaxSize bounds Params.Size: an S×S image needs S² bytes and the fused
// path S² float32 intermediates, so a size of 100000 (10^10 pixels) must be an
// error, not an out-of-memory. 4096 (16 Mpixel) is far above the paper's 128;
// a caller that needs more may raise it.
var MaxSize = 4096

// Validate reports invalid options, naming the field (the size is checked
// against the series length when encoding).
func (p Params) Validate() error { return p.validate() }

// validate reports invalid options (the size is checked against the series
// length later).
func (p Params) validate() error {
	switch {
	case p.Size < 1:
		return fmt.Errorf("%w: size %d, want >= 1", ErrSize, p.Size)
	case p.Size > MaxSize:
		return fmt.Errorf("%w: size %d is over gasf.MaxSize %d (an image of %d pixels); pick a smaller size or raise gasf.MaxSize", ErrSize, p.Size, MaxSize, int64(p.Size)*int64(p.Size))
	case p.Workers > 1<<12:
		return fmt.Errorf("%w: %d workers, want at most %d", ErrParams, p.Workers, 1<<12)
	case !(p.Gamma > 0) || math.IsInf(p.Gamma, 0):
		return fmt.Errorf("%w: gamma %v, want a finite value > 0 (paper: 0.25)", ErrParams, p.Gamma)
	case !(p.Amplitude > 0 && p.Amplitude <= 1):
		return fmt.Errorf("%w: amplitude %v, want 0 < A <= 1 so pixels stay in [0,1]", ErrParams, p.Amplitude)
	case p.Kind != GASF && p.Kind != GADF:
		return fmt.Errorf("%w: unknown kind %v", ErrParams, p.Kind)
	case p.Norm.Mode == Global && !(p.Norm.Hi >= p.Norm.Lo):
		return fmt.Errorf("%w: global range [%v, %v] is empty; build it with GlobalRange", ErrParams, p.Norm.Lo, p.Norm.Hi)
	}
	return nil
}
