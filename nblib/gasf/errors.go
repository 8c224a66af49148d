package gasf

import (
	"errors"
	"fmt"
	"math"
)

// Sentinel errors returned (wrapped, with the offending index and a hint) by
// the functions of this package; test them with errors.Is.
var (
	// ErrEmpty: the series has no samples.
	ErrEmpty = errors.New("gasf: empty series")
	// ErrNotFinite: a sample is NaN or ±Inf.
	ErrNotFinite = errors.New("gasf: sample is not finite")
	// ErrNegative: a negative sample under Max normalisation (the diagonal
	// inverse could not recover its sign).
	ErrNegative = errors.New("gasf: negative sample")
	// ErrOutOfRange: a sample outside the range of a Global normalisation.
	ErrOutOfRange = errors.New("gasf: sample outside the global range")
	// ErrSize: the requested image size is not in [1, series length].
	ErrSize = errors.New("gasf: bad image size")
	// ErrParams: gamma, amplitude or another parameter is invalid.
	ErrParams = errors.New("gasf: bad parameters")
)

// checkFinite returns an error naming the first NaN/Inf sample, or ErrEmpty.
func checkFinite(x []float64) error {
	if len(x) == 0 {
		return fmt.Errorf("%w: give at least one sample", ErrEmpty)
	}
	for i, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%w: index %d is %v; clean or interpolate the series first", ErrNotFinite, i, v)
		}
	}
	return nil
}
