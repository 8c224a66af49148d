package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/netdiffus/netdiffus/internal/valid"

	"github.com/gomlx/compute"
	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/inception"
	"github.com/netdiffus/netdiffus/nblib/eval/nn"
	"github.com/netdiffus/netdiffus/nblib/eval/privacy"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
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
       netdiffus eval -real R.npy -synth S.npy [-real-labels ...] [flags]

Fidelity of synthetic images against real ones, and downstream accuracy (original / synth / ori+synth).

With NPZ archives (netdiffus image and sample), -real is split per class as netdiffus train split it
(the first Data.TrainFraction of each class is the training part the synthetic images are compared with
and the classifiers learn from; the rest is the held-out test set), and the measurements are the
pipeline's: PCA features (Measure.PCAComponents), per-class FID, KID, pixel histograms and the preset's
classifiers (Downstream). With -model, the model draws as many images per class as the training part
has, with the preset's sampling settings (Sample.*; the model folder's unless -preset/-set change them).`

func runEval(args []string) error {
	rf := newRunFlags("eval", evalUsage)
	rf.model = ""
	rf.fs.Lookup("model").DefValue = ""
	f := evalFlags{run: rf}
	fs := rf.fs
	fs.StringVar(&f.real, "real", "", "original images: an NPZ of netdiffus image, or a .npy of shape [n,H,W], [n,H,W,C] or [n,C,H,W] (required)")
	fs.StringVar(&f.synth, "synth", "", "synthetic images, same format and size")
	fs.StringVar(&f.realLabels, "real-labels", "", ".npy inputs: labels of -real (1-D .npy); with -synth-labels gives per-class FID")
	fs.StringVar(&f.synthLabels, "synth-labels", "", ".npy inputs: labels of -synth (1-D .npy)")
	fs.StringVar(&f.test, "test", "", ".npy inputs: held-out real images for the classifiers (needs both label files)")
	fs.StringVar(&f.testLabels, "test-labels", "", ".npy inputs: labels of -test")
	fs.StringVar(&f.traces, "traces", "", "NPZ inputs: the real traces NPZ (netdiffus data) the -real images were made from; adds trace fidelity against the real traces, in real units at full length")
	fs.StringVar(&f.extractor, "features", "", ".npy inputs: feature extractor for FID/KID: raw, pca:K (fitted on -real; default pca:Measure.PCAComponents), encoder (a cnn2 trained on -real and its labels) or inception[:path] (pytorch-fid weights; default path from $NETDIFFUS_INCEPTION_WEIGHTS)")
	fs.IntVar(&f.perClassN, "n", 0, "images per class and side for per-class FID (0: Measure.FIDPerClass, else the smaller count)")
	fs.StringVar(&f.classifiers, "classifiers", "", "comma-separated, default the preset's Downstream.Classifiers: rf (random forest), gbt (boosted trees), nb (Gaussian naive Bayes), mlp, cnn2, cnn8 (GoMLX)")
	fs.IntVar(&f.epochs, "epochs", 0, "training epochs of the GoMLX CNNs (0: Downstream.Epochs)")
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
	if p.Downstream, err = evalConfig(f, p.Downstream); err != nil {
		return err
	}
	if f.bins > 0 {
		p.Measure.HistogramBins = f.bins
	}
	if f.perClassN > 0 {
		p.Measure.FIDPerClass = f.perClassN
	}
	if f.extractor == "" {
		f.extractor = fmt.Sprintf("pca:%d", p.Measure.PCAComponents)
	}
	if _, err := pcaComponents(f.extractor); err != nil {
		return err
	}
	f.p = p
	if strings.EqualFold(filepath.Ext(f.real), ".npz") {
		return evalExamples(f)
	}
	return evalSets(f)
}

// evalExamples measures NPZ archives with the pipeline's Measure.
func evalExamples(f evalFlags) error {
	ex, err := pipeline.ReadExamples(f.real)
	if err != nil {
		return err
	}
	if len(ex.X.Shape) != 4 {
		return fmt.Errorf("%s holds series; eval measures images", f.real)
	}
	data, err := pipeline.SplitData(f.real, ex, f.p.Data.TrainFraction)
	if err != nil {
		return err
	}
	if err := attachTraces(f.traces, data, f.p.Data.TrainFraction); err != nil {
		return err
	}
	var synth pipeline.Examples
	if f.run.model != "" {
		if synth, err = sampleFor(f, data); err != nil {
			return err
		}
	} else if synth, err = pipeline.ReadExamples(f.synth); err != nil {
		return err
	}
	if !sameShape(synth.X.Shape[1:], ex.X.Shape[1:]) {
		return fmt.Errorf("synthetic examples are shaped %v, %s holds %v", synth.X.Shape[1:], f.real, ex.X.Shape[1:])
	}
	if len(synth.Classes) != len(ex.Classes) {
		return fmt.Errorf("the synthetic set has %d classes, %s has %d", len(synth.Classes), f.real, len(ex.Classes))
	}
	var b compute.Backend
	if needsBackend(f.p.Downstream.Classifiers) {
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
	if want := m.Config().Net.ExampleShape(); !sameShape(want, data.Train.Shape[1:]) {
		return pipeline.Examples{}, fmt.Errorf("-model %s makes examples shaped %v, %s holds %v", f.run.model, want, f.real, data.Train.Shape[1:])
	}
	if len(m.Info.Classes) != len(data.Classes) {
		return pipeline.Examples{}, fmt.Errorf("-model %s knows %d classes, %s has %d", f.run.model, len(m.Info.Classes), f.real, len(data.Classes))
	}
	x, y, err := sampleCounts(f.run, m, f.p, pipeline.Counts(data.TrainY, len(data.Classes)))
	return pipeline.Examples{X: x, Labels: y, Classes: m.Info.Classes}, err
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func printMeasures(p preset.Preset, d *pipeline.Data, synth pipeline.Examples, m *pipeline.Measures) {
	fmt.Printf("preset %s: %d real training, %d real test and %d synthetic images of %dx%d, %d classes\n", p.Name,
		d.Train.Batch(), d.Test.Batch(), synth.X.Batch(), d.Train.Shape[1], d.Train.Shape[2], len(d.Classes))
	fmt.Printf("features pca:%d\nFID %.6g (floor, real test vs real training images: %.6g; matched to the test size: %.6g)\nKID (unbiased; may be negative) %.6g (floor %.6g)\nper-class FID: mean %.4f std %.4f (on %d a class: %.4f, floor %.4f)\n",
		p.Measure.PCAComponents, m.FID, m.RealFID, m.FIDMatched, m.KID, m.KIDFloor, m.ClassFIDMean, m.ClassFIDStd, m.ClassFIDRows, m.ClassFIDMatchedMean, m.ClassFIDFloorMean)
	fmt.Printf("decoded series: marginal W1 %s, autocorrelation distance %s, discriminative score %s\n", m.Traces.Marginal, m.Traces.Autocorrelation, m.Traces.Discriminative)
	printRealTraces(m)
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

func evalSets(f evalFlags) error {
	real, err := features.LoadImages(f.real)
	if err != nil {
		return err
	}
	var yr, ys []int
	var synth features.Images
	if f.run.model != "" {
		if f.realLabels == "" {
			return fmt.Errorf("-model needs -real-labels: the model draws as many images of each class as the real set has")
		}
		if yr, err = features.LoadLabels(f.realLabels); err != nil {
			return err
		}
		if synth, ys, err = sampleModel(f, real, yr); err != nil {
			return err
		}
	} else {
		if synth, err = features.LoadImages(f.synth); err != nil {
			return err
		}
		if f.realLabels != "" && f.synthLabels != "" {
			if yr, err = features.LoadLabels(f.realLabels); err != nil {
				return err
			}
			if ys, err = features.LoadLabels(f.synthLabels); err != nil {
				return err
			}
		}
	}
	if err := features.CheckCompatible(real, synth, f.real, "synthetic images"); err != nil {
		return err
	}
	ex, err := makeExtractor(f, real, yr)
	if err != nil {
		return err
	}
	fr, err := ex.Extract(real)
	if err != nil {
		return err
	}
	fsyn, err := ex.Extract(synth)
	if err != nil {
		return err
	}
	if err := printFidelity(ex.Name(), fr, fsyn); err != nil {
		return err
	}
	if err := printHistograms(real, synth, f.p.Measure.HistogramBins); err != nil {
		return err
	}
	if yr == nil {
		return nil
	}
	pc, err := fid.PerClass(fr, yr, fsyn, ys, f.perClassN, fid.Frechet)
	if err != nil {
		return err
	}
	fmt.Printf("per-class FID (%s): mean %.4f std %.4f\n", ex.Name(), pc.Mean, pc.Std)
	for _, c := range pc.Classes {
		fmt.Printf("  class %d (n=%d): %.4f\n", c.Class, c.NReal, c.Distance)
	}
	if f.test == "" {
		return nil
	}
	return printClassifiers(f, real, yr, synth, ys)
}

func makeExtractor(f evalFlags, ref features.Images, labels []int) (features.Extractor, error) {
	spec := f.extractor
	switch spec {
	case "raw":
		return features.Raw{}, nil
	case "encoder":
		if labels == nil {
			return nil, fmt.Errorf("-features encoder trains on the real images' classes: give -real-labels and -synth-labels")
		}
		b, err := evalBackend()
		if err != nil {
			return nil, err
		}
		net := nn.NewEncoderNetwork(b, 0)
		if f.epochs > 0 {
			net.Epochs = f.epochs
		}
		return nn.TrainEncoder(net, ref, labels)
	}
	if path, ok := strings.CutPrefix(spec, "inception"); ok {
		b, err := evalBackend()
		if err != nil {
			return nil, err
		}
		return inception.New(b, strings.TrimPrefix(path, ":"))
	}
	if n, err := pcaComponents(spec); n > 0 || err != nil {
		if err != nil {
			return nil, err
		}
		if ref.Len() < 2 {
			return nil, fmt.Errorf("-features %s: PCA needs at least 2 real images, %s has %d", spec, f.real, ref.Len())
		}
		return features.FitPCA(ref, min(n, ref.Len()-1))
	}
	return nil, fmt.Errorf("-features %q: want raw, pca:K, encoder or inception[:weights.pth]", spec)
}

// pcaComponents returns K of a "pca:K" -features value (0 for other values), checked against 1..65536.
func pcaComponents(spec string) (int, error) {
	k, ok := strings.CutPrefix(spec, "pca:")
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(k)
	if err != nil {
		return 0, fmt.Errorf("-features %q: %q is not a whole number of components", spec, k)
	}
	return n, valid.Int(fmt.Sprintf("-features %s: K", spec), int64(n), 1, 1<<16)
}

func printFidelity(name string, fr, fsyn *mat.Dense) error {
	fd, err := fid.Frechet(fr, fsyn)
	if err != nil {
		return err
	}
	kid, err := fid.KID(fr, fsyn)
	if err != nil {
		return err
	}
	nr, d := fr.Dims()
	ns, _ := fsyn.Dims()
	fmt.Printf("features %s (d=%d), %d real vs %d synthetic\nFID %.6g\nKID (unbiased; may be negative) %.6g\n", name, d, nr, ns, fd, kid)
	return nil
}

func printHistograms(real, synth features.Images, bins int) error {
	h, err := pipeline.Histograms(real, synth, bins)
	if err != nil {
		return err
	}
	fmt.Printf("pixel histograms on [0, 1], %d bins: JSD %.5f bits, EMD %.5f\n", bins, h.JSD, h.EMD)
	return nil
}

// evalConfig is the preset's Downstream, overridden by -classifiers, -epochs, -seeds, -optimizer.
func evalConfig(f evalFlags, cfg protocols.Config) (protocols.Config, error) {
	if f.classifiers != "" {
		cfg.Classifiers = nil
		for _, name := range strings.Split(f.classifiers, ",") {
			name = strings.TrimSpace(name)
			if err := valid.Enum("-classifiers item", name, protocols.Names()...); err != nil {
				return cfg, err
			}
			cfg.Classifiers = append(cfg.Classifiers, name)
		}
	}
	if f.epochs > 0 {
		cfg.Epochs = f.epochs
	}
	if f.seeds > 0 {
		cfg.Seeds = make([]uint64, f.seeds)
		for i := range cfg.Seeds {
			cfg.Seeds[i] = uint64(i + 1)
		}
	}
	opt, err := nn.ParseOptimizer(f.optimizer)
	if err != nil {
		return cfg, fmt.Errorf("-optimizer: %w", err)
	}
	cfg.NetOptimizer = opt
	return cfg, nil
}

// needsBackend reports whether any classifier is a GoMLX network.
func needsBackend(names []string) bool {
	for _, n := range names {
		if n = protocols.Canonical(n); n == protocols.CNN8 || n == protocols.CNN2 || n == protocols.MLP {
			return true
		}
	}
	return false
}

func printClassifiers(f evalFlags, real features.Images, yr []int, synth features.Images, ys []int) error {
	test, err := features.LoadImages(f.test)
	if err != nil {
		return err
	}
	if err := features.CheckCompatible(real, test, f.real, f.test); err != nil {
		return err
	}
	yt, err := features.LoadLabels(f.testLabels)
	if err != nil {
		return err
	}
	audit, err := privacy.Audit("images", privacy.Set{X: real.Pixels, Y: yr}, privacy.Set{X: test.Pixels, Y: yt}, privacy.Set{X: synth.Pixels, Y: ys},
		privacy.Config{Seed: f.p.Data.Seed})
	if err != nil {
		fmt.Printf("memorization audit: %v\n", err)
	} else {
		fmt.Println(audit.Summary())
		if audit.Flagged {
			fmt.Println(audit.Warning)
		}
		printTable(audit.Table(nil))
	}
	cfg := f.p.Downstream
	var b compute.Backend
	if needsBackend(cfg.Classifiers) {
		if b, err = evalBackend(); err != nil {
			return err
		}
	}
	facs, err := cfg.Factories(b, protocols.InputShape{Height: real.Height, Width: real.Width, Channels: real.Channels})
	if err != nil {
		return fmt.Errorf("-classifiers: %w", err)
	}
	fmt.Printf("classifiers: preset %s, %d seeds\n", cfg.Name, len(cfg.Seeds))
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "classifier\tscenario\taccuracy\tmacro-F1\ttrain rows")
	for _, fac := range facs {
		res, err := protocols.Scenarios(fac.New,
			protocols.Dataset{X: real.Pixels, Y: yr}, protocols.Dataset{X: synth.Pixels, Y: ys},
			protocols.Dataset{X: test.Pixels, Y: yt}, cfg.Seeds)
		if err != nil {
			return fmt.Errorf("%s: %w", fac.Name, err)
		}
		for _, s := range []protocols.Scenario{protocols.Original, protocols.Synthetic, protocols.OriginalSynth} {
			r := res[s]
			fmt.Fprintf(tw, "%s\t%s\t%.4f ± %.4f\t%.4f ± %.4f\t%d\n", fac.Name, s, r.AccMean, r.AccStd, r.F1Mean, r.F1Std, r.TrainRows)
		}
	}
	return tw.Flush()
}

// sampleModel draws, from the model in -model, as many images of each class as realY has, with the
// preset's sampling settings.
func sampleModel(f evalFlags, real features.Images, realY []int) (features.Images, []int, error) {
	b, err := sharedBackend()
	if err != nil {
		return features.Images{}, nil, err
	}
	m, err := pipeline.Open(b, f.run.model)
	if err != nil {
		return features.Images{}, nil, err
	}
	net := m.Config().Net
	if net.Dims != 2 || net.Size != real.Height || net.Size != real.Width || net.InChannels != real.Channels {
		return features.Images{}, nil, fmt.Errorf("-model %s makes %dx%dx%d examples, -real has %dx%dx%d images",
			f.run.model, net.Size, net.Size, net.InChannels, real.Height, real.Width, real.Channels)
	}
	counts := make([]int, max(net.NumClasses, 1))
	for i, y := range realY {
		if y < 0 || y >= len(counts) {
			return features.Images{}, nil, fmt.Errorf("-real-labels: row %d has class %d; the model knows classes 0..%d", i, y, len(counts)-1)
		}
		counts[y]++
	}
	x, labels, err := sampleCounts(f.run, m, f.p, counts)
	if err != nil {
		return features.Images{}, nil, err
	}
	im, err := pipeline.Images("samples of "+f.run.model, x)
	return im, labels, err
}

var backendReported bool

// evalBackend is sharedBackend.
func evalBackend() (compute.Backend, error) { return sharedBackend() }

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
