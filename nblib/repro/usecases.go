package repro

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// SynthImages are the synthetic 8-bit images one experiment's model draws, kept so that every use-case
// figure on the same data reuses them instead of sampling (or training) again.
type SynthImages struct {
	Name       string
	Classes    []string
	Size       int
	TrainSteps int64
	Pix        [][]byte // Size x Size each, row-major
	Y          []int
}

// synthKey is what determines the synthetic images: the model (ExperimentConfig.modelKey's fields),
// how long it trained and how it is sampled; not the classifiers.
func synthKey(c ExperimentConfig) any {
	return struct {
		Dataset, Group string
		Data           preset.Data
		Model          any
		Steps          int64
		Sample         preset.Sample
	}{c.Dataset, c.Group, c.Preset.Data, c.Preset.Model(0), c.Preset.Train.Steps, c.Preset.Sample}
}

// Synthetic returns the synthetic images of the experiment's model (cached): it trains or resumes the
// model in cfg.ModelDir(), the folder RunExperiment uses, so a model the standard experiment trained is
// reused, then samples it with cfg.Preset.Sample.
func Synthetic(cfg ExperimentConfig, force bool, log io.Writer) (*SynthImages, error) {
	if log == nil {
		log = io.Discard
	}
	e := synthEntry(cfg)
	return Cached(e.name, e.config, force, func() (*SynthImages, error) {
		b, _, err := backend.Shared()
		if err != nil {
			return nil, err
		}
		return synthesise(context.Background(), b, cfg, log)
	})
}

// synthEntry is Synthetic's cache entry.
func synthEntry(cfg ExperimentConfig) cacheEntry {
	return cacheEntry{"synth-" + cfg.Name(), synthKey(cfg)}
}

// sampleLike draws the preset's synthetic set for d from m (p.Sample.PerClass per class, or as many as
// each class has training images) and writes the sampling warning, if any, to log.
func sampleLike(ctx context.Context, m *pipeline.Model, p preset.Preset, d *pipeline.Data, log io.Writer) (diffusion.Array, []int, error) {
	x, y, warning, err := pipeline.SampleWithWarning(ctx, m, p.Sample, pipeline.SampleCounts(p.Sample.PerClass, d.TrainY, len(d.Classes)), nil)
	if warning != "" {
		fmt.Fprintf(log, "%s: %s\n", d.Name, warning)
	}
	return x, y, err
}

func synthesise(ctx context.Context, b compute.Backend, cfg ExperimentConfig, log io.Writer) (*SynthImages, error) {
	p := cfg.Preset
	d, err := pipeline.LoadDefault(p, cfg.Dataset, cfg.Group)
	if err != nil {
		return nil, err
	}
	m, err := pipeline.Train(ctx, b, p, cfg.ModelDir(), d.Train, d.TrainY,
		pipeline.ModelInfo{Data: d.Name, Classes: d.Classes, Ranges: d.Ranges}, pipeline.TrainOptions{Log: log})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Name(), err)
	}
	x, y, err := sampleLike(ctx, m, p, d, log)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", cfg.Name(), err)
	}
	out := &SynthImages{Name: d.Name, Classes: d.Classes, Size: d.Size(), TrainSteps: m.Trainer.Steps(), Y: y}
	for i := range y {
		out.Pix = append(out.Pix, pixels.ModelToBytes(x.Example(i)))
	}
	fmt.Fprintf(log, "%s: %d synthetic images from a model of %d steps\n", d.Name, len(y), out.TrainSteps)
	return out, nil
}

// Images returns the synthetic images with pixels in [0, 1].
func (s *SynthImages) Images() (protocols.LabelledImages, error) {
	rows := make([][]float64, len(s.Pix))
	for i, px := range s.Pix {
		if len(px) != s.Size*s.Size {
			return protocols.LabelledImages{}, fmt.Errorf("synthetic images of %s: image %d has %d pixels, want %d (delete the cached synth file)", s.Name, i, len(px), s.Size*s.Size)
		}
		rows[i] = make([]float64, len(px))
		for j, v := range px {
			rows[i][j] = pixels.ByteToUnit(v)
		}
	}
	im, err := features.NewImages("synthetic images of "+s.Name, s.Size, s.Size, 1, rows)
	return protocols.LabelledImages{Images: im, Y: s.Y}, err
}

// ImageSet is one dataset of a use case: its real training and test images and the synthetic images of
// its model, pixels in [0, 1].
type ImageSet struct {
	Name               string // "d1-netflix"
	Dataset, Group     string
	Classes            []string
	Train, Test, Synth protocols.LabelledImages
}

// splitName turns "d1-netflix" into ("d1", "netflix").
func splitName(name string) (dataset, group string) {
	d, g, _ := strings.Cut(strings.ToLower(strings.TrimSpace(name)), "-")
	return d, g
}

// LoadImageSet loads the real images of a dataset ("d1-netflix", "d2") and the synthetic images of its
// experiment model under p (training it when no cached run has).
func LoadImageSet(p preset.Preset, name string, force bool, log io.Writer) (*ImageSet, error) {
	ds, g := splitName(name)
	d, err := pipeline.LoadDefault(p, ds, g)
	if err != nil {
		return nil, err
	}
	syn, err := Synthetic(ExperimentFor(p, ds, g), force, log)
	if err != nil {
		return nil, err
	}
	set := &ImageSet{Name: d.Name, Dataset: ds, Group: g, Classes: d.Classes}
	if set.Synth, err = syn.Images(); err != nil {
		return nil, err
	}
	train, err := pipeline.Images("real training images of "+d.Name, d.Train)
	if err != nil {
		return nil, err
	}
	test, err := pipeline.Images("real test images of "+d.Name, d.Test)
	if err != nil {
		return nil, err
	}
	set.Train = protocols.LabelledImages{Images: train, Y: d.TrainY}
	set.Test = protocols.LabelledImages{Images: test, Y: d.TestY}
	return set, features.CheckCompatible(set.Train.Images, set.Synth.Images, "real", "synthetic")
}

// Acc is a seed-averaged accuracy, in percent as the paper reports it.
type Acc struct {
	Mean, Std float64 // percent
	TrainRows int
	// Items is, per real test trace in test order, the share of seeds that classified it correctly:
	// what the verdicts' paired intervals resample (empty in results made before they did).
	Items []float64 `json:",omitempty"`
}

func accOf(r protocols.Result) Acc {
	return Acc{Mean: 100 * r.AccMean, Std: 100 * r.AccStd, TrainRows: r.TrainRows, Items: r.ItemCorrect}
}

// String prints "92.5 ± 1.2".
func (a Acc) String() string { return fmt.Sprintf("%.1f ± %.1f", a.Mean, a.Std) }

// ScenarioAcc is the accuracy of the paper's three training sets, tested on held-out real data.
type ScenarioAcc struct {
	Original, Synth, OriSynth Acc
}

// scenarioAcc trains newC on original, synth and both and tests on test.
func scenarioAcc(newC classify.Factory, original, synth, test protocols.Dataset, seeds []uint64) (ScenarioAcc, error) {
	res, err := protocols.Scenarios(newC, original, synth, test, seeds)
	if err != nil {
		return ScenarioAcc{}, err
	}
	return ScenarioAcc{Original: accOf(res[protocols.Original]), Synth: accOf(res[protocols.Synthetic]),
		OriSynth: accOf(res[protocols.OriginalSynth])}, nil
}

// Classifier names one downstream classifier with its preset sizes.
type Classifier struct {
	Name  string           // a protocols classifier name: cnn2, cnn8, mlp, rf, gbt, nb
	Sizes protocols.Config // sizes, epochs and seeds (the preset's Downstream)
}

// factory returns the classifier for inputs of shape on the shared backend (opened only for networks).
func (c Classifier) factory(shape protocols.InputShape) (classify.Factory, error) {
	var b compute.Backend
	switch protocols.Canonical(c.Name) {
	case protocols.CNN8, protocols.CNN2, protocols.MLP:
		var err error
		if b, _, err = backend.Shared(); err != nil {
			return nil, err
		}
	}
	return c.Sizes.Factory(c.Name, b, shape)
}

// paperPercent formats a paper value ("" when the paper has none).
func paperPercent(v float64, ok bool) string {
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.1f", v)
}

// jsonEqual reports whether two values marshal to the same JSON.
func jsonEqual(a, b any) (bool, error) {
	ja, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	jb, err := json.Marshal(b)
	if err != nil {
		return false, err
	}
	return string(ja) == string(jb), nil
}
