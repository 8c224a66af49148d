package repro

import (
	"fmt"
	"image"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/nblib/plots"
)

// scenarios in the paper's order.
var scenarios = []string{"original", "synth", "ori+synth"}

// LossPlot is the training loss curve (mean loss between reports).
func (r *ExperimentResult) LossPlot() (*plot.Plot, error) {
	s := plots.Series{Name: "training loss"}
	for _, p := range r.Loss {
		s.X, s.Y = append(s.X, float64(p.Step)), append(s.Y, p.Loss)
	}
	return plots.Lines(fmt.Sprintf("%s: diffusion training loss", r.Name), "step", "MSE of the prediction (eps or v)", s)
}

// ClassFIDPlot draws the per-class Frechet distance (as the paper's Fig. 2(a) does per dataset). When
// the run has per-class floors, the bars are the size-matched per-class FIDs (ClassFIDRows images of
// each class on both sides) and a dashed line marks the mean floor, real test vs original at the same
// count: bars near the line are as close to the original images as fresh real images are.
func (r *ExperimentResult) ClassFIDPlot() (*plot.Plot, error) {
	fid, floor := r.ClassFIDWithFloor()
	if floor == 0 {
		return plots.Bars(fmt.Sprintf("%s: per-class FID (PCA features), mean %.2f ± %.2f", r.Name, r.ClassFIDMean, r.ClassFIDStd),
			"Frechet distance", shortNames(r.Classes), plots.Named{Name: "synthetic vs original", Values: fid})
	}
	p, err := plots.Bars(fmt.Sprintf("%s: per-class FID on %d images a class (PCA features), mean %.2f, floor %.2f", r.Name, r.ClassFIDRows, r.ClassFIDMatchedMean, floor),
		"Frechet distance", shortNames(r.Classes), plots.Named{Name: "synthetic vs original", Values: fid})
	if err != nil {
		return nil, err
	}
	_, err = plots.HLine(p, floor, "floor: real test vs original (mean)")
	return p, err
}

// ClassFIDWithFloor returns the per-class FIDs to show beside their floor and the mean per-class floor:
// the size-matched ClassFIDMatched and ClassFIDFloorMean when the run measured floors, else ClassFID
// and 0 (no floor known).
func (r *ExperimentResult) ClassFIDWithFloor() ([]float64, float64) {
	if len(r.ClassFIDMatched) == len(r.Classes) && r.ClassFIDFloorMean > 0 {
		return r.ClassFIDMatched, r.ClassFIDFloorMean
	}
	return r.ClassFID, 0
}

// HistogramPlot overlays the pixel histograms of original and synthetic images (Fig. 7).
func (r *ExperimentResult) HistogramPlot() (*plot.Plot, error) {
	p, err := plots.Lines(fmt.Sprintf("%s: pixel histograms (JSD %.3f bits)", r.Name, r.Hist.JSD), "pixel value", "fraction of pixels",
		histSeries("original", r.Hist.Real), histSeries("NetDiffus synthetic", r.Hist.Synth))
	return p, err
}

func histSeries(name string, h []float64) plots.Series {
	s := plots.Series{Name: name}
	for i, v := range h {
		s.X, s.Y = append(s.X, (float64(i)+0.5)/float64(len(h))), append(s.Y, v)
	}
	return s
}

// AccuracyPlot draws test accuracy per classifier, one bar per scenario (original / synth / ori+synth),
// as the paper's Fig. 3 and Table 1 compare them.
func (r *ExperimentResult) AccuracyPlot() (*plot.Plot, error) {
	classifiers, acc := r.accuracyByScenario()
	var groups []plots.Named
	for _, sc := range scenarios {
		groups = append(groups, plots.Named{Name: sc, Values: acc[sc]})
	}
	p, err := plots.Bars(fmt.Sprintf("%s: accuracy on held-out original traces", r.Name), "accuracy", classifiers, groups...)
	if err != nil {
		return nil, err
	}
	p.Y.Min, p.Y.Max = 0, 1.15 // room for the legend above accuracies
	return p, nil
}

func (r *ExperimentResult) accuracyByScenario() ([]string, map[string][]float64) {
	var classifiers []string
	index := map[string]int{}
	for _, s := range r.Accuracy {
		if _, ok := index[s.Classifier]; !ok {
			index[s.Classifier] = len(classifiers)
			classifiers = append(classifiers, s.Classifier)
		}
	}
	acc := map[string][]float64{}
	for _, sc := range scenarios {
		acc[sc] = make([]float64, len(classifiers))
	}
	for _, s := range r.Accuracy {
		acc[s.Scenario][index[s.Classifier]] = s.AccMean
	}
	return classifiers, acc
}

// AccuracyTable lists every score: classifier, scenario, accuracy mean ± std, macro-F1, training rows.
func (r *ExperimentResult) AccuracyTable() (header []string, rows [][]string) {
	header = []string{"classifier", "scenario", "accuracy", "macro-F1", "training images"}
	for _, s := range r.Accuracy {
		rows = append(rows, []string{s.Classifier, s.Scenario, fmt.Sprintf("%.3f ± %.3f", s.AccMean, s.AccStd),
			fmt.Sprintf("%.3f", s.F1Mean), fmt.Sprint(s.TrainRows)})
	}
	return header, rows
}

// ExampleGrid shows original and synthetic images side by side, one class per row pair of columns:
// columns alternate original, synthetic.
func (r *ExperimentResult) ExampleGrid(scale int) (image.Image, error) {
	var ims [][]byte
	for _, e := range r.Examples {
		ims = append(ims, e.Real, e.Synth)
	}
	return plots.GrayGrid(ims, r.Size, 4, scale)
}

// Summary is a one-paragraph account of the run.
func (r *ExperimentResult) Summary() string {
	return fmt.Sprintf("%s: %d classes; U-Net of %d parameters trained on %d images (%.0f s, %.0f images/s at the end); "+
		"%d synthetic images sampled in %.0f s.\nOn PCA features of the original training images, with floors (real test vs real training images) "+
		"and size-matched values (%d synthetic images, as many as the test set): FID %.3f (floor %.3f, matched %.3f), "+
		"KID (unbiased; may be negative) %.4f (floor %.4f, matched %.4f), per-class FID %.3f ± %.3f (on %d a class: %.3f, floor %.3f); "+
		"pixel histograms: JSD %.4f bits, EMD %.4f, mean %.3f and spread %.3f (real %.3f and %.3f); decoded series: marginal W1 %s, autocorrelation distance %s, discriminative score %s.",
		r.Name, len(r.Classes), r.Params, r.TrainImages, r.TrainSeconds, r.ImagesPerSec, r.SynthImages, r.SampleSeconds,
		r.TestImages, r.FID, r.FIDFloor, r.FIDMatched, r.KID, r.KIDFloor, r.KIDMatched,
		r.ClassFIDMean, r.ClassFIDStd, r.ClassFIDRows, r.ClassFIDMatchedMean, r.ClassFIDFloorMean,
		r.Hist.JSD, r.Hist.EMD, r.Hist.SynthMean, r.Hist.SynthStd, r.Hist.RealMean, r.Hist.RealStd, r.Traces.Marginal, r.Traces.Autocorrelation, r.Traces.Discriminative) + r.RealTraceSummary() +
		"\n" + r.EvidenceSummary() + r.notes()
}

// notes appends the run's warnings and the reasons a measure is missing.
func (r *ExperimentResult) notes() string {
	var out string
	for _, n := range []string{r.SampleWarning, r.FloorNote, r.TraceNote, r.RealTraceNote} {
		if n != "" {
			out += "\nNote: " + n
		}
	}
	return out
}

// shortNames drops a shared "group-" prefix from class names ("netflix-v01" -> "v01") to fit an axis.
func shortNames(classes []string) []string {
	out := make([]string, len(classes))
	for i, c := range classes {
		out[i] = c
		for j := len(c) - 1; j > 0; j-- {
			if c[j] == '-' {
				out[i] = c[j+1:]
				break
			}
		}
	}
	return out
}
