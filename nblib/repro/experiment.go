package repro

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/gasf"
	"github.com/netdiffus/netdiffus/nblib/internal/atomicfile"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// ExperimentConfig is one NetDiffus run on one dataset: split the traces (first 80% of each class for
// training, as the paper), image them, train the class-conditional diffusion model on the training
// images, sample synthetic images, and measure them (per-class FID, KID, pixel histograms, classifier
// accuracy in the original / synth / ori+synth scenarios on the held-out real images).
type ExperimentConfig struct {
	Dataset       string           // d1, d2, d3 or ww
	Group         string           // keep one group only (D1-Netflix: "netflix", D3-Google: "google"); "" keeps all
	Variant       datasets.Variant // quick or full data
	DataSeed      uint64
	TrainFraction float64 // of each class, in dataset order
	Model         unet.Config
	TrainSteps    int64
	SampleSteps   int     // DDIM steps
	SampleEta     float64 // DDIM eta
	Guidance      float64 // classifier-free guidance scale (needs a model with a null class); <= 1: plain conditional
	SynthPerClass int     // synthetic images per class; 0: as many as the class has training images
	PCAComponents int     // features for FID/KID: the real training images' principal components
	FIDPerClass   int     // images per class compared by the per-class FID (0: all available)
	HistogramBins int
	// Downstream holds the classifiers (Downstream.Classifiers), their seeds and sizes.
	Downstream protocols.Config
}

// QuickExperiment runs on a 2-core CPU in 2-5 minutes: quick data, 16x16 images, a small U-Net (16 base
// channels, multipliers 1,2), 1000 training steps of batch 32 at learning rate 1e-3, DDIM-25 with
// classifier-free guidance 3, and the five classifier families of protocols.QuickConfig. Measured on D1-Netflix (2 cores, ONNX
// Runtime): guidance 3 and 1000 steps took the random forest trained on synthetic images from 0.12
// (400 steps, no guidance) to 0.55 accuracy, against 0.83 on the original images. Its numbers show the
// pipeline working, not the paper's fidelity: use FullExperiment for that.
func QuickExperiment(dataset, group string) ExperimentConfig {
	return ExperimentConfig{
		Dataset: dataset, Group: group, Variant: datasets.Quick, DataSeed: datasets.DefaultSeed, TrainFraction: 0.8,
		Model: quickModel(), TrainSteps: 1000, SampleSteps: 25, Guidance: 3, PCAComponents: 16,
		HistogramBins: 32, Downstream: quickDownstream(),
	}
}

// quickDownstream is protocols.QuickConfig with 30 CNN epochs: its 3 epochs are sized for about 240
// images, and an experiment trains on the 80 or so of one dataset (3 epochs = 9 steps left the quick CNN
// at 0.35 accuracy on D1-Netflix, below every other classifier).
func quickDownstream() protocols.Config {
	c := protocols.QuickConfig()
	c.Epochs = 30
	return c
}

// quickModel is unet.Quick shrunk to 16x16 images and 16 base channels, with attention at 8x8.
func quickModel() unet.Config {
	m := unet.Quick(0)
	m.Name = "quick16"
	m.Net.Size, m.Net.ModelChannels, m.Net.NormGroups = 16, 16, 8
	m.Net.AttentionResolutions = []int{8}
	m.Train.LearningRate = 1e-3
	return m
}

// FullExperiment is the paper's setting: full data, the artifact's 128x128 model, 1000-step DDPM
// replaced by DDIM-100 for time, 30k training steps, the five classifiers of protocols.FullConfig (the
// authors' 8-conv CNN, five seeds). It wants a GPU.
func FullExperiment(dataset, group string) ExperimentConfig {
	return ExperimentConfig{
		Dataset: dataset, Group: group, Variant: datasets.Full, DataSeed: datasets.DefaultSeed, TrainFraction: 0.8,
		Model: unet.Full(0), TrainSteps: 30000, SampleSteps: 100, PCAComponents: 64,
		HistogramBins: 64, Downstream: protocols.FullConfig(),
	}
}

// ExperimentFor returns the quick or full configuration for the mode.
func ExperimentFor(mode Mode, dataset, group string) ExperimentConfig {
	if mode == Full {
		return FullExperiment(dataset, group)
	}
	return QuickExperiment(dataset, group)
}

// Name identifies the experiment's data, e.g. "d1-netflix".
func (c ExperimentConfig) Name() string {
	if c.Group == "" {
		return c.Dataset
	}
	return c.Dataset + "-" + c.Group
}

// modelKey is a short digest of what determines a trained model: the data, its split and the model with
// its training settings, but not the number of steps (more steps continue the same model) nor anything
// about sampling or evaluation.
func (c ExperimentConfig) modelKey() string {
	b, _ := json.Marshal(struct {
		Dataset, Group string
		Variant        datasets.Variant
		DataSeed       uint64
		TrainFraction  float64
		Model          unet.Config
	}{c.Dataset, c.Group, c.Variant, c.DataSeed, c.TrainFraction, c.Model})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}

// ModelDir is where the experiment's model checkpoints live.
func (c ExperimentConfig) ModelDir() string {
	return filepath.Join(ResultsDir(), "models", c.Name()+"-"+c.modelKey())
}

// realImages is a dataset split and imaged for one experiment.
type realImages struct {
	classes             []string
	train, test         diffusion.Array // [N, S, S, 1] in [-1, 1]
	trainY, testY       []int
	imageSize, seriesLn int
}

// prepare loads, splits and images the dataset.
func prepare(cfg ExperimentConfig) (*realImages, error) {
	ds, err := datasets.Load(cfg.Dataset, cfg.Variant, cfg.DataSeed)
	if err != nil {
		return nil, err
	}
	if cfg.Group != "" {
		if ds = ds.Filter(cfg.Group); len(ds.Traces) == 0 {
			return nil, fmt.Errorf("experiment %s: dataset %s has no group %q", cfg.Name(), cfg.Dataset, cfg.Group)
		}
	}
	series, err := ds.Series(ds.Default)
	if err != nil {
		return nil, fmt.Errorf("experiment %s: %w", cfg.Name(), err)
	}
	labels := ds.Labels()
	split := traffic.SplitPerClass(labels, cfg.TrainFraction, traffic.FirstInOrder, cfg.DataSeed)
	size := cfg.Model.Net.Size
	r := &realImages{classes: ds.Classes, imageSize: size, seriesLn: len(series[0])}
	if r.train, r.trainY, err = imageArray(series, labels, split.Train, size); err != nil {
		return nil, fmt.Errorf("experiment %s: %w", cfg.Name(), err)
	}
	if r.test, r.testY, err = imageArray(series, labels, split.Test, size); err != nil {
		return nil, fmt.Errorf("experiment %s: %w", cfg.Name(), err)
	}
	return r, nil
}

// imageArray images the selected series with the paper's settings and maps 8-bit pixels p to the
// model's range: 2p/255 - 1.
func imageArray(series [][]float64, labels, rows []int, size int) (diffusion.Array, []int, error) {
	out := diffusion.NewArray(len(rows), size, size, 1)
	ys := make([]int, len(rows))
	for k, i := range rows {
		img, err := gasf.Encode(series[i], gasf.DefaultParams(size))
		if err != nil {
			return diffusion.Array{}, nil, fmt.Errorf("trace %d: %w", i, err)
		}
		dst := out.Example(k)
		for j, p := range img.Pix {
			dst[j] = float32(p)/127.5 - 1
		}
		ys[k] = labels[i]
	}
	return out, ys, nil
}

// modelConfig is the experiment's U-Net sized for the dataset's classes.
func (c ExperimentConfig) modelConfig(numClasses int) unet.Config {
	m := c.Model
	m.Net.NumClasses = numClasses
	m.Net.ChannelMult = append([]int(nil), m.Net.ChannelMult...)
	return m
}

// LossPoint is the training loss at a step.
type LossPoint struct {
	Step int64
	Loss float64
}

// trainModel trains (or resumes training of) the experiment's model. Checkpoints go to ModelDir(); an
// interrupted run, or a later one asking for more steps, resumes from the newest checkpoint.
func trainModel(ctx context.Context, b compute.Backend, cfg ExperimentConfig, data *realImages, log io.Writer) (*unet.Trainer, []LossPoint, float64, error) {
	dir := cfg.ModelDir()
	var tr *unet.Trainer
	if ckpts, err := unet.Checkpoints(dir); err == nil && len(ckpts) > 0 {
		if tr, err = unet.Resume(b, dir); err != nil {
			return nil, nil, 0, err
		}
		if tr.Steps() > cfg.TrainSteps {
			return nil, nil, 0, fmt.Errorf("experiment %s: the model in %s has trained %d steps, more than the %d asked for: raise TrainSteps or delete the folder",
				cfg.Name(), dir, tr.Steps(), cfg.TrainSteps)
		}
		fmt.Fprintf(log, "resumed %s at step %d\n", dir, tr.Steps())
	} else if tr, err = unet.New(b, cfg.modelConfig(len(data.classes))); err != nil {
		return nil, nil, 0, err
	}
	shuffler, err := unet.NewShuffler(data.train, data.trainY, cfg.Model.Train.BatchSize, cfg.Model.Train.Seed)
	if err != nil {
		return nil, nil, 0, err
	}
	curve, err := readLossCurve(dir, tr.Steps())
	if err != nil {
		return nil, nil, 0, err
	}
	var ips float64
	report := max(int(cfg.TrainSteps/20), 1)
	last, err := tr.Run(ctx, shuffler, unet.RunConfig{
		MaxSteps: cfg.TrainSteps, ReportEvery: report, CheckpointDir: dir, CheckpointEvery: max(int(cfg.TrainSteps/4), 50), Keep: 2,
		Progress: func(p unet.Progress) {
			curve = append(curve, LossPoint{p.Step, p.MeanLoss})
			ips = p.ImagesPerSec
			if p.Step%int64(report*5) == 0 {
				fmt.Fprintf(log, "step %5d/%d  loss %.4f  %.1f images/s  %s\n", p.Step, cfg.TrainSteps, p.MeanLoss, p.ImagesPerSec, p.Elapsed.Round(time.Second))
			}
		},
	})
	if err != nil {
		return nil, nil, 0, fmt.Errorf("experiment %s: training: %w (checkpoints in %s)", cfg.Name(), err, dir)
	}
	if err := writeLossCurve(dir, curve); err != nil {
		return nil, nil, 0, err
	}
	if last.Step < cfg.TrainSteps {
		return nil, nil, 0, fmt.Errorf("experiment %s: training stopped at step %d of %d: %v", cfg.Name(), last.Step, cfg.TrainSteps, ctx.Err())
	}
	return tr, curve, ips, nil
}

// lossFile keeps a model's loss curve beside its checkpoints, so a resumed model reports its whole history.
const lossFile = "loss.json"

// readLossCurve returns the stored curve up to step (later points belong to steps the checkpoint lost).
func readLossCurve(dir string, step int64) ([]LossPoint, error) {
	b, err := os.ReadFile(filepath.Join(dir, lossFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	var curve []LossPoint
	if err == nil {
		err = json.Unmarshal(b, &curve)
	}
	if err != nil {
		return nil, fmt.Errorf("loss curve of %s: %w (delete %s to start the curve afresh)", dir, err, lossFile)
	}
	for len(curve) > 0 && curve[len(curve)-1].Step > step {
		curve = curve[:len(curve)-1]
	}
	return curve, nil
}

func writeLossCurve(dir string, curve []LossPoint) error {
	b, err := json.Marshal(curve)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, lossFile), b)
}

// sampleImages draws the synthetic set with DDIM from the EMA weights.
func sampleImages(ctx context.Context, tr *unet.Trainer, cfg ExperimentConfig, data *realImages) (diffusion.Array, []int, error) {
	den, err := tr.Denoiser(true)
	if err != nil {
		return diffusion.Array{}, nil, err
	}
	if net := cfg.modelConfig(len(data.classes)).Net; cfg.Guidance > 1 && net.NullClass {
		den = diffusion.Guided(den, cfg.Guidance, net.NullLabel())
	}
	counts := make([]int, len(data.classes))
	for _, y := range data.trainY {
		counts[y]++
	}
	if cfg.SynthPerClass > 0 {
		for c := range counts {
			counts[c] = cfg.SynthPerClass
		}
	}
	sched, err := diffusion.NewSchedule(cfg.Model.Train.Schedule, cfg.Model.Train.DiffusionSteps)
	if err != nil {
		return diffusion.Array{}, nil, err
	}
	x, y, err := sched.SampleClasses(ctx, den, counts, diffusion.SampleConfig{
		Sampler: diffusion.DDIM, Steps: cfg.SampleSteps, Eta: cfg.SampleEta, ExampleShape: cfg.modelConfig(len(counts)).Net.ExampleShape(),
		BatchSize: 64, Seed: cfg.DataSeed, ClipDenoised: true,
	})
	if err != nil {
		return diffusion.Array{}, nil, fmt.Errorf("experiment %s: sampling: %w", cfg.Name(), err)
	}
	return quantise(x), y, nil
}

// quantise rounds model outputs to the 8-bit grid real images live on (the paper saves PNGs).
func quantise(x diffusion.Array) diffusion.Array {
	out := x.Clone()
	for i, v := range out.Data {
		out.Data[i] = float32(toPixel(v))/127.5 - 1
	}
	return out
}

// toPixel maps a model value in [-1, 1] to the nearest 8-bit pixel, clamping.
func toPixel(v float32) byte {
	return byte(min(max((float64(v)+1)*127.5+0.5, 0), 255))
}

// RunExperiment runs (or loads from the cache) one experiment on the project's backend, writing progress
// lines to log. Training checkpoints, so an interrupted run resumes; force recomputes the cached result
// (a finished model is reused).
func RunExperiment(cfg ExperimentConfig, force bool, log io.Writer) (*ExperimentResult, error) {
	return Cached("experiment-"+cfg.Name(), cfg, force, func() (*ExperimentResult, error) {
		b, choice, err := backend.Shared()
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(log, choice)
		return runExperiment(context.Background(), b, cfg, log)
	})
}

func runExperiment(ctx context.Context, b compute.Backend, cfg ExperimentConfig, log io.Writer) (*ExperimentResult, error) {
	data, err := prepare(cfg)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "%s: %d classes, %d training and %d test images of %dx%d (series of %d)\n", cfg.Name(),
		len(data.classes), data.train.Batch(), data.test.Batch(), data.imageSize, data.imageSize, data.seriesLn)
	start := time.Now()
	tr, curve, ips, err := trainModel(ctx, b, cfg, data, log)
	if err != nil {
		return nil, err
	}
	trainSec := time.Since(start).Seconds()
	start = time.Now()
	synth, synthY, err := sampleImages(ctx, tr, cfg, data)
	if err != nil {
		return nil, err
	}
	sampleSec := time.Since(start).Seconds()
	fmt.Fprintf(log, "trained %d steps in %.0f s, sampled %d images in %.0f s\n", cfg.TrainSteps, trainSec, synth.Batch(), sampleSec)
	res := &ExperimentResult{Name: cfg.Name(), Classes: data.classes, Params: tr.NumParameters(),
		TrainImages: data.train.Batch(), TestImages: data.test.Batch(), SynthImages: synth.Batch(),
		TrainSeconds: trainSec, SampleSeconds: sampleSec, ImagesPerSec: ips, Loss: curve}
	if err := res.measure(b, cfg, data, synth, synthY); err != nil {
		return nil, fmt.Errorf("experiment %s: %w", cfg.Name(), err)
	}
	res.Examples = examplePairs(data, synth, synthY, 8)
	return res, nil
}
