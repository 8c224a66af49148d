// Package gasf turns network-traffic time series into images and back: the
// first step of NetDiffus (series -> Gramian Angular Summation Field ->
// gamma correction -> area resize -> 8-bit image).
//
// # The idea, for students
//
// A diffusion model (and a CNN) wants pictures, but a traffic trace is a
// list of numbers x_1..x_L (bytes per time bin, packet sizes, ±1
// directions). The Gramian Angular Field draws a picture in which pixel
// (i, j) says how samples i and j relate, so the image keeps the order of
// time along both axes and the sample values on the diagonal:
//
//  1. Normalise the series to [0,1] (Normalisation: per-trace min-max, per
//     trace division by the maximum, or one dataset-wide range).
//  2. Read each value as the cosine of an angle: phi_i = arccos(x_i), an
//     angle in [0, pi/2]. Large values have small angles.
//  3. GASF_ij = cos(phi_i + phi_j) = x_i x_j - sqrt(1-x_i²) sqrt(1-x_j²).
//     (GADF_ij = sin(phi_i - phi_j) is the "difference" variant.) The
//     matrix is symmetric, lies in [-1,1], and its diagonal is
//     cos(2 phi_i) = 2x_i² - 1, which is why the series can be read back.
//  4. Map to [0,1] and brighten the dark end with the paper's gamma
//     correction: I = A ((G+1)/2)^gamma, gamma = 0.25, A = 1. Since
//     (G+1)/2 = cos²((phi_i+phi_j)/2), with gamma 0.25 a pixel is
//     sqrt|cos((phi_i+phi_j)/2)|.
//  5. Shrink the L×L image to S×S by area averaging (OpenCV INTER_AREA):
//     every output pixel is the mean of the input pixels its square
//     covers, partially covered pixels weighted by the covered fraction.
//  6. Quantise to 8 bits: q = rint(255 I) (ties to even), and divide by
//     255 to feed a network.
//
// Example: x = (0, 1) gives phi = (pi/2, 0), so GASF = [[-1, 0], [0, 1]],
// (G+1)/2 = [[0, 0.5], [0.5, 1]] and with gamma 0.25 the image is
// [[0, 0.84], [0.84, 1]]: 8-bit [[0, 214], [214, 255]] (see Example).
//
// # The inverse
//
// The diagonal gives the series back: x_i = sqrt((G_ii+1)/2). From an
// image, Decode undoes the 8-bit scaling, the gamma (G+1)/2 = (p/A)^(1/gamma)
// and the normalisation. With S = L only quantisation is lost: with gamma
// 0.25 the decoded value is p², off by at most 1/255 of the normalised
// range. With S < L a diagonal pixel is the mean over a block of the
// series, including the off-diagonal pairs of that block, so decoding gives
// a smoothed, slightly low estimate of the block means; the tests measure
// it (about 0.01 of the range for a smooth sine at L=720, S=64, about 0.08
// worst case and 0.035 rms for bursty traffic).
//
// # Exactness
//
// Pipeline (the Exact method) runs the stages one by one like the paper's
// NumPy + OpenCV code (shared/reference/gasf_ref.py): float64 field, gamma
// in float64 cast to float32, then ResizeArea, a port of OpenCV 4.6's
// INTER_AREA float32 arithmetic (the integer-factor block mean with its
// summation order and 2×2 SIMD kernel, and the fractional-coverage table
// computeResizeAreaTab), then 8 bits. The tests compare it with the golden
// file written by the reference: float stages within 1e-6 (in practice bit
// for bit), 8-bit images identical.
//
// The Fused method (Encode's default) never builds the L×L matrix: it
// evaluates rows of the gamma image on the fly and accumulates them into
// the S×S result in exactly the order OpenCV would, so its float32 result,
// and hence its 8-bit image, is identical to the exact path's. It uses the
// GASF symmetry to evaluate each pair once, works on output rows in
// parallel (at most GOMAXPROCS goroutines) and needs O(L + S²) memory:
// per goroutine a few rows of L values, or, when L/S = s is an integer,
// max(s², 65536) values (about 0.75 MB is allocated in all for L = 5000,
// S = 64, against about 300 MB for the exact path). On amd64 the row
// kernel and one accumulation use SSE2/AVX2 assembly whose results are
// bit-identical to the Go loops they replace (tested); build with
// -tags purego to use pure Go only.
//
// # Edge cases
//
// Empty series, NaN or ±Inf samples (the error names the index), negative
// samples under Max normalisation, samples outside a Global range and
// S > L (area resizing only shrinks: pad the series or choose S <= L)
// return errors. A constant series normalises to all zeros: phi = pi/2,
// GASF = -1 everywhere and the image is black; Decode returns the constant.
//
// # Near-real-time and multi-feature use
//
// Crop takes the first k samples of a trace; encoded with a fixed (Global)
// normalisation its field is exactly the top-left k×k block of the full
// field. Image.Crop crops an image from the bottom and the right.
// EncodeChannels stacks several features (size, direction, gaps) as
// channels of one Stack.
//
// Images implement image.Image (8-bit gray) and gonum/plot's
// plotter.GridXYZ (heat maps), and write PNG and NPY; EncodeBatch encodes
// many traces with bounded memory and a progress callback.
package gasf
