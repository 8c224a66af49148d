package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gomlx/compute"
	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/dataio"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/inception"
	"github.com/netdiffus/netdiffus/nblib/eval/nn"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"gonum.org/v1/gonum/mat"
)

func init() {
	register(command{name: "eval", summary: "FID/KID, pixel histograms and classifier accuracy for two image sets", run: runEval})
}

// evalFlags are the options of `netdiffus eval`.
type evalFlags struct {
	real, synth, realLabels, synthLabels string
	test, testLabels                     string
	extractor                            string
	perClassN                            int
	classifiers                          string
	preset                               string
	optimizer                            string
	model                                string
	guidance                             float64
	seeds                                int
	bins                                 int
	epochs                               int
}

func runEval(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	var f evalFlags
	fs.StringVar(&f.real, "real", "", "original images, .npy of shape [n,H,W], [n,H,W,C] or [n,C,H,W] (required)")
	fs.StringVar(&f.synth, "synth", "", "synthetic images, same layout and size (required)")
	fs.StringVar(&f.realLabels, "real-labels", "", "labels of -real (1-D .npy); with -synth-labels gives per-class FID")
	fs.StringVar(&f.synthLabels, "synth-labels", "", "labels of -synth (1-D .npy)")
	fs.StringVar(&f.test, "test", "", "held-out real images for the classifiers (needs both label files)")
	fs.StringVar(&f.testLabels, "test-labels", "", "labels of -test")
	fs.StringVar(&f.extractor, "features", "pca:64", "feature extractor for FID/KID: raw, pca:K (fitted on -real), encoder (a quick CNN trained on -real and its labels) or inception[:path] (pytorch-fid weights; default path from $NETDIFFUS_INCEPTION_WEIGHTS)")
	fs.IntVar(&f.perClassN, "n", 0, "images per class and side for per-class FID (0: the smaller count)")
	fs.StringVar(&f.preset, "preset", "quick", "classifier settings: quick (CPU: quick CNN, small ensembles, 2 seeds) or full (the paper's: authors' CNN with momentum SGD, 5 seeds); see nblib/eval/protocols")
	fs.StringVar(&f.classifiers, "classifiers", "", "comma-separated, default the preset's: rf (random forest), gbt (boosted trees), nb (Gaussian naive Bayes), mlp, cnn-quick, cnn8 (GoMLX; backend from GOMLX_BACKEND or the best available)")
	fs.IntVar(&f.epochs, "epochs", 0, "training epochs of the GoMLX CNNs (0: the preset's)")
	fs.StringVar(&f.optimizer, "optimizer", "default", "GoMLX network optimizer: default (momentum SGD for cnn8, Adam otherwise), adam or sgd-momentum")
	fs.IntVar(&f.seeds, "seeds", 0, "seeds per classifier, mean ± std (0: the preset's)")
	fs.StringVar(&f.model, "model", "", "a trained model's checkpoint folder (netdiffus train): draws as many images per class as -real-labels has, with DDIM-50 and -guidance, instead of -synth")
	fs.Float64Var(&f.guidance, "guidance", 0, "with -model: classifier-free guidance scale (0: off)")
	fs.IntVar(&f.bins, "bins", 64, "pixel histogram bins")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: netdiffus eval -real R.npy -synth S.npy [flags]\n\nFidelity of synthetic images against real ones, and downstream accuracy (original / synth / ori+synth).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if f.real == "" || (f.synth == "") == (f.model == "") {
		fs.Usage()
		return fmt.Errorf("-real and one of -synth or -model are required")
	}
	return evalSets(f)
}

func evalSets(f evalFlags) error {
	real, err := features.LoadImages(f.real)
	if err != nil {
		return err
	}
	var yr, ys []int
	var synth features.Images
	if f.model != "" {
		if f.realLabels == "" {
			return fmt.Errorf("-model needs -real-labels: the model draws as many images of each class as the real set has")
		}
		if yr, err = features.LoadLabels(f.realLabels); err != nil {
			return err
		}
		if synth, ys, err = sampleModel(f.model, real, yr, f.guidance); err != nil {
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
	if err := printHistograms(real, synth, f.bins); err != nil {
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
	if k, ok := strings.CutPrefix(spec, "pca:"); ok {
		n, err := strconv.Atoi(k)
		if err != nil {
			return nil, fmt.Errorf("-features %q: %v", spec, err)
		}
		return features.FitPCA(ref, min(n, ref.Len()-1))
	}
	return nil, fmt.Errorf("-features %q: want raw, pca:K, encoder or inception[:weights.pth]", spec)
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
	fmt.Printf("features %s (d=%d), %d real vs %d synthetic\nFID %.6g\nKID %.6g\n", name, d, nr, ns, fd, kid)
	return nil
}

func printHistograms(real, synth features.Images, bins int) error {
	lo, hi := math.Min(mat.Min(real.Pixels), mat.Min(synth.Pixels)), math.Max(mat.Max(real.Pixels), mat.Max(synth.Pixels))
	if hi == lo {
		hi = lo + 1
	}
	hr, err := features.PixelHistogram(real, bins, lo, hi)
	if err != nil {
		return err
	}
	hs, err := features.PixelHistogram(synth, bins, lo, hi)
	if err != nil {
		return err
	}
	jsd, _ := features.JSD(hr, hs)
	emd, _ := features.HistogramEMD(hr, hs, (hi-lo)/float64(bins))
	fmt.Printf("pixel histograms on [%g, %g], %d bins: JSD %.5f bits, EMD %.5f\n", lo, hi, bins, jsd, emd)
	return nil
}

// evalConfig is the preset chosen with -preset, overridden by -classifiers, -epochs, -seeds, -optimizer.
func evalConfig(f evalFlags) (protocols.Config, error) {
	var cfg protocols.Config
	switch f.preset {
	case "quick":
		cfg = protocols.QuickConfig()
	case "full":
		cfg = protocols.FullConfig()
	default:
		return cfg, fmt.Errorf("-preset %q: want quick or full", f.preset)
	}
	if f.classifiers != "" {
		cfg.Classifiers = nil
		for _, name := range strings.Split(f.classifiers, ",") {
			cfg.Classifiers = append(cfg.Classifiers, strings.TrimSpace(name))
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
		if n == protocols.CNN8 || n == protocols.CNNQuick || n == protocols.MLP {
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
	cfg, err := evalConfig(f)
	if err != nil {
		return err
	}
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

// sampleModel draws, from the checkpoint at path, as many images of each class as realY has, with DDIM-50
// and the EMA weights, and returns them as images with pixels in [0, 1].
func sampleModel(path string, real features.Images, realY []int, guidance float64) (features.Images, []int, error) {
	b, err := evalBackend()
	if err != nil {
		return features.Images{}, nil, err
	}
	tr, err := unet.Resume(b, path)
	if err != nil {
		return features.Images{}, nil, err
	}
	net := tr.Config.Net
	if net.Dims != 2 || net.Size != real.Height || net.Size != real.Width || net.InChannels != real.Channels {
		return features.Images{}, nil, fmt.Errorf("-model %s makes %dx%dx%d examples, -real has %dx%dx%d images",
			path, net.Size, net.Size, net.InChannels, real.Height, real.Width, real.Channels)
	}
	counts := make([]int, max(net.NumClasses, 1))
	for i, y := range realY {
		if y < 0 || y >= len(counts) {
			return features.Images{}, nil, fmt.Errorf("-real-labels: row %d has class %d; the model knows classes 0..%d", i, y, len(counts)-1)
		}
		counts[y]++
	}
	x, labels, elapsed, err := drawSamples(tr, counts, sampleOptions{sampler: diffusion.DDIM, steps: 50, guidance: guidance, batch: 64, seed: 1})
	if err != nil {
		return features.Images{}, nil, err
	}
	fmt.Fprintf(os.Stderr, "sampled %d images from %s in %v\n", x.Batch(), path, elapsed.Round(time.Millisecond))
	unit := dataio.ToUnit(x)
	rows := make([][]float64, unit.Batch())
	for i := range rows {
		for _, v := range unit.Example(i) {
			rows[i] = append(rows[i], float64(v))
		}
	}
	im, err := features.NewImages("samples of "+path, net.Size, net.Size, net.InChannels, rows)
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
