package gasf

// Stages holds every intermediate of the exact pipeline, for inspection and
// for comparison with the NumPy + OpenCV reference.
type Stages struct {
	Norm   Normalisation
	Unit   []float64 // normalised series in [0,1]
	Field  *Matrix   // L×L GASF or GADF
	Gamma  []float32 // L×L, A*((Field+1)/2)^gamma cast to float32
	Area   []float32 // S×S after INTER_AREA
	Pixels []uint8   // S×S 8-bit
}

// Pipeline runs the exact pipeline (normalise -> field -> gamma -> area
// resize -> 8 bit) and returns every stage. Memory is O(L²).
func Pipeline(series []float64, p Params) (*Stages, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	unit, norm, err := normalise(series, p.Norm)
	if err != nil {
		return nil, err
	}
	st := &Stages{Norm: norm, Unit: unit}
	st.Field = Field(unit, p.Kind)
	st.Gamma = Gamma(st.Field, p.Gamma, p.Amplitude)
	if st.Area, err = ResizeArea(st.Gamma, len(unit), p.Size); err != nil {
		return nil, err
	}
	st.Pixels = Quantise(st.Area)
	return st, nil
}

// Encode turns one series into an S×S 8-bit image with p's options, by the
// fused path (default) or the exact one; both give the same pixels.
// Bad data (empty, NaN/Inf, negative under Max, outside a Global range) and
// S outside [1, L] return errors.
func Encode(series []float64, p Params) (*Image, error) {
	if p.Method == Exact {
		st, err := Pipeline(series, p)
		if err != nil {
			return nil, err
		}
		return newImage(st.Pixels, p, st.Norm, len(series)), nil
	}
	if err := p.validate(); err != nil {
		return nil, err
	}
	unit, norm, err := normalise(series, p.Norm)
	if err != nil {
		return nil, err
	}
	area, err := fusedArea(unit, p)
	if err != nil {
		return nil, err
	}
	return newImage(Quantise(area), p, norm, len(series)), nil
}
