package preset

import (
	"fmt"
	"math"
	"os"
	"reflect"
	"strings"

	"github.com/netdiffus/netdiffus/internal/valid"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/eval/nn"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// The preset names.
const (
	Smoke = "smoke" // CI and the test command: minutes on 2 cores
	CPU   = "cpu"   // about half an hour per dataset on 2 cores
	Full  = "full"  // the paper artifact's setting, for a GPU
)

// Names lists the presets in increasing size.
func Names() []string { return []string{Smoke, CPU, Full} }

// Preset is one complete run configuration. Fields are plain values so that notebooks, JSON files and
// `-set Path=value` can override any of them.
type Preset struct {
	Name       string
	Data       Data
	Net        unet.NetConfig // NumClasses is filled from the data when a model is made
	Train      Train
	Sample     Sample
	Measure    Measure
	Downstream protocols.Config // classifiers, seeds, sizes and the x axes of Figs. 4, 5b, 6 and 8
	Figures    Figures
}

// Data chooses the data and its split.
type Data struct {
	Variant       datasets.Variant // size of the default datasets: small, medium or full
	Seed          uint64           // generator seed of the default datasets and the split
	TrainFraction float64          // of each class, in dataset order, for training (the paper's 0.8)
	// SplitSeed, when not 0, draws each class's training traces at random with this seed instead of
	// taking the first TrainFraction in dataset order: one split of a repeated hold-out per seed
	// (netdiffus variance -splits). 0, the paper's split, leaves the configuration as before.
	SplitSeed uint64 `json:",omitempty"`
}

// Split splits traces with these labels per class as the data settings say: the first TrainFraction
// of each class in dataset order (the paper's), or a seeded random draw when SplitSeed is set.
func (d Data) Split(labels []int) traffic.Split {
	if d.SplitSeed != 0 {
		return traffic.SplitPerClass(labels, d.TrainFraction, traffic.Shuffled, d.SplitSeed)
	}
	return traffic.SplitPerClass(labels, d.TrainFraction, traffic.FirstInOrder, d.Seed)
}

// Train holds the optimiser and diffusion settings of unet.TrainConfig and how long to train.
type Train struct {
	unet.TrainConfig
	Steps           int64 // total training steps; a resumed model continues to this
	CheckpointEvery int   // steps between checkpoints (0: a quarter of Steps, at least 50)
	Keep            int   // checkpoints kept (0: all)
	ReportEvery     int   // steps between progress reports (0: a twentieth of Steps)
	// Devices splits each training step's batch across this many local devices (data parallelism
	// through GoMLX's AutoSharding; XLA only): 0 all of them (the most that divide BatchSize: one on ONNX
	// Runtime and the Go backend), 1 one. BatchSize stays the global batch. Not part of the model's
	// identity: a model resumes on any count (docs/backends.md says what was verified).
	Devices int `json:",omitempty"`
}

// Sample configures drawing synthetic examples.
type Sample struct {
	Sampler   diffusion.SamplerKind // ddpm, ddim, heun (EDM, 2 network calls a step) or dpmpp2m (DPM-Solver++(2M))
	Steps     int                   // reverse steps (0: all T); heun makes 2 Steps - 1 network calls
	Spacing   diffusion.Spacing     // which Steps of the T are visited: leading, trailing, linspace or karras ("": leading; heun: karras only)
	Eta       float64               // DDIM noise (0: deterministic; 1: DDPM's posterior variance)
	Guidance  float64               // classifier-free guidance scale; used when > 1 (see the package doc)
	Clip      bool                  // clamp the predicted x0 to [-1, 1] at each step
	PerClass  int                   // examples per class; 0: as many as the class has training images
	BatchSize int                   // examples per network call (0: 64)
	Seed      uint64
	Raw       bool // sample the raw weights instead of the EMA weights

	// Churn is heun's S_churn (Karras et al. 2022): 0 is the deterministic sampler; other samplers
	// need 0.
	Churn float64 `json:",omitempty"`
}

// Measure configures the fidelity measurements.
type Measure struct {
	PCAComponents int // FID/KID features: principal components of the real training images
	FIDPerClass   int // images per class in the per-class FID (0: all available)
	HistogramBins int // pixel histograms on [0, 1]
	// Features are the FID/KID features (pipeline.Measure): "" or FeaturesPCA, the first PCAComponents
	// principal components of the real training images; FeaturesRaw, the pixels; FeaturesEncoder, a
	// small CNN trained on the real training images' classes; FeaturesInception, pytorch-fid's
	// Inception network with the weights of $NETDIFFUS_INCEPTION_WEIGHTS, or "inception:<weights.pth>".
	// Empty (PCA) is every stored result's setting and is left out of its JSON.
	Features string `json:",omitempty"`
}

// The Measure.Features values.
const (
	FeaturesPCA       = "pca"
	FeaturesRaw       = "raw"
	FeaturesEncoder   = "encoder"
	FeaturesInception = "inception"
)

// FeatureKind splits Measure.Features into its kind (FeaturesPCA for "") and the Inception weights
// path after "inception:" (empty otherwise), checking the kind.
func (m Measure) FeatureKind() (kind, weights string, err error) {
	kind, weights, _ = strings.Cut(m.Features, ":")
	if kind == "" {
		kind = FeaturesPCA
	}
	if err := valid.Enum("Measure.Features", kind, FeaturesPCA, FeaturesRaw, FeaturesEncoder, FeaturesInception); err != nil {
		return "", "", err
	}
	if weights != "" && kind != FeaturesInception || weights == "" && strings.Contains(m.Features, ":") {
		return "", "", fmt.Errorf("Measure.Features %q: only inception takes a weights path (inception:<weights.pth>)", m.Features)
	}
	return kind, weights, nil
}

// Figures holds the axes of the figures that are not downstream protocols.
type Figures struct {
	// FidelityDatasets are the datasets of Fig. 2(a) and Fig. 7, as "dataset" or "dataset-group".
	FidelityDatasets []string
}

// SmokePreset is the CI setting (formerly "quick"): small data, 16x16 images, UNet32 shrunk to 16
// base channels with attention at 8x8, v prediction (see Prediction), learning rate 1e-3, 1000 steps
// of batch 32, DDPM-50 on trailing spacing without guidance (the sampler measured best on real
// vcfp-alexa: see SmokeSampling), PCA-16 features and protocols.CPUConfig with 30 CNN epochs (its 3
// epochs are sized for about 240 images; an experiment trains on the 80 or so of one dataset).
func SmokePreset() Preset {
	m := UNet32(0)
	m.Net.Size, m.Net.ModelChannels, m.Net.NormGroups = 16, 16, 8
	m.Net.AttentionResolutions = []int{8}
	m.Train.LearningRate = 1e-3
	m.Train.Prediction = Prediction
	down := protocols.CPUConfig()
	down.Epochs = 30
	return Preset{
		Name:       Smoke,
		Data:       Data{Variant: datasets.Small, Seed: datasets.DefaultSeed, TrainFraction: 0.8},
		Net:        m.Net,
		Train:      Train{TrainConfig: m.Train, Steps: 1000, Keep: 2},
		Sample:     SmokeSampling(),
		Measure:    Measure{PCAComponents: 16, HistogramBins: 32},
		Downstream: down,
		Figures:    Figures{FidelityDatasets: []string{"d1-netflix", "d3-google", "ww", "alexa"}},
	}
}

// CPUPreset is the largest setting a 2-core CPU finishes in about half an hour per dataset: the medium
// data variant (40 training and 10 test traces per class: enough to decide effects of about 15 points,
// see the package doc), 32x32 images, UNet32 (32 base channels, attention at 16x16, null class) with v
// prediction at learning rate 5e-4, 2000 steps of batch 32, CPUSampling (Heun on 9 Karras steps, 17
// network calls), PCA-32 features and the smoke classifiers.
func CPUPreset() Preset {
	p := SmokePreset()
	m := UNet32(0)
	m.Train.LearningRate = 5e-4
	m.Train.Prediction = Prediction
	p.Name, p.Net, p.Train = CPU, m.Net, Train{TrainConfig: m.Train, Steps: 2000, Keep: 2}
	p.Data.Variant = datasets.Medium
	p.Sample = CPUSampling()
	p.Measure = Measure{PCAComponents: 32, HistogramBins: 64}
	return p
}

// FullPreset is the paper artifact's setting: full data, UNet128 (128x128, learned sigma, no null
// class, cosine schedule over T = 1000) with v prediction in place of the artifact's eps (see
// Prediction), 30000 steps, DDIM-100 with eta 1 on trailing spacing (the
// artifact's 1000-step DDPM replaced for time; eta 1 keeps DDPM's stochasticity, which measured far
// better than deterministic DDIM at few steps) without guidance, PCA-64 features and
// protocols.FullConfig. It wants a GPU.
func FullPreset() Preset {
	m := UNet128(0)
	m.Train.Prediction = Prediction
	return Preset{
		Name:  Full,
		Data:  Data{Variant: datasets.Full, Seed: datasets.DefaultSeed, TrainFraction: 0.8},
		Net:   m.Net,
		Train: Train{TrainConfig: m.Train, Steps: 30000, Keep: 2},
		Sample: Sample{Sampler: diffusion.DDIM, Steps: 100, Spacing: diffusion.Trailing, Eta: 1, Clip: true,
			BatchSize: 64, Seed: datasets.DefaultSeed},
		Measure:    Measure{PCAComponents: 64, HistogramBins: 64},
		Downstream: protocols.FullConfig(),
		Figures: Figures{FidelityDatasets: []string{"d1-netflix", "d3-google", "ww", "alexa", "d1-youtube", "d1-stan",
			"d3-alexa", "d2"}},
	}
}

// Prediction is what every preset's U-Net predicts: v = sqrt(abar) eps - sqrt(1 - abar) x_0 rather
// than the paper's eps (diffusion.PredictV explains why). Measured on real vcfp-alexa (24 commands)
// with the cpu preset, DDPM-50 trailing (PCA-64 FID, floor 1.30): eps FID 29.4 with pixel mean/spread
// 0.565/0.228, v FID 0.54 with 0.662/0.106, against the real 0.663/0.109. Set Train.Prediction=eps
// for the artifact's parameterisation.
const Prediction = diffusion.PredictV

// SmokeSampling is the sampling of the smoke preset: DDPM-50 on trailing spacing with x0
// clipping and no guidance. It is the best per unit time of the samplers measured on real vcfp-alexa
// (24 commands) with one trained v-prediction model (PCA-64 FID, floor 1.30; synthetic-only random
// forest accuracy, original 0.125): DDPM-50 trailing FID 0.85 and 0.146; DDIM-50 (eta 0) 1.32 and
// 0.083; DDIM-50 trailing (eta 0) 0.88 but 0.031, its images too alike to train a classifier
// (discriminative score 0.27); DDIM-100 eta 1 trailing 0.96 and 0.115 at twice DDPM-50's denoiser
// calls. On the eps model before it, guidance 3 made DDPM-50 worse (FID 15.7 against 13.5).
//
// `netdiffus sample-sweep` compares it with DDPM-1000 and the few-step samplers (Heun on Karras steps,
// with and without churn, and DPM-Solver++(2M)) at 10, 18, 25 and 50 network calls. On a smoke model
// of the real Echo data (80 training and 20 test images, PCA-16 FID, floor 0.217) deterministic
// DPM-Solver++ at 10 and 18 calls and Heun at 17 reached FID 0.05 to 0.13 against DDPM-1000's 0.25
// (Heun at 9 calls 0.27; with churn up to 1.06), but every sampler of at most 20 calls a
// synthetic-only accuracy (mean of the five classifiers) of 0.15 to 0.22 against 0.32; the same
// sampler's accuracy moved by
// up to 0.15 with the sampling seed, so 20 test images do not separate the samplers. On a smoke model
// of D1-Netflix (floor 0.557) DPM-Solver++(2M) on Karras steps kept both columns at 10 and 18 calls
// (FID 0.18 and 0.22, accuracy 0.70 and 0.71) against DDPM-1000 (0.21, 0.68) and DDPM-50 (0.19,
// 0.69). On smoke models the sweep does not separate the samplers, so smoke keeps DDPM-50, on which the
// test command's checks were set; the cpu preset samples with CPUSampling.
func SmokeSampling() Sample {
	return Sample{Sampler: diffusion.DDPM, Steps: 50, Spacing: diffusion.Trailing, Clip: true, BatchSize: 64,
		Seed: datasets.DefaultSeed}
}

// CPUSampling is the cpu preset's sampling: deterministic Heun (Karras et al. 2022's second-order
// sampler) on 9 Karras steps, 17 network calls, with x0 clipping and no guidance. It was chosen by
// `netdiffus sample-sweep` on two cpu models, by three columns at once: FID against its floor,
// synthetic-only accuracy (mean of the five classifiers, on the real test images) and the near-copy
// share.
//
// On D1-Netflix (medium variant: 400 training and 100 test images, floor 1.77) it kept the most
// accuracy of all samplers: FID 1.29, synthetic-only accuracy 0.831 (original data 0.855), near copies
// 0.060, against DDPM-1000's 1.94, 0.789 and 0.087 and DDPM-50 trailing's 2.13, 0.794 and 0.072.
// With churn 10 its FID fell to 0.91 but the accuracy to 0.763; DPM-Solver++(2M) on Karras steps came
// close at 10 calls (1.30 and 0.820) and fell behind at 18 (1.74, 0.815); Heun at 9 calls lost
// accuracy (0.765, with churn 0.664); at 25 and 50 calls no sampler beat it on either column.
//
// On the real Echo data (80 training and 20 test images, floor 1.88) the samplers do not separate
// (accuracy 0.19 to 0.29 against 0.225 on the original images, with 2 test images a class): Heun-9 gave
// FID 1.19 and accuracy 0.275, DDPM-1000 0.47 and 0.240, DDPM-50 0.64 and 0.200, Heun-9 with churn 10
// 0.51 and 0.290. Every FID there is below the real-vs-real floor.
func CPUSampling() Sample {
	return Sample{Sampler: diffusion.Heun, Steps: 9, Spacing: diffusion.Karras, Clip: true, BatchSize: 64,
		Seed: datasets.DefaultSeed}
}

// Canonical returns the preset name for name, accepting "quick" as an alias of smoke; "" is smoke.
func Canonical(name string) (string, error) {
	switch n := strings.ToLower(strings.TrimSpace(name)); n {
	case "", Smoke, "quick":
		return Smoke, nil
	case CPU, Full:
		return n, nil
	}
	return "", fmt.Errorf("preset %q: use smoke (alias quick), cpu or full", name)
}

// Named returns the named preset (smoke, cpu or full; quick is smoke).
func Named(name string) (Preset, error) {
	n, err := Canonical(name)
	if err != nil {
		return Preset{}, err
	}
	switch n {
	case CPU:
		return CPUPreset(), nil
	case Full:
		return FullPreset(), nil
	}
	return SmokePreset(), nil
}

// FromEnv returns the preset named by $NETDIFFUS_MODE (smoke when unset).
func FromEnv() (Preset, error) {
	p, err := Named(os.Getenv("NETDIFFUS_MODE"))
	if err != nil {
		return Preset{}, fmt.Errorf("NETDIFFUS_MODE: %w", err)
	}
	return p, nil
}

// Model returns the U-Net configuration of the preset for a dataset of numClasses classes.
func (p Preset) Model(numClasses int) unet.Config {
	net := p.Net
	net.NumClasses = numClasses
	net.ChannelMult = append([]int(nil), net.ChannelMult...)
	net.AttentionResolutions = append([]int(nil), net.AttentionResolutions...)
	if len(net.AttentionResolutions) == 0 {
		net.AttentionResolutions = nil
	}
	return unet.Config{Name: p.Name, Net: net, Train: p.Train.TrainConfig}
}

// Validate checks the settings that would otherwise fail late (after training).
func (p Preset) Validate() error {
	if err := finiteFields(reflect.ValueOf(p), ""); err != nil {
		return fmt.Errorf("preset %s: %w", p.Name, err)
	}
	if err := p.checkRanges(); err != nil {
		return fmt.Errorf("preset %s: %w", p.Name, err)
	}
	if _, _, err := p.Measure.FeatureKind(); err != nil {
		return fmt.Errorf("preset %s: %w", p.Name, err)
	}
	switch {
	case p.Train.Steps < 1:
		return fmt.Errorf("preset %s: Train.Steps is %d; want >= 1", p.Name, p.Train.Steps)
	case p.Train.BatchSize < 1:
		return fmt.Errorf("preset %s: Train.BatchSize is %d; want >= 1", p.Name, p.Train.BatchSize)
	case p.Train.Devices < 0:
		return fmt.Errorf("preset %s: Train.Devices is %d; want 0 (all local devices) or a count", p.Name, p.Train.Devices)
	case p.Train.DiffusionSteps < 1:
		return fmt.Errorf("preset %s: Train.DiffusionSteps is %d; want >= 1", p.Name, p.Train.DiffusionSteps)
	case p.Sample.Steps < 0 || p.Sample.Steps > p.Train.DiffusionSteps:
		return fmt.Errorf("preset %s: Sample.Steps is %d; want 0..Train.DiffusionSteps (%d)", p.Name, p.Sample.Steps, p.Train.DiffusionSteps)
	case p.Sample.Sampler == "" || p.Sample.Sampler.Check() != nil:
		return fmt.Errorf("preset %s: Sample.Sampler %q: use ddpm, ddim, heun or dpmpp2m", p.Name, p.Sample.Sampler)
	case p.Sample.Spacing.Check() != nil:
		return fmt.Errorf("preset %s: Sample.Spacing %q: use leading, trailing, linspace or karras", p.Name, p.Sample.Spacing)
	case p.Sample.Sampler == diffusion.Heun && p.Sample.Spacing != "" && p.Sample.Spacing != diffusion.Karras:
		return fmt.Errorf("preset %s: Sample.Sampler heun takes Karras steps only: set Sample.Spacing=karras (Sample.Spacing is %q)", p.Name, p.Sample.Spacing)
	case math.IsNaN(p.Sample.Churn) || math.IsInf(p.Sample.Churn, 0) || p.Sample.Churn < 0:
		return fmt.Errorf("preset %s: Sample.Churn is %g; want a finite number >= 0", p.Name, p.Sample.Churn)
	case p.Sample.Churn > 0 && p.Sample.Sampler != diffusion.Heun:
		return fmt.Errorf("preset %s: Sample.Churn %g applies to Sample.Sampler=heun only (it is %s): set Sample.Churn=0", p.Name, p.Sample.Churn, p.Sample.Sampler)
	case p.Sample.Eta < 0:
		return fmt.Errorf("preset %s: Sample.Eta is %g; want >= 0 (0 deterministic DDIM, 1 DDPM's variance)", p.Name, p.Sample.Eta)
	case p.Data.TrainFraction <= 0 || p.Data.TrainFraction >= 1:
		return fmt.Errorf("preset %s: Data.TrainFraction is %g; want a fraction in (0, 1)", p.Name, p.Data.TrainFraction)
	case p.Sample.Guidance > 1 && !p.Net.NullClass:
		return fmt.Errorf("preset %s: Sample.Guidance %g needs a model with a null class: set Net.NullClass=true (and Train.LabelDropout > 0) or Sample.Guidance=0", p.Name, p.Sample.Guidance)
	}
	if _, err := datasets.ParseVariant(string(p.Data.Variant)); err != nil {
		return fmt.Errorf("preset %s: Data.Variant: %w", p.Name, err)
	}
	if err := p.Model(max(p.Net.NumClasses, 2)).Validate(); err != nil { // classes come from the data
		return fmt.Errorf("preset %s: %w", p.Name, err)
	}
	return nil
}

// SetNetOptimizer sets Downstream.NetOptimizer by name: default (momentum SGD for cnn8, Adam
// otherwise), adam or sgd-momentum.
func (p *Preset) SetNetOptimizer(name string) error {
	opt, err := nn.ParseOptimizer(name)
	if err != nil {
		return err
	}
	p.Downstream.NetOptimizer = opt
	return nil
}

// Field limits that bound what a preset may make a run allocate (see checkRanges).
const (
	MaxPerClass      = 1_000_000 // Sample.PerClass
	MaxSampleBatch   = 4096      // Sample.BatchSize
	MaxSeeds         = 1000      // Downstream.Seeds and EnsembleSeeds
	MaxEpochs        = 100_000   // Downstream.Epochs and MLPEpochs
	MaxHistogramBins = 1 << 20   // Measure.HistogramBins
)

// checkRanges checks the fields Model().Validate does not: counts that must not be negative, sizes bounded
// before they allocate, and the classifier names.
func (p Preset) checkRanges() error {
	d := p.Downstream
	if err := valid.First(
		valid.Int("Net.NumClasses", int64(p.Net.NumClasses), 0, unet.MaxClasses),
		valid.Int("Train.CheckpointEvery", int64(p.Train.CheckpointEvery), 0, math.MaxInt32),
		valid.Int("Train.Keep", int64(p.Train.Keep), 0, math.MaxInt32),
		valid.Int("Train.ReportEvery", int64(p.Train.ReportEvery), 0, math.MaxInt32),
		valid.Float("Sample.Guidance", p.Sample.Guidance, 0, 100),
		valid.Float("Sample.Eta", p.Sample.Eta, 0, 10),
		valid.Int("Sample.PerClass", int64(p.Sample.PerClass), 0, MaxPerClass),
		valid.Int("Sample.BatchSize", int64(p.Sample.BatchSize), 0, MaxSampleBatch),
		valid.Int("Measure.PCAComponents", int64(p.Measure.PCAComponents), 1, 1<<16),
		valid.Int("Measure.FIDPerClass", int64(p.Measure.FIDPerClass), 0, MaxPerClass),
		valid.Int("Measure.HistogramBins", int64(p.Measure.HistogramBins), 1, MaxHistogramBins),
		valid.Int("Downstream.Seeds (count)", int64(len(d.Seeds)), 1, MaxSeeds),
		valid.Int("Downstream.EnsembleSeeds (count)", int64(len(d.EnsembleSeeds)), 0, MaxSeeds),
		valid.Int("Downstream.Epochs", int64(d.Epochs), 0, MaxEpochs),
		valid.Int("Downstream.MLPEpochs", int64(d.MLPEpochs), 0, MaxEpochs),
		valid.Int("Downstream.BatchSize", int64(d.BatchSize), 0, MaxSampleBatch),
		valid.Int("Downstream.TracesPerClass", int64(d.TracesPerClass), 0, MaxPerClass),
	); err != nil {
		return err
	}
	for _, name := range d.Classifiers {
		if err := valid.Enum("Downstream.Classifiers item", protocols.Canonical(name), protocols.Names()...); err != nil {
			return err
		}
	}
	if d.CNN != "" {
		return valid.Enum("Downstream.CNN", protocols.Canonical(d.CNN), protocols.CNN8, protocols.CNN2)
	}
	return nil
}

// finiteFields refuses a NaN or infinite float anywhere in v, naming its field path.
func finiteFields(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("%s is %g; want a finite number", path, f)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			name := f.Name
			if f.Anonymous {
				name = ""
			}
			if err := finiteFields(v.Field(i), joinPath(path, name)); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := finiteFields(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func joinPath(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "." + b
}

// Guided reports whether sampling uses classifier-free guidance under the package's one rule: a scale
// above 1 and a model with a null class.
func Guided(scale float64, net unet.NetConfig) bool { return scale > 1 && net.NullClass }
