package gasf

import "math"

// gammaFunc returns v -> A * ((v+1)/2)^gamma for field values v in [-1,1].
// gamma 0.25, 0.5 and 1 use square roots, which are correctly rounded and
// agree with the C library's pow after the float32 cast that follows.
func gammaFunc(gamma, amp float64) func(v float64) float64 {
	switch gamma {
	case 0.25:
		return func(v float64) float64 { return amp * math.Sqrt(math.Sqrt((v+1)/2)) }
	case 0.5:
		return func(v float64) float64 { return amp * math.Sqrt((v+1)/2) }
	case 1:
		return func(v float64) float64 { return amp * ((v + 1) / 2) }
	}
	return func(v float64) float64 { return amp * math.Pow((v+1)/2, gamma) }
}

// Gamma applies the paper's contrast correction I = A*((G+1)/2)^gamma to a
// field and casts to float32, as the reference casts before resizing.
func Gamma(g *Matrix, gamma, amp float64) []float32 {
	f := gammaFunc(gamma, amp)
	out := make([]float32, len(g.Data))
	for i, v := range g.Data {
		out[i] = float32(f(v))
	}
	return out
}

// Quantise maps float pixels in [0,1] to 8 bits as NumPy does:
// clip(rint(float32(v*255)), 0, 255), rounding half to even.
func Quantise(area []float32) []uint8 {
	q := make([]uint8, len(area))
	for i, v := range area {
		q[i] = quantise(v)
	}
	return q
}

// quantise maps one pixel to 8 bits (NaN maps to 0). Adding and
// subtracting 1.5*2^23 in float32 rounds half to even for |f| < 2^22,
// like np.rint; larger values are clipped anyway.
func quantise(v float32) uint8 {
	f := v * 255
	if !(f > 0) {
		return 0
	}
	if f >= 255 {
		return 255
	}
	const magic = 0x1.8p23
	return uint8(float32(float32(f+magic) - magic))
}
