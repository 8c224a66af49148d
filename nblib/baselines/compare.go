package baselines

import (
	"fmt"
	"math"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Series are labelled series of one length, as the GASF pipeline takes them.
type Series = protocols.Traces

// SeriesOf extracts ds's default feature from every trace, with the class labels.
func SeriesOf(ds *traffic.Dataset) (Series, error) {
	x, err := ds.Series(ds.Default)
	if err != nil {
		return Series{}, fmt.Errorf("baselines: dataset %s: %w", ds.Name, err)
	}
	return Series{Series: x, Y: ds.Labels()}, nil
}

// SplitReal splits ds as the NetDiffus experiment does (traffic.SplitPerClass, the first trainFraction
// of each class in dataset order for training) and returns the two parts.
func SplitReal(ds *traffic.Dataset, trainFraction float64, seed uint64) (train, test *traffic.Dataset) {
	s := traffic.SplitPerClass(ds.Labels(), trainFraction, traffic.FirstInOrder, seed)
	return ds.Subset(s.Train), ds.Subset(s.Test)
}

// Images encodes labelled series as the paper's size x size GASF images (protocols.GASFImages:
// per-series min-max, gamma 0.25, area resize, 8 bits; pixels in [0, 1]).
func Images(s Series, size int) (protocols.LabelledImages, error) {
	im, err := protocols.GASFImages(s.Series, size)
	if err != nil {
		return protocols.LabelledImages{}, err
	}
	return protocols.LabelledImages{Images: im, Y: s.Y}, nil
}

// DiversityResult compares the spread of generated series with the real ones, per class.
type DiversityResult struct {
	RealMPD, GenMPD []float64 // mean pairwise L2 distance per class (-1: fewer than 2 series)
	Ratio           []float64 // GenMPD / RealMPD per class (-1: undefined, e.g. no real spread)
	Mean            float64   // mean Ratio over classes where it is defined: 1 matches the real spread, 0 is collapse
}

// Diversity is the mean pairwise Euclidean distance of the generated series of each class relative
// to that of the real series of the class, each series first min-max scaled to [0, 1] as the GASF
// sees it (a constant series becomes zeros). A generator that emits one series per class scores 0.
func Diversity(real, gen Series, numClasses int) (DiversityResult, error) {
	r, err := protocols.NormalisedSeries(real.Series)
	if err != nil {
		return DiversityResult{}, fmt.Errorf("baselines: real series: %w", err)
	}
	g, err := protocols.NormalisedSeries(gen.Series)
	if err != nil {
		return DiversityResult{}, fmt.Errorf("baselines: generated series: %w", err)
	}
	if len(real.Y) != len(real.Series) || len(gen.Y) != len(gen.Series) {
		return DiversityResult{}, fmt.Errorf("baselines: %d real series with %d labels, %d generated with %d", len(real.Series), len(real.Y), len(gen.Series), len(gen.Y))
	}
	out := DiversityResult{RealMPD: make([]float64, numClasses), GenMPD: make([]float64, numClasses), Ratio: make([]float64, numClasses)}
	var sum float64
	var n int
	for c := range numClasses {
		out.RealMPD[c] = meanPairwise(r.RawMatrix().Data, r.RawMatrix().Cols, real.Y, c)
		out.GenMPD[c] = meanPairwise(g.RawMatrix().Data, g.RawMatrix().Cols, gen.Y, c)
		out.Ratio[c] = -1
		if out.RealMPD[c] > 0 && out.GenMPD[c] >= 0 {
			out.Ratio[c] = out.GenMPD[c] / out.RealMPD[c]
			sum += out.Ratio[c]
			n++
		}
	}
	if n == 0 {
		return out, fmt.Errorf("baselines: diversity undefined: no class has two real and two generated series with spread")
	}
	out.Mean = sum / float64(n)
	return out, nil
}

// meanPairwise is the mean L2 distance over pairs of rows of class c (-1 below two rows).
func meanPairwise(data []float64, cols int, y []int, c int) float64 {
	var rows []int
	for i, l := range y {
		if l == c {
			rows = append(rows, i)
		}
	}
	if len(rows) < 2 {
		return -1
	}
	var sum float64
	for a := range rows {
		ra := data[rows[a]*cols : (rows[a]+1)*cols]
		for b := a + 1; b < len(rows); b++ {
			rb := data[rows[b]*cols : (rows[b]+1)*cols]
			var d float64
			for k := range ra {
				e := ra[k] - rb[k]
				d += e * e
			}
			sum += math.Sqrt(d)
		}
	}
	return sum / float64(len(rows)*(len(rows)-1)/2)
}

// CompareConfig holds the measurement settings; NetDiffus's numbers are comparable when they are the
// experiment's (image size, PCA components, images per class for FID, downstream preset).
type CompareConfig struct {
	ImageSize     int
	PCAComponents int // FID features: principal components of the real training images
	FIDPerClass   int // images per class on each side of the per-class FID (0: all)
	Downstream    protocols.Config
}

// Score is one classifier trained in one scenario (original, synth, ori+synth), tested on real data.
type Score struct {
	Classifier string
	Scenario   string
	AccMean    float64
	AccStd     float64
	F1Mean     float64
}

// GeneratorScore is one generator's measurements.
type GeneratorScore struct {
	Name         string
	ClassFID     []float64 // per class, in class order
	ClassFIDMean float64
	ClassFIDStd  float64
	Accuracy     []Score // synth and ori+synth, per classifier
}

// Comparison holds the real-data baseline and every generator's scores.
type Comparison struct {
	Original   []Score // trained on the real training images
	Generators []GeneratorScore
}

// Compare scores generators' images against the real training and test images: per-class FID on
// the PCA features of the real training images, and each classifier of cfg.Downstream trained on
// the original, the synthetic and both, tested on the real test images (protocols.CompareGenerators
// for every classifier).
func Compare(b compute.Backend, cfg CompareConfig, train, test protocols.LabelledImages, gens []protocols.SynthSource) (Comparison, error) {
	pca, err := features.FitPCA(train.Images, min(cfg.PCAComponents, train.Images.Len()-1))
	if err != nil {
		return Comparison{}, fmt.Errorf("baselines: PCA of the real training images: %w", err)
	}
	out := Comparison{Generators: make([]GeneratorScore, len(gens))}
	for i, g := range gens {
		out.Generators[i].Name = g.Name
	}
	for k, name := range cfg.Downstream.Classifiers {
		factory, err := cfg.Downstream.Factory(name, b, protocols.ImageShape(cfg.ImageSize))
		if err != nil {
			return Comparison{}, err
		}
		res, err := protocols.CompareGenerators(factory, pca, train, test, gens, cfg.FIDPerClass, cfg.Downstream.Seeds)
		if err != nil {
			return Comparison{}, fmt.Errorf("baselines: classifier %s: %w", name, err)
		}
		out.Original = append(out.Original, score(name, protocols.Original, res.Original))
		for i, s := range res.Sources {
			g := &out.Generators[i]
			if k == 0 { // the FID does not depend on the classifier
				g.ClassFID = make([]float64, len(s.FID.Classes))
				for _, c := range s.FID.Classes {
					if c.Class < len(g.ClassFID) {
						g.ClassFID[c.Class] = c.Distance
					}
				}
				g.ClassFIDMean, g.ClassFIDStd = s.FID.Mean, s.FID.Std
			}
			g.Accuracy = append(g.Accuracy, score(name, protocols.Synthetic, s.Synth), score(name, protocols.OriginalSynth, s.OriSynth))
		}
	}
	return out, nil
}

func score(name string, sc protocols.Scenario, r protocols.Result) Score {
	return Score{Classifier: name, Scenario: string(sc), AccMean: r.AccMean, AccStd: r.AccStd, F1Mean: r.F1Mean}
}

// MeanAccuracy averages AccMean over the scores of one scenario (NaN when none).
func MeanAccuracy(scores []Score, scenario string) float64 {
	var sum float64
	n := 0
	for _, s := range scores {
		if s.Scenario == scenario {
			sum += s.AccMean
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}

// FIDGain is the paper's fidelity gain of NetDiffus over a baseline: (FID_base - FID_nd) / FID_base.
func FIDGain(netdiffus, baseline float64) float64 { return (baseline - netdiffus) / baseline }

// PaperNumber is one number the paper reports for Fig. 2(b)/(c) or Fig. 3.
type PaperNumber struct {
	Comparison string // e.g. "NetDiffus vs DoppelGANger (WW)"
	Metric     string
	Value      float64
}

// PaperNumbers are the paper's Section 5.1 claims: FID gains (28.0% over DoppelGANger on WW, 85.6%
// over NetShare on D3, 66.4% overall) and mean synth-scenario accuracy differences over the five
// classifiers (4.67 points over DoppelGANger on WW, 32.3 and 17.3 over NetShare on D3-Google and
// D3-Alexa).
func PaperNumbers() []PaperNumber {
	return []PaperNumber{
		{"NetDiffus vs DoppelGANger (WW)", "FID gain", 0.280},
		{"NetDiffus vs NetShare (D3)", "FID gain", 0.856},
		{"NetDiffus vs GANs (all)", "FID gain", 0.664},
		{"NetDiffus vs DoppelGANger (WW)", "synth accuracy difference", 0.0467},
		{"NetDiffus vs NetShare (D3-Google)", "synth accuracy difference", 0.323},
		{"NetDiffus vs NetShare (D3-Alexa)", "synth accuracy difference", 0.173},
	}
}
