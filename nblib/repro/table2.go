package repro

import (
	"context"
	"fmt"
	"io"

	"github.com/netdiffus/netdiffus/nblib/eval/stats"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/plots"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Table2Config is Table 2, 1-D against 2-D diffusion: a 1-D U-Net (preset.UNet1D's design) trained on
// the min-max scaled series of each dataset, its samples turned into GASF images of the 2-D model's
// side, against the 2-D model's images (the standard experiment's, reused): per-class FID on the real
// training images' principal components, and a classifier trained on original, synth and ori+synth
// (protocols.DiffusionDims).
type Table2Config struct {
	Preset     preset.Preset
	Classifier string
	Datasets   []string
	Net1D      unet.NetConfig // the 1-D model; NumClasses comes from the data
	Steps1D    int64          // training steps of the 1-D model
}

// Table2For is Table 2's configuration under a preset: the 1-D model has the 2-D model's channels
// and UNet1D's four levels without attention, on series area-resized to 64 (smoke), 128 (cpu) or 720
// (full, D1's 180 s at 0.25 s) values. smoke runs D1-Netflix with a 300-step 1-D model and the Random
// Forest; cpu and full D1-Netflix and D3-Google with the preset's steps and CNN.
func Table2For(p preset.Preset) Table2Config {
	length := map[string]int{preset.Smoke: 64, preset.CPU: 128, preset.Full: 720}[p.Name]
	net := preset.UNet1D(0, max(length, 64)).Net
	net.ModelChannels, net.NormGroups, net.NullClass = p.Net.ModelChannels, p.Net.NormGroups, p.Net.NullClass
	net.LearnSigma = p.Net.LearnSigma
	c := Table2Config{Preset: p, Classifier: p.Downstream.CNN, Datasets: []string{"d1-netflix", "d3-google"}, Net1D: net, Steps1D: p.Train.Steps}
	if p.Name == preset.Smoke {
		c.Classifier, c.Datasets, c.Steps1D = protocols.RF, []string{"d1-netflix"}, 300
	}
	return c
}

// preset1D is the preset of the 1-D model.
func (c Table2Config) preset1D() preset.Preset {
	p := c.Preset
	p.Net = c.Net1D
	p.Train.Steps = c.Steps1D
	return p
}

// Table2Row is one dataset.
type Table2Row struct {
	Data                       string
	Original                   Acc
	Synth1D, Synth2D           Acc
	OriSynth1D, OriSynth2D     Acc
	ClassFID1D, ClassFID2D     float64 // mean per-class Frechet distance on PCA features
	TrainSteps1D, TrainSteps2D int64
	// ClassFIDMatched1D and 2D are the size-matched per-class FIDs (fid.PerClassWithFloor: every class
	// at the real test set's count, on both models alike) with their bootstrap replicates, drawn with
	// the same seed for both models (nil in a result made before they were kept): the claim on FID is
	// decided on them.
	ClassFIDMatched1D, ClassFIDMatched2D     float64                 `json:",omitempty"`
	ClassFIDBootstrap1D, ClassFIDBootstrap2D *fid.PerClassReplicates `json:",omitempty"`
}

// Table2Result holds one row per dataset.
type Table2Result struct {
	Classifier string
	Rows       []Table2Row
}

// Table2 runs (or loads) Table 2.
func Table2(c Table2Config, force bool, log io.Writer) (*Table2Result, error) {
	if log == nil {
		log = io.Discard
	}
	return Cached("table2", c, force, func() (*Table2Result, error) { return table2(c, log) })
}

func table2(c Table2Config, log io.Writer) (*Table2Result, error) {
	res := &Table2Result{Classifier: c.Classifier}
	for _, name := range c.Datasets {
		row, err := table2Row(c, name, log)
		if err != nil {
			return nil, fmt.Errorf("table2 %s: %w", name, err)
		}
		fmt.Fprintf(log, "table2 %s: synth 1-D %s 2-D %s; class FID 1-D %.3f 2-D %.3f\n", row.Data, row.Synth1D, row.Synth2D, row.ClassFID1D, row.ClassFID2D)
		res.Rows = append(res.Rows, row)
	}
	return res, nil
}

func table2Row(c Table2Config, name string, log io.Writer) (Table2Row, error) {
	set, err := LoadImageSet(c.Preset, name, false, log)
	if err != nil {
		return Table2Row{}, err
	}
	ds, g := splitName(name)
	syn2, err := Synthetic(ExperimentFor(c.Preset, ds, g), false, log)
	if err != nil {
		return Table2Row{}, err
	}
	syn1, err := Synthetic1D(ExperimentFor(c.preset1D(), ds, g), log)
	if err != nil {
		return Table2Row{}, err
	}
	f, err := Classifier{Name: c.Classifier, Sizes: c.Preset.Downstream}.factory(protocols.ImageShape(set.Train.Images.Height))
	if err != nil {
		return Table2Row{}, err
	}
	pca, err := features.FitPCA(set.Train.Images, min(c.Preset.Measure.PCAComponents, set.Train.Images.Len()-1))
	if err != nil {
		return Table2Row{}, err
	}
	cmp, err := protocols.DiffusionDims(f, pca, set.Train, set.Test, protocols.Traces{Series: syn1.Series, Y: syn1.Y}, set.Synth,
		c.Preset.Measure.FIDPerClass, c.Preset.Downstream.Seeds)
	if err != nil {
		return Table2Row{}, err
	}
	s1, s2 := cmp.Sources[0], cmp.Sources[1]
	row := Table2Row{Data: paperName(name), Original: accOf(cmp.Original),
		Synth1D: accOf(s1.Synth), Synth2D: accOf(s2.Synth), OriSynth1D: accOf(s1.OriSynth), OriSynth2D: accOf(s2.OriSynth),
		ClassFID1D: s1.FID.Mean, ClassFID2D: s2.FID.Mean, TrainSteps1D: syn1.TrainSteps, TrainSteps2D: syn2.TrainSteps}
	im1D, err := protocols.GASFImages(syn1.Series, set.Train.Images.Height)
	if err != nil {
		return Table2Row{}, err
	}
	m1, m2, err := matchedClassFIDs(c.Preset, pca, set.Train, set.Test, []protocols.LabelledImages{{Images: im1D, Y: syn1.Y}, set.Synth})
	if err != nil { // too few test images per class for a size-matched FID: the claim cannot be decided
		fmt.Fprintf(log, "table2 %s: no size-matched per-class FID: %v\n", row.Data, err)
		return row, nil
	}
	row.ClassFIDMatched1D, row.ClassFIDBootstrap1D = m1.mean, m1.reps
	row.ClassFIDMatched2D, row.ClassFIDBootstrap2D = m2.mean, m2.reps
	return row, nil
}

// matchedClassFID is a size-matched per-class FID with its bootstrap replicates.
type matchedClassFID struct {
	mean float64
	reps *fid.PerClassReplicates
}

// matchedClassFIDs measures each synthetic set's size-matched per-class FID against the real training
// images on pca's features, with bootstrap replicates drawn with the same seed for every set.
func matchedClassFIDs(p preset.Preset, pca features.Extractor, train, test protocols.LabelledImages, synth []protocols.LabelledImages) (m1, m2 matchedClassFID, err error) {
	fr, err := pca.Extract(train.Images)
	if err != nil {
		return m1, m2, err
	}
	ft, err := pca.Extract(test.Images)
	if err != nil {
		return m1, m2, err
	}
	var out []matchedClassFID
	for _, s := range synth {
		fs, err := pca.Extract(s.Images)
		if err != nil {
			return m1, m2, err
		}
		fl, err := fid.PerClassWithFloor(fr, train.Y, ft, test.Y, fs, s.Y, p.Measure.FIDPerClass, fid.Frechet)
		if err != nil {
			return m1, m2, err
		}
		reps, err := fid.PerClassBootstrap(fr, train.Y, ft, test.Y, fs, s.Y, p.Measure.FIDPerClass, pipeline.ClassFIDReplicates, fid.Frechet, verdictSeed)
		if err != nil {
			return m1, m2, err
		}
		out = append(out, matchedClassFID{fl.Synth.Mean, &reps})
	}
	return out[0], out[1], nil
}

// matchedFIDDiff is the 95% interval of the 2-D model's size-matched per-class FID minus the 1-D
// model's (replicate i of each drawn independently), invalid without replicates.
func matchedFIDDiff(r Table2Row) stats.Interval {
	var d []float64
	n := 0
	if r.ClassFIDBootstrap1D != nil && r.ClassFIDBootstrap2D != nil {
		a, b := r.ClassFIDBootstrap2D.Synth, r.ClassFIDBootstrap1D.Synth
		for i := range min(len(a), len(b)) {
			d = append(d, a[i]-b[i])
		}
		n = r.ClassFIDBootstrap2D.Rows
	}
	return pipeline.ShiftedPercentiles(d, pipeline.ClassFIDReplicates, r.ClassFIDMatched2D-r.ClassFIDMatched1D, n)
}

// SynthSeries are the synthetic series of a 1-D model, on [0, 1].
type SynthSeries struct {
	Name       string
	TrainSteps int64
	Series     [][]float64
	Y          []int
}

// synth1DEntry is Synthetic1D's cache entry.
func synth1DEntry(cfg ExperimentConfig) cacheEntry {
	return cacheEntry{"synth1d-" + cfg.Name(), synthKey(cfg)}
}

// Synthetic1D trains (or resumes) the 1-D model of cfg (cfg.Preset.Net.Dims = 1) in cfg.ModelDir() and
// returns (cached) as many synthetic series per class as the class has training series.
func Synthetic1D(cfg ExperimentConfig, log io.Writer) (*SynthSeries, error) {
	if cfg.Preset.Net.Dims != 1 {
		return nil, fmt.Errorf("repro: Synthetic1D needs a 1-D model, the preset has Net.Dims %d", cfg.Preset.Net.Dims)
	}
	e := synth1DEntry(cfg)
	return Cached(e.name, e.config, false, func() (*SynthSeries, error) {
		b, _, err := backend.Shared()
		if err != nil {
			return nil, err
		}
		p := cfg.Preset
		d, err := pipeline.LoadDefault(p, cfg.Dataset, cfg.Group)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "%s: 1-D model on series of %d values in %s\n", cfg.Name(), d.Size(), cfg.ModelDir())
		m, err := pipeline.Train(context.Background(), b, p, cfg.ModelDir(), d.Train, d.TrainY,
			pipeline.ModelInfo{Data: d.Name, Classes: d.Classes, Ranges: d.Ranges}, pipeline.TrainOptions{Log: log})
		if err != nil {
			return nil, err
		}
		x, y, err := sampleLike(context.Background(), m, p, d, log)
		if err != nil {
			return nil, err
		}
		series, err := pipeline.Decode(x)
		if err != nil {
			return nil, err
		}
		return &SynthSeries{Name: d.Name, TrainSteps: m.Trainer.Steps(), Series: series, Y: y}, nil
	})
}

// paperTable2 is the paper's Table 2: original, synth 1-D, synth 2-D, ori+synth 1-D, ori+synth 2-D;
// and the paper's FID reduction of 2-D against 1-D (percent).
var paperTable2 = map[string]struct {
	acc    [5]float64
	fidCut float64
}{
	"D1-Netflix": {[5]float64{97.5, 62.2, 100.0, 94.8, 100.0}, 77},
	"D3-Google":  {[5]float64{74.0, 42.3, 72.5, 73.2, 76.0}, 36},
}

// Table2Compare is the notebook's table: per dataset and column, paper, reference and this run.
func Table2Compare(this, ref *Table2Result) (header []string, rows [][]string) {
	header = []string{"data", "measure", "paper", "cpu reference", "this run"}
	var refRows []Table2Row
	if ref != nil {
		refRows = ref.Rows
	}
	cells := func(r Table2Row) []string {
		return []string{r.Original.String(), r.Synth1D.String(), r.Synth2D.String(), r.OriSynth1D.String(), r.OriSynth2D.String(),
			fmt.Sprintf("%.0f%% (%.3f vs %.3f)", fidCut(r), r.ClassFID2D, r.ClassFID1D)}
	}
	names := []string{"original", "synth 1-D", "synth 2-D", "ori+synth 1-D", "ori+synth 2-D", "2-D FID lower than 1-D by"}
	for _, c := range pairUp(this.Rows, refRows, func(r Table2Row) string { return r.Data }) {
		r := c.Row()
		paper, hasPaper := paperTable2[r.Data]
		for i, n := range names {
			p := "–"
			if hasPaper {
				if i < 5 {
					p = fmt.Sprintf("%.1f", paper.acc[i])
				} else {
					p = fmt.Sprintf("%.0f%% (Inception features)", paper.fidCut)
				}
			}
			get := func(r Table2Row) string { return cells(r)[i] }
			rows = append(rows, []string{r.Data, n, p, cell(c.Ref, c.HasRef, false, get), cell(c.This, c.HasThis, true, get)})
		}
	}
	return header, rows
}

// fidCut is how much lower the 2-D model's per-class FID is than the 1-D model's, in percent.
func fidCut(r Table2Row) float64 {
	if r.ClassFID1D == 0 {
		return 0
	}
	return 100 * (r.ClassFID1D - r.ClassFID2D) / r.ClassFID1D
}

// Table2Plot draws synth and ori+synth accuracy of both models per dataset.
func Table2Plot(r *Table2Result) (*plot.Plot, error) {
	var cats []string
	var o, s1, s2, b1, b2 []float64
	for _, row := range r.Rows {
		cats = append(cats, row.Data)
		o, s1, s2 = append(o, row.Original.Mean), append(s1, row.Synth1D.Mean), append(s2, row.Synth2D.Mean)
		b1, b2 = append(b1, row.OriSynth1D.Mean), append(b2, row.OriSynth2D.Mean)
	}
	return plots.Bars("Table 2: 1-D vs 2-D diffusion ("+r.Classifier+")", "accuracy (%)", cats,
		plots.Named{Name: "original", Values: o}, plots.Named{Name: "synth 1-D", Values: s1}, plots.Named{Name: "synth 2-D", Values: s2},
		plots.Named{Name: "ori+synth 1-D", Values: b1}, plots.Named{Name: "ori+synth 2-D", Values: b2})
}

// Table2Verdicts decides the paper's claims by the one rule: 2-D synthetic images train classifiers
// better than 1-D ones (synth and ori+synth, paired on the test traces), and 2-D images have the lower
// per-class FID (the size-matched per-class FIDs of both models, bootstrapped; a result without
// replicates cannot tell).
func Table2Verdicts(r *Table2Result) []string {
	return []string{
		judgeGains("2-D synthetic images train better classifiers than 1-D ones (synth and ori+synth)", stats.Greater(0), acc2D(r), ""),
		table2FIDVerdict(r),
	}
}

// acc2D pairs the 2-D and 1-D accuracies of every row, synth and ori+synth.
func acc2D(r *Table2Result) []accCase {
	var acc []accCase
	for _, row := range r.Rows {
		acc = append(acc, accCase{Name: row.Data + " synth", A: row.Synth2D, B: row.Synth1D},
			accCase{Name: row.Data + " ori+synth", A: row.OriSynth2D, B: row.OriSynth1D})
	}
	return acc
}

// table2FIDVerdict decides "the 2-D model's size-matched per-class FID is lower" on every dataset.
func table2FIDVerdict(r *Table2Result) string {
	const claim = "2-D images have the lower per-class FID (size-matched, 2-D minus 1-D)"
	lower, withReplicates := 0, true
	for _, row := range r.Rows {
		if row.ClassFID2D < row.ClassFID1D {
			lower++
		}
		withReplicates = withReplicates && matchedFIDDiff(row).Valid()
	}
	if !withReplicates {
		return noInterval(claim, "per-class FIDs are stored without bootstrap replicates",
			fmt.Sprintf("lower on %d of %d datasets, PCA features, not the paper's Inception", lower, len(r.Rows)))
	}
	var cases []namedInterval
	for _, row := range r.Rows {
		cases = append(cases, namedInterval{row.Data, matchedFIDDiff(row)})
	}
	return judgeIntervals(claim, stats.Less(0), cases, "%+.3f", "bootstrap, PCA features, not the paper's Inception")
}

func init() {
	register(newItem("table2", "Table 2: 1-D vs 2-D diffusion", Table2For, Table2, Table2Compare, Table2Verdicts, onePlot("table2_1d_vs_2d_diffusion", Table2Plot)))
}
