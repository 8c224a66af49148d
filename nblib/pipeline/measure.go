package pipeline

import (
	"fmt"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Measures is what Measure found: fidelity on the real training images' principal components (not
// Inception features: the numbers rank models and datasets but do not compare with the paper's) and
// downstream accuracy.
type Measures struct {
	FID float64 // all synthetic vs all real training images
	// RealFID is the FID of the real test images against the real training images on the same
	// features: what fresh real data reaches. It has the test set's size, and FID grows as sets shrink,
	// so it is a guide to the floor rather than the floor itself for a larger synthetic set.
	RealFID      float64
	KID          float64   // unbiased, cubic polynomial kernel
	ClassFID     []float64 // per class, in class order
	ClassFIDMean float64
	ClassFIDStd  float64
	Hist         PixelHistograms
	Accuracy     []Score // held-out real test images, per classifier and scenario
}

// PixelHistograms compares the pixel distributions of the real and synthetic images (Fig. 7).
type PixelHistograms struct {
	Bins        int
	Real, Synth []float64 // normalised counts on [0, 1]
	JSD         float64   // Jensen-Shannon divergence, bits
	EMD         float64   // earth mover's distance, in pixel units of [0, 1]
}

// Score is one classifier trained in one scenario, over the preset's seeds.
type Score struct {
	Classifier string
	Scenario   string // original, synth, ori+synth
	AccMean    float64
	AccStd     float64
	F1Mean     float64
	TrainRows  int
}

// Images converts model-range images [N, H, W, C] to evaluation images with pixels in [0, 1].
func Images(source string, x diffusion.Array) (features.Images, error) {
	if len(x.Shape) != 4 {
		return features.Images{}, fmt.Errorf("pipeline: %s: measuring needs images [N, H, W, C], got %v", source, x.Shape)
	}
	rows := make([][]float64, x.Batch())
	for i := range rows {
		rows[i] = pixels.ModelToUnits(x.Example(i))
	}
	return features.NewImages(source, x.Shape[1], x.Shape[2], x.Shape[3], rows)
}

// Measure compares synthetic images (synth, synthY) with the data's real ones. Classifiers run on b
// (nil is fine when none is a GoMLX network); with no classifiers, Accuracy stays empty.
func Measure(b compute.Backend, p preset.Preset, d *Data, synth diffusion.Array, synthY []int) (*Measures, error) {
	real, err := Images("real training images", d.Train)
	if err != nil {
		return nil, err
	}
	test, err := Images("real test images", d.Test)
	if err != nil {
		return nil, err
	}
	syn, err := Images("synthetic images", synth)
	if err != nil {
		return nil, err
	}
	m := &Measures{}
	if err := m.fidelity(p.Measure, len(d.Classes), real, test, d.TrainY, syn, synthY); err != nil {
		return nil, err
	}
	if m.Hist, err = Histograms(real, syn, p.Measure.HistogramBins); err != nil {
		return nil, err
	}
	err = m.classify(b, p.Downstream, protocols.Dataset{X: real.Pixels, Y: d.TrainY}, protocols.Dataset{X: syn.Pixels, Y: synthY},
		protocols.Dataset{X: test.Pixels, Y: d.TestY}, real.Height)
	return m, err
}

func realFID(pca features.Extractor, real, test features.Images) (float64, error) {
	fr, err := pca.Extract(real)
	if err != nil {
		return 0, err
	}
	ft, err := pca.Extract(test)
	if err != nil {
		return 0, err
	}
	return fid.Frechet(fr, ft)
}

func (m *Measures) fidelity(c preset.Measure, classes int, real, test features.Images, realY []int, syn features.Images, synY []int) error {
	pca, err := features.FitPCA(real, min(c.PCAComponents, real.Len()-1))
	if err != nil {
		return err
	}
	fr, err := pca.Extract(real)
	if err != nil {
		return err
	}
	fs, err := pca.Extract(syn)
	if err != nil {
		return err
	}
	if m.FID, err = fid.Frechet(fr, fs); err != nil {
		return err
	}
	if m.KID, err = fid.KID(fr, fs); err != nil {
		return err
	}
	if m.RealFID, err = realFID(pca, real, test); err != nil {
		return err
	}
	per, err := fid.PerClass(fr, realY, fs, synY, c.FIDPerClass, fid.Frechet)
	if err != nil {
		return err
	}
	m.ClassFID = make([]float64, classes)
	for _, pc := range per.Classes {
		if pc.Class >= 0 && pc.Class < classes {
			m.ClassFID[pc.Class] = pc.Distance
		}
	}
	m.ClassFIDMean, m.ClassFIDStd = per.Mean, per.Std
	return nil
}

// Histograms compares the pixel histograms of two image sets on [0, 1].
func Histograms(real, syn features.Images, bins int) (PixelHistograms, error) {
	h := PixelHistograms{Bins: bins}
	var err error
	if h.Real, err = features.PixelHistogram(real, bins, 0, 1); err != nil {
		return h, err
	}
	if h.Synth, err = features.PixelHistogram(syn, bins, 0, 1); err != nil {
		return h, err
	}
	if h.JSD, err = features.JSD(h.Real, h.Synth); err != nil {
		return h, err
	}
	h.EMD, err = features.HistogramEMD(h.Real, h.Synth, 1/float64(bins))
	return h, err
}

// Scenarios in the paper's order.
var Scenarios = []protocols.Scenario{protocols.Original, protocols.Synthetic, protocols.OriginalSynth}

func (m *Measures) classify(b compute.Backend, c protocols.Config, original, synth, test protocols.Dataset, size int) error {
	for _, name := range c.Classifiers {
		factory, err := c.Factory(name, b, protocols.ImageShape(size))
		if err != nil {
			return err
		}
		res, err := protocols.Scenarios(factory, original, synth, test, c.Seeds)
		if err != nil {
			return fmt.Errorf("classifier %s: %w", name, err)
		}
		for _, sc := range Scenarios {
			s := res[sc]
			m.Accuracy = append(m.Accuracy, Score{Classifier: name, Scenario: string(sc), AccMean: s.AccMean, AccStd: s.AccStd, F1Mean: s.F1Mean, TrainRows: s.TrainRows})
		}
	}
	return nil
}
