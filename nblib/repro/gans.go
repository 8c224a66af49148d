package repro

import (
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"time"

	"github.com/gomlx/compute"
	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/baselines"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/privacy"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/eval/stats"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// GANSpec is one comparison of Fig. 2(b)/(c): a dataset (and group) against one GAN baseline.
type GANSpec struct {
	Dataset, Group string
	GAN            string // "doppelganger" or "netshare" (baselines.Preset)
}

// Name is e.g. "ww-doppelganger" or "d3-google-netshare".
func (s GANSpec) Name() string { return s.data() + "-" + s.GAN }

// data is the dataset's name as the experiments write it, e.g. "d3-google".
func (s GANSpec) data() string {
	if s.Group == "" {
		return s.Dataset
	}
	return s.Dataset + "-" + s.Group
}

// Fig. 2(b) is NetDiffus against the DoppelGANger-style GAN on WW; Fig. 2(c) against the
// NetShare-style GAN on D3-Google and D3-Alexa (Section 5.1).
var (
	Fig2bSpecs = []GANSpec{{Dataset: "ww", GAN: "doppelganger"}}
	Fig2cSpecs = []GANSpec{{Dataset: "d3", Group: "google", GAN: "netshare"}, {Dataset: "d3", Group: "alexa", GAN: "netshare"}}
)

// GANConfig is Fig. 2(b) or 2(c) under a preset: NetDiffus's standard experiment of each dataset and the
// GAN of the preset's size trained on the same training traces, both measured by pipeline.Measure.
type GANConfig struct {
	Figure string // "fig2b" or "fig2c"
	Preset preset.Preset
	Specs  []GANSpec
	GANs   []baselines.Config // one per spec: baselines.Preset(spec.GAN, Preset.Name)
}

// Fig2bFor and Fig2cFor are the two figures' configurations: every preset runs the paper's
// comparisons, with the GAN sized by the preset's name (baselines.Preset).
func Fig2bFor(p preset.Preset) GANConfig { return ganConfig("fig2b", p, Fig2bSpecs) }

// Fig2cFor: see Fig2bFor.
func Fig2cFor(p preset.Preset) GANConfig { return ganConfig("fig2c", p, Fig2cSpecs) }

// ganConfig sizes each spec's GAN for p. A preset without a GAN size (one made with -set, or unknown
// to baselines) leaves GANs short, and the run says so.
func ganConfig(figure string, p preset.Preset, specs []GANSpec) GANConfig {
	c := GANConfig{Figure: figure, Preset: p, Specs: specs}
	for _, s := range specs {
		g, err := preset.GAN(s.GAN, p.Name)
		if err != nil {
			return c
		}
		c.GANs = append(c.GANs, g)
	}
	return c
}

// GANResult is Fig. 2(b) or 2(c): one row per comparison, in the configuration's order.
type GANResult struct {
	Figure string
	Rows   []GANRow
}

// GANRow is one comparison: both generators measured alike on the same real training and test images.
type GANRow struct {
	Spec      GANSpec
	Title     string // "WW", "D3-Google"
	Classes   []string
	NetDiffus GANSide
	GAN       GANSide
	// Diversity is the GAN's mean pairwise distance of its series over the real one's, per class
	// averaged (baselines.Diversity: 1 the real spread, 0 collapse).
	Diversity float64
	// ClassFIDGap is the GAN's mean per-class FID minus NetDiffus's, with its paired bootstrap interval
	// (pipeline.ClassFIDDifference): above 0, NetDiffus's images are closer to the training images.
	ClassFIDGap stats.Interval
}

// GANSide is what one generator scored on one comparison: the fidelity and audit of pipeline.Measure
// and the classifiers trained on its synthetic images, tested on the real test images.
type GANSide struct {
	Generator string // "NetDiffus", "doppelganger-cpu", ...
	ClassFID  []float64
	// ClassFIDMean is the mean per-class FID on all rows; ClassFIDMatchedMean and ClassFIDFloorMean
	// the size-matched per-class FID and its real floor (pipeline.Measures).
	ClassFIDMean, ClassFIDMatchedMean, ClassFIDFloorMean float64
	// FIDExcess is the size-matched FID of all images (not per class) minus its real floor, with its
	// bootstrap interval.
	FIDExcess stats.Interval
	// Classifiers are, per classifier, the accuracy trained on the real training images (Original) and
	// on this generator's images (Synth), in percent, with per-test-trace outcomes.
	Classifiers []GANClassifier
	// Audit is the memorization audit's one-line summary on the images (privacy.Report.Summary), or
	// why there is none; Flagged is whether any of its audits (images, decoded traces, full-length
	// traces) flagged the generator.
	Audit   string
	Flagged bool
}

// GANClassifier is one classifier's accuracy in the original and synth scenarios.
type GANClassifier struct {
	Classifier      string
	Original, Synth Acc
}

// SynthMean is the mean synth-scenario accuracy over the classifiers, in percent (NaN without any).
func (s GANSide) SynthMean() float64 {
	if len(s.Classifiers) == 0 {
		return math.NaN()
	}
	var sum float64
	for _, c := range s.Classifiers {
		sum += c.Synth.Mean
	}
	return sum / float64(len(s.Classifiers))
}

// ganSide keeps what the figure needs of one generator's measures.
func ganSide(generator string, m *pipeline.Measures) GANSide {
	s := GANSide{Generator: generator, ClassFID: m.ClassFID, ClassFIDMean: m.ClassFIDMean,
		ClassFIDMatchedMean: m.ClassFIDMatchedMean, ClassFIDFloorMean: m.ClassFIDFloorMean, FIDExcess: m.FIDExcess, Audit: m.AuditNote}
	if m.Audit != nil {
		s.Audit = m.Audit.Summary()
	}
	for _, r := range []*privacy.Report{m.Audit, m.TraceAudit, m.FullTraceAudit} {
		s.Flagged = s.Flagged || (r != nil && r.Flagged)
	}
	at := map[string]int{} // classifier -> index in s.Classifiers
	for _, sc := range m.Accuracy {
		i, ok := at[sc.Classifier]
		if !ok {
			i, at[sc.Classifier] = len(s.Classifiers), len(s.Classifiers)
			s.Classifiers = append(s.Classifiers, GANClassifier{Classifier: sc.Classifier})
		}
		c := &s.Classifiers[i]
		a := Acc{Mean: 100 * sc.AccMean, Std: 100 * sc.AccStd, TrainRows: sc.TrainRows, Items: sc.Items}
		switch protocols.Scenario(sc.Scenario) {
		case protocols.Original:
			c.Original = a
		case protocols.Synthetic:
			c.Synth = a
		}
	}
	return s
}

// GANFigure runs (or loads) Fig. 2(b) or 2(c): per comparison NetDiffus's standard experiment (cached,
// shared with the other figures) and the GAN (cached; force recomputes both results, reusing trained
// models).
func GANFigure(c GANConfig, force bool, log io.Writer) (*GANResult, error) {
	if log == nil {
		log = io.Discard
	}
	if len(c.GANs) != len(c.Specs) {
		return nil, fmt.Errorf("%s: no GAN size for preset %q (baselines.Preset knows smoke, cpu and full)", c.Figure, c.Preset.Name)
	}
	out := &GANResult{Figure: c.Figure}
	for i, s := range c.Specs {
		nd, err := RunExperiment(ExperimentFor(c.Preset, s.Dataset, s.Group), force, log)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", c.Figure, s.Name(), err)
		}
		gan, err := runGAN(c.Preset, s, c.GANs[i], force, log)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", c.Figure, s.Name(), err)
		}
		gap, err := ganFIDGap(c.Preset, s, gan, log)
		if err != nil {
			return nil, fmt.Errorf("%s %s: per-class FID comparison: %w", c.Figure, s.Name(), err)
		}
		out.Rows = append(out.Rows, GANRow{Spec: s, Title: paperName(s.data()), Classes: nd.Classes,
			NetDiffus: ganSide("NetDiffus", &nd.Measures), GAN: ganSide(c.GANs[i].Name, &gan.Measures), Diversity: gan.Diversity.Mean,
			ClassFIDGap: gap})
	}
	return out, nil
}

// ganKey is what determines a GAN's measured result (its cache key): the data and split, the GAN, and
// the settings pipeline.Measure reads (image shape, measures, classifiers, the decoder's seed).
type ganKey struct {
	Spec       GANSpec
	Data       preset.Data
	Net        unet.NetConfig
	Measure    preset.Measure
	Downstream protocols.Config
	PerClass   int
	SampleSeed uint64
	GAN        baselines.Config
}

// GANMeasured is a GAN's cached result: its samples measured as diffusion samples are.
type GANMeasured struct {
	GAN          string
	TrainSeries  int
	GenSeries    int
	TrainSeconds float64 // this call's training (a resumed model: the steps left only) and sampling
	Diversity    baselines.DiversityResult
	// Pix and Y are the GAN's synthetic images (8-bit, Size x Size each) and labels, for the paired
	// per-class FID comparison with NetDiffus's images (ganFIDGap).
	Size int
	Pix  [][]byte
	Y    []int
	pipeline.Measures
}

// runGAN trains (or resumes) the GAN of spec on the experiment's training traces and measures its
// samples, cached under ResultsDir().
func runGAN(p preset.Preset, s GANSpec, gan baselines.Config, force bool, log io.Writer) (*GANMeasured, error) {
	e := ganEntry(p, s, gan)
	return Cached(e.name, e.config, force, func() (*GANMeasured, error) {
		b, choice, err := backend.Shared()
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(log, choice)
		return trainAndMeasureGAN(context.Background(), b, p, s, gan, ganModelDir(p, s, gan), log)
	})
}

// ganEntry is runGAN's cache entry: the GAN's measured result.
func ganEntry(p preset.Preset, s GANSpec, gan baselines.Config) cacheEntry {
	return cacheEntry{"baseline-" + s.Name(), ganKey{Spec: s, Data: p.Data, Net: p.Net, Measure: p.Measure, Downstream: p.Downstream,
		PerClass: p.Sample.PerClass, SampleSeed: p.Sample.Seed, GAN: gan}}
}

// ganModelDir is where the GAN of spec keeps its checkpoints: under ResultsDir()/models, one folder per
// comparison, GAN configuration and data (variant, seed and split: what ganTrainingTraces reads), as
// the diffusion models have, so that a preset on other data trains afresh instead of meeting a
// checkpoint of other traces.
func ganModelDir(p preset.Preset, s GANSpec, gan baselines.Config) string {
	d, _ := digest(struct {
		Spec GANSpec
		Data preset.Data
		GAN  baselines.Config
	}{s, p.Data, gan})
	return filepath.Join(ResultsDir(), "models", "baseline-"+s.Name()+"-"+gan.Name+"-"+d)
}

// ganPlan lists a GAN figure's models: per comparison NetDiffus's standard model and the GAN (trained
// and measured, so that the item afterwards only loads both).
func ganPlan(c GANConfig) ([]ModelJob, error) {
	if len(c.GANs) != len(c.Specs) {
		return nil, fmt.Errorf("no GAN size for preset %q (baselines.Preset knows smoke, cpu and full)", c.Preset.Name)
	}
	var jobs []ModelJob
	for i, s := range c.Specs {
		gan := c.GANs[i]
		jobs = append(jobs, standardJob(c.Preset, s.data()), ModelJob{Key: filepath.Base(ganModelDir(c.Preset, s, gan)),
			What: fmt.Sprintf("%s, the %s GAN (%d steps), trained and measured", paperName(s.data()), gan.Name, gan.Steps),
			run: func(log io.Writer) error {
				_, err := runGAN(c.Preset, s, gan, false, log)
				return err
			}, cache: ganEntry(c.Preset, s, gan)})
	}
	return jobs, nil
}

func init() {
	registerPlan("fig2b", func(p preset.Preset) ([]ModelJob, error) { return ganPlan(Fig2bFor(p)) })
	registerPlan("fig2c", func(p preset.Preset) ([]ModelJob, error) { return ganPlan(Fig2cFor(p)) })
}

// trainAndMeasureGAN loads the spec's data as the NetDiffus experiment does, trains the GAN on the
// training traces (checkpoints in dir), samples as many series per class as pipeline.Sample draws
// images, images them with the pipeline's GASF and measures them with pipeline.Measure.
func trainAndMeasureGAN(ctx context.Context, b compute.Backend, p preset.Preset, s GANSpec, gan baselines.Config, dir string, log io.Writer) (*GANMeasured, error) {
	data, err := pipeline.LoadDefault(p, s.Dataset, s.Group)
	if err != nil {
		return nil, err
	}
	train, err := ganTrainingTraces(p, s, data)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	tr, _, err := baselines.Train(ctx, b, gan, train, dir, log)
	if err != nil {
		return nil, err
	}
	counts := train.CountPerClass()
	if p.Sample.PerClass > 0 {
		for c := range counts {
			counts[c] = p.Sample.PerClass
		}
	}
	gen, err := tr.Sample(counts, p.Data.Seed, s.Name())
	if err != nil {
		return nil, err
	}
	out := &GANMeasured{GAN: gan.Name, TrainSeries: len(train.Traces), GenSeries: len(gen.Traces), TrainSeconds: time.Since(start).Seconds()}
	series, y, images, err := generatedImages(p, data, gen)
	if err != nil {
		return nil, err
	}
	m, div, err := measureImages(b, p, data, series, y, images)
	if err != nil {
		return nil, err
	}
	out.Measures, out.Diversity, out.Size, out.Y = *m, div, data.Size(), y
	for i := range y {
		out.Pix = append(out.Pix, pixels.ModelToBytes(images.Example(i)))
	}
	return out, nil
}

// ganTrainingTraces are the traces the NetDiffus experiment of s trains on (the same split of the
// same dataset), checked against data's training images.
func ganTrainingTraces(p preset.Preset, s GANSpec, data *pipeline.Data) (*traffic.Dataset, error) {
	ds, err := datasets.Load(s.Dataset, p.Data.Variant, p.Data.Seed)
	if err != nil {
		return nil, err
	}
	if s.Group != "" {
		if ds = ds.Filter(s.Group); len(ds.Traces) == 0 {
			return nil, fmt.Errorf("dataset %s has no group %q", s.Dataset, s.Group)
		}
	}
	train, _ := baselines.SplitReal(ds, p.Data.TrainFraction, p.Data.Seed)
	if len(train.Traces) != data.Train.Batch() {
		return nil, fmt.Errorf("the GAN's %d training traces differ from the experiment's %d training images: the two splits disagree", len(train.Traces), data.Train.Batch())
	}
	return train, nil
}

// MeasureSeries measures generated traces (any generator's, in real units) against data as the
// pipeline measures diffusion samples: their feature series (data.Feature) are imaged with the
// pipeline's GASF at the preset's size and passed to pipeline.Measure, so floors, FID intervals, the
// audit and the classifiers apply alike. It also returns their diversity against the real training
// series (baselines.Diversity).
func MeasureSeries(b compute.Backend, p preset.Preset, data *pipeline.Data, gen *traffic.Dataset) (*pipeline.Measures, baselines.DiversityResult, error) {
	series, y, images, err := generatedImages(p, data, gen)
	if err != nil {
		return nil, baselines.DiversityResult{}, err
	}
	return measureImages(b, p, data, series, y, images)
}

// generatedImages are the feature series of generated traces (data.Feature), their labels and their
// images in the model range, made as the pipeline makes the real ones (pipeline.Shape).
func generatedImages(p preset.Preset, data *pipeline.Data, gen *traffic.Dataset) ([][]float64, []int, diffusion.Array, error) {
	if len(gen.Classes) != len(data.Classes) {
		return nil, nil, diffusion.Array{}, fmt.Errorf("generated traces: %d classes, the real data %d", len(gen.Classes), len(data.Classes))
	}
	series, err := gen.Series(data.Feature)
	if err != nil {
		return nil, nil, diffusion.Array{}, fmt.Errorf("generated traces: %w", err)
	}
	images, err := pipeline.Shape(series, p.Net)
	if err != nil {
		return nil, nil, diffusion.Array{}, fmt.Errorf("generated traces: %w", err)
	}
	return series, gen.Labels(), images, nil
}

// measureImages is pipeline.Measure of generated images, with the diversity of their series.
func measureImages(b compute.Backend, p preset.Preset, data *pipeline.Data, series [][]float64, y []int, images diffusion.Array) (*pipeline.Measures, baselines.DiversityResult, error) {
	m, err := pipeline.Measure(b, p, data, images, y)
	if err != nil {
		return nil, baselines.DiversityResult{}, err
	}
	div, err := baselines.Diversity(baselines.Series{Series: data.TrainSeries, Y: data.TrainY}, baselines.Series{Series: series, Y: y}, len(data.Classes))
	if err != nil {
		return nil, baselines.DiversityResult{}, err
	}
	return m, div, nil
}

// ganFIDGap is the paired interval of the GAN's mean per-class FID minus NetDiffus's
// (pipeline.ClassFIDDifference) on the principal components of the real training images, as Measure
// takes them: NetDiffus's side is the synthetic images of its standard model (Synthetic, cached), the
// GAN's those it was measured on.
func ganFIDGap(p preset.Preset, s GANSpec, gan *GANMeasured, log io.Writer) (stats.Interval, error) {
	if len(gan.Pix) == 0 {
		return stats.Interval{}, fmt.Errorf("the cached GAN result holds no images (made before they were kept): recompute it with force")
	}
	data, err := pipeline.LoadDefault(p, s.Dataset, s.Group)
	if err != nil {
		return stats.Interval{}, err
	}
	nd, err := Synthetic(ExperimentFor(p, s.Dataset, s.Group), false, log)
	if err != nil {
		return stats.Interval{}, err
	}
	real, err := pipeline.Images("real training images", data.Train)
	if err != nil {
		return stats.Interval{}, err
	}
	ndImages, err := nd.Images()
	if err != nil {
		return stats.Interval{}, err
	}
	ganImages, err := (&SynthImages{Name: gan.GAN, Size: gan.Size, Pix: gan.Pix, Y: gan.Y}).Images()
	if err != nil {
		return stats.Interval{}, err
	}
	pca, err := features.FitPCA(real, min(p.Measure.PCAComponents, real.Len()-1))
	if err != nil {
		return stats.Interval{}, err
	}
	var fr, fn, fg *mat.Dense
	for _, x := range []struct {
		dst **mat.Dense
		im  features.Images
	}{{&fr, real}, {&fn, ndImages.Images}, {&fg, ganImages.Images}} {
		if *x.dst, err = pca.Extract(x.im); err != nil {
			return stats.Interval{}, err
		}
	}
	return pipeline.ClassFIDDifference(fr, data.TrainY, fn, ndImages.Y, fg, ganImages.Y, len(data.Classes), p.Data.Seed), nil
}
