package gasf

import (
	"fmt"
	"math"
	"strings"
)

// Mode selects how a series is mapped to the unit interval before encoding.
type Mode int

const (
	// MinMax maps each trace to [0,1] with its own minimum and maximum:
	// x' = (x - min) / (max - min). A constant trace maps to all zeros.
	MinMax Mode = iota
	// Max divides each trace by its own maximum absolute value (the paper's
	// "max normalisation"): x' = x / max|x|. Samples must be non-negative;
	// an all-zero trace stays all zeros.
	Max
	// Global maps every trace with one dataset-wide range [Lo, Hi] (see
	// GlobalRange), so traces of a dataset keep comparable amplitudes.
	Global
)

// String returns the mode's flag name: "minmax", "max" or "global".
func (m Mode) String() string {
	switch m {
	case MinMax:
		return "minmax"
	case Max:
		return "max"
	case Global:
		return "global"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ParseMode parses "minmax", "max" or "global" (case-insensitive).
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(s) {
	case "minmax", "min-max":
		return MinMax, nil
	case "max":
		return Max, nil
	case "global":
		return Global, nil
	}
	return 0, fmt.Errorf("%w: unknown normalisation %q (want minmax, max or global)", ErrParams, s)
}

// Normalisation records how a series was mapped to [0,1], so that Invert can
// undo it. It is stored with every Image.
//
// For MinMax and Global, x' = (x-Lo)/(Hi-Lo) (x' = 0 when Hi == Lo); for
// Max, Lo is 0 and x' = x/Hi (x' = 0 when Hi == 0).
type Normalisation struct {
	Mode   Mode
	Lo, Hi float64
}

// Fit returns the Normalisation of mode m fitted to the trace x (MinMax or
// Max). Global has no per-trace fit: build it with GlobalRange.
func Fit(m Mode, x []float64) (Normalisation, error) {
	if err := checkFinite(x); err != nil {
		return Normalisation{}, err
	}
	switch m {
	case MinMax:
		lo, hi := minMax(x)
		return Normalisation{Mode: MinMax, Lo: lo, Hi: hi}, nil
	case Max:
		for i, v := range x {
			if v < 0 {
				return Normalisation{}, fmt.Errorf("%w: index %d is %v; max normalisation needs non-negative data, use minmax or global", ErrNegative, i, v)
			}
		}
		_, hi := minMax(x)
		return Normalisation{Mode: Max, Hi: hi}, nil
	case Global:
		return Normalisation{}, fmt.Errorf("%w: global normalisation has no per-trace fit; build it with GlobalRange", ErrParams)
	}
	return Normalisation{}, fmt.Errorf("%w: unknown mode %v", ErrParams, m)
}

// GlobalRange returns the Global normalisation spanning every sample of
// every trace. It returns an error naming the trace and index of the first
// non-finite sample, or ErrEmpty when there are no samples at all.
func GlobalRange(traces ...[]float64) (Normalisation, error) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for t, x := range traces {
		if len(x) == 0 {
			continue
		}
		if err := checkFinite(x); err != nil {
			return Normalisation{}, fmt.Errorf("trace %d: %w", t, err)
		}
		l, h := minMax(x)
		lo, hi = math.Min(lo, l), math.Max(hi, h)
	}
	if lo > hi {
		return Normalisation{}, fmt.Errorf("%w: no samples in %d traces", ErrEmpty, len(traces))
	}
	return Normalisation{Mode: Global, Lo: lo, Hi: hi}, nil
}

// Apply maps x to the unit interval into dst (allocated when nil or short)
// and returns it. It checks every sample: NaN/Inf, negative samples under
// Max and samples outside [Lo, Hi] under Global return errors naming the
// index. The arithmetic is NumPy's: (x-Lo)/(Hi-Lo) and x/Hi.
func (n Normalisation) Apply(x, dst []float64) ([]float64, error) {
	if err := checkFinite(x); err != nil {
		return nil, err
	}
	if cap(dst) < len(x) {
		dst = make([]float64, len(x))
	}
	dst = dst[:len(x)]
	switch n.Mode {
	case MinMax, Global:
		if err := n.checkRange(x); err != nil {
			return nil, err
		}
		if !(n.Hi > n.Lo) {
			clear(dst)
			return dst, nil
		}
		d := n.Hi - n.Lo
		if math.IsInf(d, 0) { // range wider than MaxFloat64: halve everything
			lo, d := n.Lo/2, n.Hi/2-n.Lo/2
			for i, v := range x {
				dst[i] = (v/2 - lo) / d
			}
			break
		}
		for i, v := range x {
			dst[i] = (v - n.Lo) / d
		}
	case Max:
		for i, v := range x {
			if v < 0 || v > n.Hi {
				return nil, fmt.Errorf("%w: index %d is %v, outside [0, %v]; max normalisation needs non-negative data, use minmax or global", ErrNegative, i, v, n.Hi)
			}
		}
		if !(n.Hi > 0) {
			clear(dst)
			return dst, nil
		}
		for i, v := range x {
			dst[i] = v / n.Hi
		}
	default:
		return nil, fmt.Errorf("%w: unknown mode %v", ErrParams, n.Mode)
	}
	return dst, nil
}

// checkRange rejects samples outside [Lo, Hi].
func (n Normalisation) checkRange(x []float64) error {
	for i, v := range x {
		if v < n.Lo || v > n.Hi {
			return fmt.Errorf("%w: index %d is %v, outside [%v, %v]; compute the range over all traces (GlobalRange)", ErrOutOfRange, i, v, n.Lo, n.Hi)
		}
	}
	return nil
}

// Invert maps a unit-interval value back to the original units.
func (n Normalisation) Invert(u float64) float64 {
	if n.Mode == Max {
		return u * n.Hi
	}
	if d := n.Hi - n.Lo; !math.IsInf(d, 0) {
		return u*d + n.Lo
	}
	return 2 * (u*(n.Hi/2-n.Lo/2) + n.Lo/2)
}

// minMax returns the smallest and largest samples of a non-empty x.
func minMax(x []float64) (lo, hi float64) {
	lo, hi = x[0], x[0]
	for _, v := range x[1:] {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}

// normalise fits (MinMax, Max) or uses (Global) n and applies it.
func normalise(x []float64, n Normalisation) ([]float64, Normalisation, error) {
	if n.Mode != Global {
		var err error
		if n, err = Fit(n.Mode, x); err != nil {
			return nil, n, err
		}
	}
	u, err := n.Apply(x, nil)
	return u, n, err
}
