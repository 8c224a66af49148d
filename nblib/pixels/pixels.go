package pixels

import "math"

// ByteToModel maps an 8-bit pixel to the model range: p/127.5 - 1.
func ByteToModel(p uint8) float32 { return float32(p)/127.5 - 1 }

// ByteToUnit maps an 8-bit pixel to [0, 1]: p/255.
func ByteToUnit(p uint8) float64 { return float64(p) / 255 }

// UnitToModel maps a value in [0, 1] to the model range: 2u - 1 (no clamping: readers check the range).
func UnitToModel(u float64) float32 { return float32(2*u - 1) }

// ModelToUnit maps a model value to [0, 1], clamping: (m + 1) / 2.
func ModelToUnit(m float32) float64 { return math.Min(math.Max((float64(m)+1)/2, 0), 1) }

// ModelToByte maps a model value to the nearest 8-bit pixel, clamping: round((m + 1) * 127.5).
func ModelToByte(m float32) uint8 {
	v := (float64(m) + 1) * 127.5
	if math.IsNaN(v) {
		return 0
	}
	return uint8(math.Round(math.Min(math.Max(v, 0), 255)))
}

// UnitToByte maps a value in [0, 1] to the nearest 8-bit pixel, clamping: round(255 u).
func UnitToByte(u float64) uint8 {
	if math.IsNaN(u) {
		return 0
	}
	return uint8(math.Round(math.Min(math.Max(u, 0), 1) * 255))
}

// Quantise rounds a model value to the nearest of the 256 levels real images take in the model range.
func Quantise(m float32) float32 { return ByteToModel(ModelToByte(m)) }

// BytesToModel maps a slice of 8-bit pixels into dst (allocated when nil) in the model range.
func BytesToModel(dst []float32, src []uint8) []float32 {
	if dst == nil {
		dst = make([]float32, len(src))
	}
	for i, p := range src {
		dst[i] = ByteToModel(p)
	}
	return dst
}

// ModelToBytes maps model values to 8-bit pixels.
func ModelToBytes(src []float32) []uint8 {
	out := make([]uint8, len(src))
	for i, m := range src {
		out[i] = ModelToByte(m)
	}
	return out
}

// ModelToUnits maps model values to [0, 1] as float64 (the evaluation code's type).
func ModelToUnits(src []float32) []float64 {
	out := make([]float64, len(src))
	for i, m := range src {
		out[i] = ModelToUnit(m)
	}
	return out
}
