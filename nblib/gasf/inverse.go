package gasf

import (
	"fmt"
	"math"
)

// Diagonal recovers the unit-interval series from the main diagonal of an
// un-resized GASF matrix: G_ii = cos(2 phi_i) = 2x_i² - 1, so
// x_i = sqrt((G_ii+1)/2). It is exact up to rounding for x in [0,1].
func Diagonal(g *Matrix) []float64 {
	x := make([]float64, g.N)
	for i := range x {
		x[i] = math.Sqrt(clip01((g.At(i, i) + 1) / 2))
	}
	return x
}

// Decode approximately inverts Encode for a GASF image: it reads the S
// diagonal pixels, undoes the 8-bit quantisation (p = q/255), the gamma
// correction ((G+1)/2 = (p/A)^(1/gamma)), the field (x = sqrt((G+1)/2)) and
// the normalisation (Norm.Invert), and returns S samples in the original
// units.
//
// When S = L the only loss is quantisation: with gamma 0.25 and A = 1,
// x = p², so a sample is off by at most 2p/510 <= 1/255 of the normalised
// range. When S < L sample k stands for the block of about L/S samples it
// was averaged over, and the diagonal pixel averages ((G+1)/2)^gamma over
// the whole block, including off-diagonal pairs: the result is close to
// the block mean for smooth series and biased low where the block is
// rough (see TestDecodeResizedError for measured errors). GADF images have
// an all-zero diagonal and cannot be decoded.
func Decode(img *Image) ([]float64, error) {
	if img.Params.Kind != GASF {
		return nil, fmt.Errorf("%w: only GASF images can be decoded (the GADF diagonal is sin 0 = 0)", ErrParams)
	}
	if !(img.Params.Gamma > 0) || !(img.Params.Amplitude > 0) {
		return nil, fmt.Errorf("%w: image has gamma %v, amplitude %v; was it made by Encode?", ErrParams, img.Params.Gamma, img.Params.Amplitude)
	}
	out := make([]float64, img.Size)
	for k := range out {
		p := float64(img.Pix[k*img.Size+k]) / 255
		v := math.Pow(math.Min(p/img.Params.Amplitude, 1), 1/img.Params.Gamma) // (G+1)/2
		out[k] = img.Norm.Invert(math.Sqrt(v))
	}
	return out, nil
}

// Crop returns the first k samples of a series, the input of near-real-time
// classification. Encoding the crop with the full trace's Global (or fixed
// MinMax) normalisation gives exactly the top-left k×k block of the full
// field ("cropping the GASF from the bottom and the right"); with per-trace
// normalisation the crop is re-normalised on its own range.
func Crop(series []float64, k int) ([]float64, error) {
	if k < 1 || k > len(series) {
		return nil, fmt.Errorf("%w: crop length %d for a series of length %d, want 1..%d", ErrSize, k, len(series), len(series))
	}
	return series[:k:k], nil
}

// Crop returns the top-left k×k pixels of the image (the image-domain crop
// from the bottom and the right used for near-real-time classification).
// It panics unless 1 <= k <= Size.
func (m *Image) Crop(k int) *Image {
	if k < 1 || k > m.Size {
		panic(fmt.Sprintf("gasf.Image.Crop: k = %d outside [1, %d]", k, m.Size))
	}
	pix := make([]uint8, k*k)
	for y := range k {
		copy(pix[y*k:(y+1)*k], m.Pix[y*m.Size:])
	}
	c := *m
	c.Size, c.Pix, c.Params.Size = k, pix, k
	c.Length = (m.Length*k + m.Size - 1) / m.Size
	return &c
}
