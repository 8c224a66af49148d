package features

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// Extractor maps images to feature vectors (one row per image).
type Extractor interface {
	// Name identifies the extractor in reports, e.g. "raw" or "pca-64".
	Name() string
	// Extract returns an n x d matrix for n images, or an error for images it cannot take.
	Extract(im Images) (*mat.Dense, error)
}

// Raw returns the flattened pixels as features.
type Raw struct{}

// Name implements Extractor.
func (Raw) Name() string { return "raw" }

// Extract implements Extractor.
func (Raw) Extract(im Images) (*mat.Dense, error) {
	if err := im.Check("input"); err != nil {
		return nil, err
	}
	return mat.DenseCopyOf(im.Pixels), nil
}

// PCA projects pixels on the principal axes of a reference set; see the package doc.
type PCA struct {
	height, width, channels int
	mean                    []float64
	axes                    *mat.Dense // D x k
}

// FitPCA finds the top k principal axes of the reference images. k must be in [1, min(n-1, D)].
func FitPCA(ref Images, k int) (*PCA, error) {
	if err := ref.Check("PCA reference"); err != nil {
		return nil, err
	}
	n, d := ref.Pixels.Dims()
	if k < 1 || k > min(n-1, d) {
		return nil, fmt.Errorf("features: PCA with %d components needs at least %d reference images and %d pixels; have %d images of %d pixels", k, k+1, k, n, d)
	}
	mean := make([]float64, d)
	for i := range n {
		for j, v := range ref.Pixels.RawRowView(i) {
			mean[j] += v / float64(n)
		}
	}
	centred := mat.NewDense(n, d, nil)
	for i := range n {
		row, dst := ref.Pixels.RawRowView(i), centred.RawRowView(i)
		for j, v := range row {
			dst[j] = v - mean[j]
		}
	}
	var svd mat.SVD
	if !svd.Factorize(centred, mat.SVDThin) {
		return nil, fmt.Errorf("features: PCA: SVD did not converge")
	}
	var v mat.Dense
	svd.VTo(&v)
	axes := mat.DenseCopyOf(v.Slice(0, d, 0, k))
	fixSigns(axes)
	return &PCA{height: ref.Height, width: ref.Width, channels: ref.Channels, mean: mean, axes: axes}, nil
}

// fixSigns flips each column so that its largest-magnitude entry is positive.
func fixSigns(axes *mat.Dense) {
	d, k := axes.Dims()
	for c := range k {
		big := 0.0
		for r := range d {
			if v := axes.At(r, c); math.Abs(v) > math.Abs(big) {
				big = v
			}
		}
		if big < 0 {
			for r := range d {
				axes.Set(r, c, -axes.At(r, c))
			}
		}
	}
}

// Name implements Extractor.
func (p *PCA) Name() string {
	_, k := p.axes.Dims()
	return fmt.Sprintf("pca-%d", k)
}

// Extract implements Extractor: (x - mean) V_k.
func (p *PCA) Extract(im Images) (*mat.Dense, error) {
	if err := CheckCompatible(Images{Height: p.height, Width: p.width, Channels: p.channels}, im, "PCA reference", "input"); err != nil {
		return nil, err
	}
	if err := im.Check("input"); err != nil {
		return nil, err
	}
	n, d := im.Pixels.Dims()
	centred := mat.NewDense(n, d, nil)
	for i := range n {
		row, dst := im.Pixels.RawRowView(i), centred.RawRowView(i)
		for j, v := range row {
			dst[j] = v - p.mean[j]
		}
	}
	var out mat.Dense
	out.Mul(centred, p.axes)
	return &out, nil
}
