package repro

import (
	"fmt"
	"sort"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
)

// ExperimentResult is what an experiment measured; it is stored as JSON by the cache.
type ExperimentResult struct {
	Name        string
	Classes     []string
	Params      int // trainable parameters of the U-Net
	TrainImages int
	TestImages  int
	SynthImages int

	TrainSeconds  float64
	SampleSeconds float64
	ImagesPerSec  float64 // training throughput at the end
	Loss          []LossPoint

	// Fidelity, on the real training images' principal components (not Inception features: the numbers
	// rank models and datasets but do not compare with the paper's).
	FID          float64   // all synthetic vs all real training images
	KID          float64   // unbiased, cubic polynomial kernel
	ClassFID     []float64 // per class, in Classes order
	ClassFIDMean float64
	ClassFIDStd  float64
	Hist         PixelHistograms

	Accuracy []Score       // held-out real test images, per classifier and scenario
	Examples []ExamplePair // a few real and synthetic images, for a grid
	Size     int           // image side
}

// PixelHistograms compares the pixel distributions of the real and synthetic images (Fig. 7).
type PixelHistograms struct {
	Bins        int
	Real, Synth []float64 // normalised counts on [0, 1]
	JSD         float64   // Jensen-Shannon divergence, bits
	EMD         float64   // earth mover's distance, in pixel units of [0, 1]
}

// Score is one classifier trained in one scenario, over the experiment's seeds.
type Score struct {
	Classifier string
	Scenario   string // original, synth, ori+synth
	AccMean    float64
	AccStd     float64
	F1Mean     float64
	TrainRows  int
}

// ExamplePair holds one real and one synthetic 8-bit image of a class.
type ExamplePair struct {
	Class       string
	Real, Synth []byte // Size x Size, row-major
}

// toImages converts model arrays ([-1, 1]) to eval images with pixels in [0, 1].
func toImages(source string, x diffusion.Array, size int) (features.Images, error) {
	rows := make([][]float64, x.Batch())
	for i := range rows {
		ex := x.Example(i)
		rows[i] = make([]float64, len(ex))
		for j, v := range ex {
			rows[i][j] = (float64(v) + 1) / 2
		}
	}
	return features.NewImages(source, size, size, 1, rows)
}

// measure fills the fidelity and accuracy fields.
func (r *ExperimentResult) measure(b compute.Backend, cfg ExperimentConfig, data *realImages, synth diffusion.Array, synthY []int) error {
	r.Size = data.imageSize
	real, err := toImages("real training images", data.train, data.imageSize)
	if err != nil {
		return err
	}
	test, err := toImages("real test images", data.test, data.imageSize)
	if err != nil {
		return err
	}
	syn, err := toImages("synthetic images", synth, data.imageSize)
	if err != nil {
		return err
	}
	if err := r.fidelity(cfg, real, data.trainY, syn, synthY); err != nil {
		return err
	}
	if r.Hist, err = pixelHistograms(real, syn, cfg.HistogramBins); err != nil {
		return err
	}
	return r.classify(b, cfg, protocols.Dataset{X: real.Pixels, Y: data.trainY}, protocols.Dataset{X: syn.Pixels, Y: synthY},
		protocols.Dataset{X: test.Pixels, Y: data.testY}, data.imageSize)
}

func (r *ExperimentResult) fidelity(cfg ExperimentConfig, real features.Images, realY []int, syn features.Images, synY []int) error {
	pca, err := features.FitPCA(real, min(cfg.PCAComponents, real.Len()-1))
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
	if r.FID, err = fid.Frechet(fr, fs); err != nil {
		return err
	}
	if r.KID, err = fid.KID(fr, fs); err != nil {
		return err
	}
	per, err := fid.PerClass(fr, realY, fs, synY, cfg.FIDPerClass, fid.Frechet)
	if err != nil {
		return err
	}
	r.ClassFID = make([]float64, len(r.Classes))
	for _, c := range per.Classes {
		r.ClassFID[c.Class] = c.Distance
	}
	r.ClassFIDMean, r.ClassFIDStd = per.Mean, per.Std
	return nil
}

func pixelHistograms(real, syn features.Images, bins int) (PixelHistograms, error) {
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

func (r *ExperimentResult) classify(b compute.Backend, cfg ExperimentConfig, original, synth, test protocols.Dataset, size int) error {
	for _, name := range cfg.Downstream.Classifiers {
		factory, err := cfg.Downstream.Factory(name, b, protocols.ImageShape(size))
		if err != nil {
			return err
		}
		res, err := protocols.Scenarios(factory, original, synth, test, cfg.Downstream.Seeds)
		if err != nil {
			return fmt.Errorf("classifier %s: %w", name, err)
		}
		for _, sc := range []protocols.Scenario{protocols.Original, protocols.Synthetic, protocols.OriginalSynth} {
			s := res[sc]
			r.Accuracy = append(r.Accuracy, Score{Classifier: name, Scenario: string(sc), AccMean: s.AccMean, AccStd: s.AccStd, F1Mean: s.F1Mean, TrainRows: s.TrainRows})
		}
	}
	return nil
}

// examplePairs takes the first real and synthetic image of up to n classes.
func examplePairs(data *realImages, synth diffusion.Array, synthY []int, n int) []ExamplePair {
	firstOf := func(ys []int) map[int]int {
		m := map[int]int{}
		for i, y := range ys {
			if _, ok := m[y]; !ok {
				m[y] = i
			}
		}
		return m
	}
	realFirst, synFirst := firstOf(data.trainY), firstOf(synthY)
	classes := make([]int, 0, len(realFirst))
	for c := range realFirst {
		if _, ok := synFirst[c]; ok {
			classes = append(classes, c)
		}
	}
	sort.Ints(classes)
	var out []ExamplePair
	for _, c := range classes[:min(n, len(classes))] {
		out = append(out, ExamplePair{Class: data.classes[c],
			Real: toBytes(data.train.Example(realFirst[c])), Synth: toBytes(synth.Example(synFirst[c]))})
	}
	return out
}

func toBytes(x []float32) []byte {
	out := make([]byte, len(x))
	for i, v := range x {
		out[i] = toPixel(v)
	}
	return out
}
