// Package synthdata makes seeded, GASF-like labelled datasets for the evaluation tests and benchmarks,
// and writes them as .npy for the Python references.
//
// Class c's series are x_t = 0.5 + 0.3 sin(2 pi (c+1) t / L + phase) + noise * N(0,1), clipped to
// [0, 1], with a random phase per series; each becomes its L x L Gramian Angular Summation Field
// cos(phi_i + phi_j) = x_i x_j - sqrt(1-x_i^2) sqrt(1-x_j^2) (phi = arccos x), mapped to [0, 1] as
// (G+1)/2 and flattened row-major. The phase makes classes overlap at high noise, so accuracy is well
// below 100% and differences between classifiers are visible.
package synthdata

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"

	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// Series returns n series of length l per class for k classes, and their labels (class-major order).
func Series(seed uint64, k, n, l int, noise float64) (*mat.Dense, []int) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	x := mat.NewDense(k*n, l, nil)
	y := make([]int, k*n)
	for c := range k {
		for s := range n {
			i := c*n + s
			y[i] = c
			phase := rng.Float64() * 2 * math.Pi
			row := x.RawRowView(i)
			for t := range row {
				v := 0.5 + 0.3*math.Sin(2*math.Pi*float64(c+1)*float64(t)/float64(l)+phase) + noise*rng.NormFloat64()
				row[t] = min(max(v, 0), 1)
			}
		}
	}
	return x, y
}

// GASF returns the flattened (G+1)/2 images of the rows of series (n x l) as an n x l*l matrix.
func GASF(series *mat.Dense) *mat.Dense {
	n, l := series.Dims()
	out := mat.NewDense(n, l*l, nil)
	for i := range n {
		x, img := series.RawRowView(i), out.RawRowView(i)
		for a := range l {
			for b := range l {
				g := x[a]*x[b] - math.Sqrt(1-x[a]*x[a])*math.Sqrt(1-x[b]*x[b])
				img[a*l+b] = (g + 1) / 2
			}
		}
	}
	return out
}

// Images returns GASF images of Series(seed, k, n, l, noise) and their labels.
func Images(seed uint64, k, n, l int, noise float64) (*mat.Dense, []int) {
	s, y := Series(seed, k, n, l, noise)
	return GASF(s), y
}

// WriteNpy writes a matrix (float64, shape rows x columns), labels ([]int, written as int64) or any
// slice internal/npy writes as a 1-D .npy file, atomically.
func WriteNpy(path string, v any) error {
	switch x := v.(type) {
	case []int:
		y64 := make([]int64, len(x))
		for i, l := range x {
			y64[i] = int64(l)
		}
		return npy.WriteFile(path, y64)
	case mat.Matrix:
		r, c := x.Dims()
		return npy.WriteFile(path, mat.DenseCopyOf(x).RawMatrix().Data, r, c)
	}
	return npy.WriteFile(path, v)
}

// The reference classification problem shared by the classifier tests and the Python comparison:
// 5 classes of 16-step series as 16x16 GASF images (256 features), 100 training and 300 test images per
// class, noise 0.25; the test rows come from another seed.
const (
	RefClasses  = 5
	RefTrainPer = 100
	RefTestPer  = 300
	RefLength   = 16
	RefNoise    = 0.25
)

// Reference returns the reference training and test sets.
func Reference() (xtr *mat.Dense, ytr []int, xte *mat.Dense, yte []int) {
	xtr, ytr = Images(11, RefClasses, RefTrainPer, RefLength, RefNoise)
	xte, yte = Images(12, RefClasses, RefTestPer, RefLength, RefNoise)
	return
}

// ReferenceResults parses the output of classify_ref.py (lines "name<TAB>accuracy=A<TAB>fit_s=T",
// '#' comments) into accuracies and fit times per model, one entry per run.
func ReferenceResults(path string) (acc, fit map[string][]float64, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	acc, fit = map[string][]float64{}, map[string][]float64{}
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var name string
		var a, f float64
		if _, err := fmt.Sscanf(strings.ReplaceAll(line, "\t", " "), "%s accuracy=%g fit_s=%g", &name, &a, &f); err != nil {
			return nil, nil, fmt.Errorf("%s line %d: %q: %w", path, n+1, line, err)
		}
		acc[name] = append(acc[name], a)
		fit[name] = append(fit[name], f)
	}
	return acc, fit, nil
}
