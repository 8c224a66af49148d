package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/netdiffus/netdiffus/internal/valid"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

func init() {
	register(command{name: "eval", summary: "FID/KID, pixel histograms and classifier accuracy for two image sets", run: runEval})
}

// evalFlags are the options of `netdiffus eval`.
type evalFlags struct {
	run                                  *runFlags
	p                                    preset.Preset
	real, synth, realLabels, synthLabels string
	test, testLabels                     string
	traces                               string // real traces NPZ the -real images were made from
	extractor                            string
	perClassN                            int
	classifiers                          string
	optimizer                            string
	seeds                                int
	bins                                 int
	epochs                               int
}

const evalUsage = `eval -real images.npz (-synth samples.npz | -model DIR) [-preset P] [-set ...]
       netdiffus eval -real R.npy [-real-labels RL.npy] [-test T.npy -test-labels TL.npy] (-synth S.npy [-synth-labels SL.npy] | -model DIR) [flags]

Fidelity of synthetic images against real ones, and downstream accuracy (original / synth / ori+synth),
measured by pipeline.Measure with the preset's settings (the model folder's with -model, unless -preset,
-config or -set change them) whatever form the images come in.

With NPZ archives (netdiffus image and sample), -real is split per class as netdiffus train split it
(the first Data.TrainFraction of each class is the training part the synthetic images are compared with
and the classifiers learn from; the rest is the held-out test set). With .npy files (uint8 pixels, or
floats on [0, 1]), -real is that training part and -test the held-out set; without -test, -real is split
as an NPZ is. Label every .npy image file or none: unlabelled images are one class, and no classifier
runs on them. Either way the measures are the same: FID/KID on Measure.Features (PCA on
Measure.PCAComponents by default) with floors and bootstrap intervals, per-class FID, pixel histograms,
the decoded traces, the memorization audit and the preset's classifiers (Downstream). With -model, the
model draws as many images per class as the training part has, with the preset's sampling settings.`

func runEval(args []string) error {
	rf := newRunFlags("eval", evalUsage)
	rf.model = ""
	rf.fs.Lookup("model").DefValue = ""
	f := evalFlags{run: rf}
	fs := rf.fs
	fs.StringVar(&f.real, "real", "", "original images: an NPZ of netdiffus image, or a .npy of shape [n,H,W], [n,H,W,C] or [n,C,H,W] (required)")
	fs.StringVar(&f.synth, "synth", "", "synthetic images, same format and size")
	fs.StringVar(&f.realLabels, "real-labels", "", ".npy inputs: labels of -real (1-D .npy)")
	fs.StringVar(&f.synthLabels, "synth-labels", "", ".npy inputs: labels of -synth (1-D .npy)")
	fs.StringVar(&f.test, "test", "", ".npy inputs: held-out real images (default: split -real at Data.TrainFraction)")
	fs.StringVar(&f.testLabels, "test-labels", "", ".npy inputs: labels of -test")
	fs.StringVar(&f.traces, "traces", "", "NPZ inputs: the real traces NPZ (netdiffus data) the -real images were made from; adds trace fidelity against the real traces, in real units at full length")
	fs.StringVar(&f.extractor, "features", "", "FID/KID features (sets Measure.Features): raw, pca:K (K principal components of the real training images), encoder (a small CNN trained on their classes) or inception[:path] (pytorch-fid weights; default path from $NETDIFFUS_INCEPTION_WEIGHTS); default the preset's")
	fs.IntVar(&f.perClassN, "n", 0, "images per class and side for per-class FID (0: Measure.FIDPerClass, else the smaller count)")
	fs.StringVar(&f.classifiers, "classifiers", "", "comma-separated, default the preset's Downstream.Classifiers: rf (random forest), gbt (boosted trees), nb (Gaussian naive Bayes), mlp, cnn2, cnn8 (GoMLX)")
	fs.IntVar(&f.epochs, "epochs", 0, "training epochs of the GoMLX classifiers (0: Downstream.Epochs)")
	fs.StringVar(&f.optimizer, "optimizer", "default", "GoMLX network optimizer: default (momentum SGD for cnn8, Adam otherwise), adam or sgd-momentum")
	fs.IntVar(&f.seeds, "seeds", 0, "seeds per classifier, mean ± std (0: Downstream.Seeds)")
	fs.IntVar(&f.bins, "bins", 0, "pixel histogram bins (0: Measure.HistogramBins)")
	if err := rf.parse(args); err != nil {
		return err
	}
	if err := valid.First(
		valid.Int("-n", int64(f.perClassN), 0, preset.MaxPerClass),
		valid.Int("-seeds", int64(f.seeds), 0, preset.MaxSeeds),
		valid.Int("-epochs", int64(f.epochs), 0, preset.MaxEpochs),
		valid.Int("-bins", int64(f.bins), 0, preset.MaxHistogramBins),
	); err != nil {
		return err
	}
	var base *preset.Preset
	if rf.model != "" {
		var err error
		if base, err = modelPreset(rf.model); err != nil {
			return err
		}
	}
	p, err := rf.resolve(base)
	if err != nil {
		return err
	}
	if f.real == "" || (f.synth == "") == (rf.model == "") {
		fs.Usage()
		return fmt.Errorf("-real and one of -synth or -model are required")
	}
	if f.p, err = f.apply(p); err != nil {
		return err
	}
	return evalImages(f)
}

// apply returns p with the measuring flags (-features, -bins, -n, -classifiers, -epochs, -seeds,
// -optimizer) applied, checked as a preset.
func (f evalFlags) apply(p preset.Preset) (preset.Preset, error) {
	if f.extractor != "" {
		kind, k, hasArg := strings.Cut(f.extractor, ":")
		p.Measure.Features = f.extractor
		if hasArg && kind == preset.FeaturesPCA {
			n, err := pcaComponents(f.extractor, k)
			if err != nil {
				return p, err
			}
			p.Measure.PCAComponents, p.Measure.Features = n, preset.FeaturesPCA
		}
		if _, _, err := p.Measure.FeatureKind(); err != nil {
			return p, fmt.Errorf("-features %q: want raw, pca:K, encoder or inception[:weights.pth]", f.extractor)
		}
	}
	if f.bins > 0 {
		p.Measure.HistogramBins = f.bins
	}
	if f.perClassN > 0 {
		p.Measure.FIDPerClass = f.perClassN
	}
	if f.classifiers != "" {
		p.Downstream.Classifiers = nil
		for _, name := range strings.Split(f.classifiers, ",") {
			p.Downstream.Classifiers = append(p.Downstream.Classifiers, strings.TrimSpace(name))
		}
	}
	if f.epochs > 0 {
		p.Downstream.Epochs = f.epochs
	}
	if f.seeds > 0 {
		p.Downstream.Seeds = make([]uint64, f.seeds)
		for i := range p.Downstream.Seeds {
			p.Downstream.Seeds[i] = uint64(i + 1)
		}
	}
	if err := p.SetNetOptimizer(f.optimizer); err != nil {
		return p, fmt.Errorf("-optimizer: %w", err)
	}
	if err := p.Validate(); err != nil {
		return p, fmt.Errorf("-features, -bins, -n, -classifiers, -epochs or -seeds: %w", err)
	}
	return p, nil
}

// pcaComponents returns K of a "pca:K" -features value, checked against 1..65536.
func pcaComponents(spec, k string) (int, error) {
	n, err := strconv.Atoi(k)
	if err != nil {
		return 0, fmt.Errorf("-features %q: %q is not a whole number of components", spec, k)
	}
	return n, valid.Int(fmt.Sprintf("-features %s: K", spec), int64(n), 1, 1<<16)
}

// isNPZ reports whether the -real input is an NPZ archive (else .npy files).
func (f evalFlags) isNPZ() bool { return strings.EqualFold(filepath.Ext(f.real), ".npz") }

// evalImages measures the synthetic images (-synth or drawn from -model) against the real ones with
// pipeline.Measure, whatever form the inputs take.
func evalImages(f evalFlags) error {
	data, err := realData(f)
	if err != nil {
		return err
	}
	synth, source, err := syntheticExamples(f, data)
	if err != nil {
		return err
	}
	if err := data.CheckSynthetic(source, synth); err != nil {
		return err
	}
	if len(data.Classes) == 1 && data.Classes[0] == pipeline.UnlabelledClass && len(f.p.Downstream.Classifiers) > 0 {
		fmt.Println("unlabelled images: one class, no classifiers (give -real-labels and -synth-labels for them)")
		f.p.Downstream.Classifiers = nil
	}
	var b compute.Backend
	if pipeline.NeedsBackend(f.p) {
		if b, err = sharedBackend(); err != nil {
			return err
		}
	}
	m, err := pipeline.Measure(b, f.p, data, synth.X, synth.Labels)
	if err != nil {
		return err
	}
	printMeasures(f.p, data, synth, m)
	return nil
}

// realData reads the real images: an NPZ split at Data.TrainFraction (with its -traces), or .npy files.
func realData(f evalFlags) (*pipeline.Data, error) {
	if !f.isNPZ() {
		if f.traces != "" {
			return nil, fmt.Errorf("-traces needs NPZ inputs (netdiffus image), not %s", f.real)
		}
		return pipeline.ReadImageData(pipeline.ImageFiles{Train: f.real, TrainLabels: f.realLabels, Test: f.test, TestLabels: f.testLabels}, f.p.Data.TrainFraction)
	}
	if f.realLabels != "" || f.synthLabels != "" || f.test != "" || f.testLabels != "" {
		return nil, fmt.Errorf("-real-labels, -synth-labels, -test and -test-labels are for .npy inputs: %s holds its labels and is split at Data.TrainFraction", f.real)
	}
	ex, err := pipeline.ReadExamples(f.real)
	if err != nil {
		return nil, err
	}
	if len(ex.X.Shape) != 4 {
		return nil, fmt.Errorf("%s holds series; eval measures images", f.real)
	}
	data, err := pipeline.SplitData(f.real, ex, f.p.Data.TrainFraction)
	if err != nil {
		return nil, err
	}
	return data, attachTraces(f.traces, data, f.p.Data.TrainFraction)
}

// syntheticExamples returns the synthetic images: drawn from -model, or read from -synth (an NPZ, or a
// .npy with -synth-labels); source names them in errors.
func syntheticExamples(f evalFlags, data *pipeline.Data) (pipeline.Examples, string, error) {
	if f.run.model != "" {
		ex, err := sampleFor(f, data)
		return ex, "the samples of " + f.run.model, err
	}
	if !f.isNPZ() {
		if (f.synthLabels == "") != (f.realLabels == "") {
			return pipeline.Examples{}, "", fmt.Errorf("-real-labels and -synth-labels: label both image sets or neither")
		}
		ex, err := pipeline.ReadImageExamples(f.synth, f.synthLabels)
		return ex, f.synth, err
	}
	ex, err := pipeline.ReadExamples(f.synth)
	if err == nil && len(ex.Classes) != len(data.Classes) {
		err = fmt.Errorf("the synthetic set %s has %d classes, %s has %d", f.synth, len(ex.Classes), f.real, len(data.Classes))
	}
	return ex, f.synth, err
}

// sampleFor draws, from -model, as many images per class as the real training part has.
func sampleFor(f evalFlags, data *pipeline.Data) (pipeline.Examples, error) {
	b, err := sharedBackend()
	if err != nil {
		return pipeline.Examples{}, err
	}
	m, err := pipeline.Open(b, f.run.model)
	if err != nil {
		return pipeline.Examples{}, err
	}
	if want := m.Config().Net.ExampleShape(); !slices.Equal(want, data.Train.Shape[1:]) {
		return pipeline.Examples{}, fmt.Errorf("-model %s makes examples shaped %v, %s holds %v", f.run.model, want, f.real, data.Train.Shape[1:])
	}
	if len(m.Info.Classes) != len(data.Classes) {
		return pipeline.Examples{}, fmt.Errorf("-model %s knows %d classes, %s has %d (label .npy images with -real-labels)", f.run.model, len(m.Info.Classes), f.real, len(data.Classes))
	}
	return sampleCounts(f.run, m, f.p, pipeline.Counts(data.TrainY, len(data.Classes)))
}

func printMeasures(p preset.Preset, d *pipeline.Data, synth pipeline.Examples, m *pipeline.Measures) {
	fmt.Printf("preset %s: %d real training, %d real test and %d synthetic images of %dx%d, %d classes\n", p.Name,
		d.Train.Batch(), d.Test.Batch(), synth.X.Batch(), d.Train.Shape[1], d.Train.Shape[2], len(d.Classes))
	fmt.Printf("features %s\nFID %.6g (floor, real test vs real training images: %.6g; matched to the test size: %.6g)\nKID (unbiased; may be negative) %.6g (floor %.6g)\nper-class FID: mean %.4f std %.4f (on %d a class: %.4f, floor %.4f)\n",
		m.Features, m.FID, m.RealFID, m.FIDMatched, m.KID, m.KIDFloor, m.ClassFIDMean, m.ClassFIDStd, m.ClassFIDRows, m.ClassFIDMatchedMean, m.ClassFIDFloorMean)
	if m.FloorNote != "" {
		fmt.Println("per-class floor: not measured:", m.FloorNote)
	}
	if m.TraceNote != "" {
		fmt.Println("decoded series: not measured:", m.TraceNote)
	} else {
		fmt.Printf("decoded series: marginal W1 %s, autocorrelation distance %s, discriminative score %s\n", m.Traces.Marginal, m.Traces.Autocorrelation, m.Traces.Discriminative)
	}
	fmt.Print(m.RealTraceReport())
	for c, v := range m.ClassFID {
		fmt.Printf("  %s: %.4f\n", d.Classes[c], v)
	}
	fmt.Printf("pixel histograms on [0, 1], %d bins: JSD %.5f bits, EMD %.5f\n", m.Hist.Bins, m.Hist.JSD, m.Hist.EMD)
	fmt.Print(m.EvidenceSummary())
	if m.Audit != nil {
		printTable(m.Audit.Table(d.Classes))
	}
	if len(m.Accuracy) == 0 {
		return
	}
	printTable(m.AccuracyTable())
}

var backendReported bool

// sharedBackend returns the one GoMLX backend of a run (training, sampling, encoder, Inception and the
// classifiers share it) and prints the choice the first time.
func sharedBackend() (compute.Backend, error) {
	b, choice, err := backend.Shared()
	if err == nil && !backendReported {
		backendReported = true
		fmt.Fprintln(os.Stderr, choice)
	}
	return b, err
}

// printTable writes a header and rows as an aligned table on standard output.
func printTable(header []string, rows [][]string) {
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	tw.Flush()
}
