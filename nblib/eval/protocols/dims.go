package protocols

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/gasf"
	"gonum.org/v1/gonum/mat"
)

// Traces are labelled series of one length (one feature per time step).
type Traces struct {
	Series [][]float64
	Y      []int
}

// check validates the traces: as many labels as series, at least one series, one common length.
func (t Traces) check(name string) (int, error) {
	if len(t.Series) == 0 {
		return 0, fmt.Errorf("protocols: %s traces are empty", name)
	}
	if len(t.Series) != len(t.Y) {
		return 0, fmt.Errorf("protocols: %s traces: %d series but %d labels", name, len(t.Series), len(t.Y))
	}
	l := len(t.Series[0])
	for i, s := range t.Series {
		if len(s) != l || l == 0 {
			return 0, fmt.Errorf("protocols: %s trace %d has length %d, trace 0 has %d: pad or truncate every trace to one length", name, i, len(s), l)
		}
	}
	return l, nil
}

// LabelledImages are images with one label each.
type LabelledImages struct {
	Images features.Images
	Y      []int
}

// Dataset returns the images' pixels as a labelled feature matrix.
func (l LabelledImages) Dataset() Dataset { return Dataset{X: l.Images.Pixels, Y: l.Y} }

// GASFImages encodes each series as the paper's size x size GASF image (gasf.DefaultParams: per-trace
// min-max, gamma 0.25, area resize, 8 bits) with pixels in [0, 1] (8-bit value / 255).
func GASFImages(series [][]float64, size int) (features.Images, error) {
	imgs, err := gasf.EncodeAll(series, gasf.DefaultParams(size), nil)
	if err != nil {
		return features.Images{}, fmt.Errorf("protocols: GASF images: %w", err)
	}
	px := mat.NewDense(len(imgs), size*size, nil)
	for i, img := range imgs {
		row := px.RawRowView(i)
		for j, v := range img.Floats() {
			row[j] = float64(v)
		}
	}
	return features.Images{Height: size, Width: size, Channels: 1, Pixels: px}, nil
}

// NormalisedSeries maps every series to [0, 1] with its own minimum and maximum, the normalisation
// the GASF images start from, so a 1-D network sees the same information as the 2-D one.
func NormalisedSeries(series [][]float64) (*mat.Dense, error) {
	if len(series) == 0 {
		return nil, fmt.Errorf("protocols: no series")
	}
	out := mat.NewDense(len(series), len(series[0]), nil)
	for i, s := range series {
		if len(s) != len(series[0]) {
			return nil, fmt.Errorf("protocols: series %d has length %d, series 0 has %d", i, len(s), len(series[0]))
		}
		n, err := gasf.Fit(gasf.MinMax, s)
		if err != nil {
			return nil, fmt.Errorf("protocols: series %d: %w", i, err)
		}
		if _, err := n.Apply(s, out.RawRowView(i)); err != nil {
			return nil, fmt.Errorf("protocols: series %d: %w", i, err)
		}
	}
	return out, nil
}

// DimPoint is one training fraction of Table 3.
type DimPoint struct {
	Fraction float64
	Series   Result // 1-D network on the normalised series
	Images   Result // the same design in 2-D on the GASF images of the same traces
}

// SeriesVsImages is Table 3: the preset's CNN (cfg.CNN) in its 1-D form on the min-max normalised
// series and in its 2-D form on their imageSize x imageSize GASF images, trained on each fraction of
// cfg.Fractions of the training traces per class (the same traces for both; drawn with the first
// seed) and tested on all test traces, cfg.Seeds times each. b runs the networks.
func SeriesVsImages(cfg Config, b compute.Backend, train, test Traces, imageSize int) ([]DimPoint, error) {
	l, err := train.check("training")
	if err != nil {
		return nil, err
	}
	if lt, err := test.check("test"); err != nil {
		return nil, err
	} else if lt != l {
		return nil, fmt.Errorf("protocols: training traces have length %d but test traces %d", l, lt)
	}
	if len(cfg.Seeds) == 0 {
		return nil, fmt.Errorf("protocols: no seeds given")
	}
	series, images, err := bothViews(train, imageSize)
	if err != nil {
		return nil, fmt.Errorf("training traces: %w", err)
	}
	seriesTest, imagesTest, err := bothViews(test, imageSize)
	if err != nil {
		return nil, fmt.Errorf("test traces: %w", err)
	}
	new1D, err := cfg.Factory(cfg.CNN, b, SeriesShape(l))
	if err != nil {
		return nil, err
	}
	new2D, err := cfg.Factory(cfg.CNN, b, ImageShape(imageSize))
	if err != nil {
		return nil, err
	}
	var out []DimPoint
	for _, f := range cfg.Fractions {
		if !(f > 0 && f <= 1) {
			return nil, fmt.Errorf("protocols: fraction %g outside (0, 1]", f)
		}
		rows := fractionRows(train.Y, f, cfg.Seeds[0])
		r1, err := Evaluate(new1D, series.Subset(rows), seriesTest, cfg.Seeds)
		if err != nil {
			return nil, fmt.Errorf("fraction %g, 1-D: %w", f, err)
		}
		r2, err := Evaluate(new2D, images.Subset(rows), imagesTest, cfg.Seeds)
		if err != nil {
			return nil, fmt.Errorf("fraction %g, 2-D: %w", f, err)
		}
		out = append(out, DimPoint{Fraction: f, Series: r1, Images: r2})
	}
	return out, nil
}

// bothViews returns the normalised series and the GASF images of traces as datasets.
func bothViews(t Traces, imageSize int) (series, images Dataset, err error) {
	x, err := NormalisedSeries(t.Series)
	if err != nil {
		return Dataset{}, Dataset{}, err
	}
	im, err := GASFImages(t.Series, imageSize)
	if err != nil {
		return Dataset{}, Dataset{}, err
	}
	return Dataset{X: x, Y: t.Y}, Dataset{X: im.Pixels, Y: t.Y}, nil
}

// SynthSource is one generator's synthetic images, e.g. "1-D DM" or "2-D DM" (or a GAN baseline).
type SynthSource struct {
	Name string
	LabelledImages
}

// SourceScore is how one generator's images score against the real data.
type SourceScore struct {
	Name     string
	FID      fid.PerClassResult // per class, n synthetic vs n real training images
	Synth    Result             // trained on the synthetic images only
	OriSynth Result             // trained on the real and the synthetic images
}

// GeneratorComparison holds the baseline and one score per generator.
type GeneratorComparison struct {
	Original Result // trained on the real training images only
	Sources  []SourceScore
}

// CompareGenerators scores each generator's images: per-class FID against the real training images
// (features from extractor, n images per class on both sides, n <= 0: the smaller count) and the
// accuracy of newClassifier trained on original, synth and ori+synth, always tested on the real test
// images. All images must share the real images' size.
func CompareGenerators(newClassifier classify.Factory, extractor features.Extractor, train, test LabelledImages, sources []SynthSource, n int, seeds []uint64) (GeneratorComparison, error) {
	if err := checkImagesLike(train, test, "real training", "real test"); err != nil {
		return GeneratorComparison{}, err
	}
	realFeatures, err := extractor.Extract(train.Images)
	if err != nil {
		return GeneratorComparison{}, fmt.Errorf("real training features: %w", err)
	}
	var out GeneratorComparison
	if out.Original, err = Evaluate(newClassifier, train.Dataset(), test.Dataset(), seeds); err != nil {
		return GeneratorComparison{}, fmt.Errorf("original: %w", err)
	}
	for _, src := range sources {
		s, err := scoreSource(newClassifier, extractor, realFeatures, train, test, src, n, seeds)
		if err != nil {
			return GeneratorComparison{}, fmt.Errorf("%s: %w", src.Name, err)
		}
		out.Sources = append(out.Sources, s)
	}
	return out, nil
}

func scoreSource(newClassifier classify.Factory, extractor features.Extractor, realFeatures *mat.Dense, train, test LabelledImages, src SynthSource, n int, seeds []uint64) (SourceScore, error) {
	if err := checkImagesLike(train, src.LabelledImages, "real training", src.Name); err != nil {
		return SourceScore{}, err
	}
	synthFeatures, err := extractor.Extract(src.Images)
	if err != nil {
		return SourceScore{}, err
	}
	out := SourceScore{Name: src.Name}
	if out.FID, err = fid.PerClass(realFeatures, train.Y, synthFeatures, src.Y, n, fid.Frechet); err != nil {
		return SourceScore{}, err
	}
	if out.Synth, err = Evaluate(newClassifier, src.Dataset(), test.Dataset(), seeds); err != nil {
		return SourceScore{}, fmt.Errorf("synth: %w", err)
	}
	both, err := Concat(train.Dataset(), src.Dataset())
	if err != nil {
		return SourceScore{}, err
	}
	if out.OriSynth, err = Evaluate(newClassifier, both, test.Dataset(), seeds); err != nil {
		return SourceScore{}, fmt.Errorf("ori+synth: %w", err)
	}
	return out, nil
}

func checkImagesLike(a, b LabelledImages, nameA, nameB string) error {
	if err := a.Images.Check(nameA); err != nil {
		return err
	}
	if err := b.Images.Check(nameB); err != nil {
		return err
	}
	if a.Images.Len() != len(a.Y) || b.Images.Len() != len(b.Y) {
		return fmt.Errorf("protocols: %s has %d images and %d labels, %s %d images and %d labels",
			nameA, a.Images.Len(), len(a.Y), nameB, b.Images.Len(), len(b.Y))
	}
	return features.CheckCompatible(a.Images, b.Images, nameA, nameB)
}

// Names of the two generators of Table 2.
const (
	Diffusion1D = "1-D DM"
	Diffusion2D = "2-D DM"
)

// DiffusionDims is Table 2: synthetic series from a 1-D diffusion model, converted to GASF images of
// the real images' size (the paper converts them before classification), against GASF images from
// NetDiffus' 2-D model. It returns CompareGenerators' scores with Sources[0] = Diffusion1D and
// Sources[1] = Diffusion2D.
func DiffusionDims(newClassifier classify.Factory, extractor features.Extractor, train, test LabelledImages, synth1D Traces, synth2D LabelledImages, n int, seeds []uint64) (GeneratorComparison, error) {
	if _, err := synth1D.check("1-D synthetic"); err != nil {
		return GeneratorComparison{}, err
	}
	if train.Images.Height != train.Images.Width || train.Images.Channels != 1 {
		return GeneratorComparison{}, fmt.Errorf("protocols: real images are %dx%dx%d, want square single-channel GASF images",
			train.Images.Height, train.Images.Width, train.Images.Channels)
	}
	im1D, err := GASFImages(synth1D.Series, train.Images.Height)
	if err != nil {
		return GeneratorComparison{}, fmt.Errorf("1-D synthetic traces: %w", err)
	}
	return CompareGenerators(newClassifier, extractor, train, test, []SynthSource{
		{Name: Diffusion1D, LabelledImages: LabelledImages{Images: im1D, Y: synth1D.Y}},
		{Name: Diffusion2D, LabelledImages: synth2D},
	}, n, seeds)
}
