package baselines

import (
	"context"
	"fmt"
	"io"
	"math"
	"reflect"
	"time"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Train encodes the training traces with cfg and trains for cfg.Steps steps, resuming from the newest
// checkpoint in dir when there is one (its configuration and normalisation must match, that is, the
// same data and settings). A batch larger than the training set is lowered to its size. Checkpoints go to dir every quarter of the run (dir "" disables them);
// progress lines go to log (nil: none). It returns the trainer and the encoded data.
func Train(ctx context.Context, b compute.Backend, cfg Config, train *traffic.Dataset, dir string, log io.Writer) (*Trainer, *Encoded, error) {
	if log == nil {
		log = io.Discard
	}
	if n := len(train.Traces); cfg.BatchSize > n && n > 0 {
		fmt.Fprintf(log, "%s: batch %d lowered to the %d training series\n", cfg.Name, cfg.BatchSize, n)
		cfg.BatchSize = n
	}
	cfg, data, err := Encode(cfg, train)
	if err != nil {
		return nil, nil, err
	}
	var tr *Trainer
	if ckpts, _ := Checkpoints(dir); dir != "" && len(ckpts) > 0 {
		if tr, err = Resume(b, dir); err != nil {
			return nil, nil, err
		}
		if err := sameRun(tr, cfg, data); err != nil {
			return nil, nil, fmt.Errorf("baselines: checkpoint in %s: %w (delete the folder to start afresh)", dir, err)
		}
		fmt.Fprintf(log, "resumed %s at step %d\n", dir, tr.Steps())
	} else if tr, err = New(b, cfg, data.Meta); err != nil {
		return nil, nil, err
	}
	report := max(int(cfg.Steps/10), 1)
	_, err = tr.Run(ctx, data, RunConfig{MaxSteps: cfg.Steps, ReportEvery: report, CheckpointDir: dir,
		CheckpointEvery: max(int(cfg.Steps/4), 1), Keep: 1,
		Progress: func(p Progress) {
			fmt.Fprintf(log, "%s step %5d/%d  loss D %.4f  G %.4f  penalty %.4f  %.1f steps/s  %s\n", cfg.Name, p.Step, cfg.Steps,
				p.MeanLossD, p.MeanLossG, p.Last.Penalty, p.StepsPerS, p.Elapsed.Round(time.Second))
		}})
	if err != nil {
		return nil, nil, err
	}
	if tr.Steps() < cfg.Steps {
		return nil, nil, fmt.Errorf("baselines: training stopped at step %d of %d: %v", tr.Steps(), cfg.Steps, ctx.Err())
	}
	return tr, data, nil
}

// sameRun checks that a resumed trainer continues the run cfg describes on data (only Steps may differ,
// and it may not be below the steps done).
func sameRun(tr *Trainer, cfg Config, data *Encoded) error {
	a, b := tr.Config, cfg
	a.Steps, b.Steps = 0, 0
	if !reflect.DeepEqual(a, b) {
		return fmt.Errorf("its configuration %+v differs from %+v", tr.Config, cfg)
	}
	if tr.Steps() > cfg.Steps {
		return fmt.Errorf("it has trained %d steps, more than the %d asked for", tr.Steps(), cfg.Steps)
	}
	if !reflect.DeepEqual(tr.Meta, data.Meta) {
		return fmt.Errorf("it was trained on other data (its classes or normalisation differ)")
	}
	return nil
}

// Run is one baseline experiment: split the real traces as NetDiffus does, train the GAN on the
// training part, sample as many series per class as the class has training series (or PerClass),
// image both through the same GASF pipeline and measure.
type Run struct {
	Name          string
	Real          *traffic.Dataset
	TrainFraction float64
	Seed          uint64 // split and sampling
	GAN           Config
	Compare       CompareConfig
	PerClass      int    // generated series per class; 0: as many as the class's training series
	ModelDir      string // checkpoints ("" disables them)
}

// Result is what a baseline run measured.
type Result struct {
	Name         string
	Classes      []string
	TrainSeries  int
	TestSeries   int
	GenSeries    int
	GenParams    int
	DiscParams   int
	TrainSeconds float64
	Comparison   Comparison // Generators[0] is the GAN
	Diversity    DiversityResult
	Examples     [][]float64 // the first generated series of up to 4 classes
	ExampleY     []int
}

// Execute trains (or resumes) the GAN and measures it.
func (r Run) Execute(ctx context.Context, b compute.Backend, log io.Writer) (*Result, error) {
	train, test := SplitReal(r.Real, r.TrainFraction, r.Seed)
	start := time.Now()
	tr, _, err := Train(ctx, b, r.GAN, train, r.ModelDir, log)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.Name, err)
	}
	counts := train.CountPerClass()
	if r.PerClass > 0 {
		for c := range counts {
			counts[c] = r.PerClass
		}
	}
	gen, err := tr.Sample(counts, r.Seed, r.Name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.Name, err)
	}
	res := &Result{Name: r.Name, Classes: r.Real.Classes, TrainSeries: len(train.Traces), TestSeries: len(test.Traces),
		GenSeries: len(gen.Traces), TrainSeconds: time.Since(start).Seconds()}
	res.GenParams, res.DiscParams = tr.NumParameters()
	if err := res.measure(ctx, b, r, train, test, gen); err != nil {
		return nil, fmt.Errorf("%s: %w", r.Name, err)
	}
	return res, nil
}

func (res *Result) measure(_ context.Context, b compute.Backend, r Run, train, test, gen *traffic.Dataset) error {
	var s [3]Series
	var im [3]protocols.LabelledImages
	for i, ds := range []*traffic.Dataset{train, test, gen} {
		var err error
		if s[i], err = SeriesOf(ds); err != nil {
			return err
		}
		if im[i], err = Images(s[i], r.Compare.ImageSize); err != nil {
			return err
		}
	}
	var err error
	if res.Diversity, err = Diversity(s[0], s[2], len(r.Real.Classes)); err != nil {
		return err
	}
	if res.Comparison, err = Compare(b, r.Compare, im[0], im[1], []protocols.SynthSource{{Name: r.GAN.Name, LabelledImages: im[2]}}); err != nil {
		return err
	}
	seen := map[int]bool{}
	for i, y := range s[2].Y {
		if !seen[y] && len(seen) < 4 {
			seen[y] = true
			res.Examples, res.ExampleY = append(res.Examples, s[2].Series[i]), append(res.ExampleY, y)
		}
	}
	return nil
}

// Gains are NetDiffus's advantages over one baseline on one dataset.
type Gains struct {
	FIDNetDiffus, FIDBaseline float64 // mean per-class FID
	FIDGain                   float64 // (FID_base - FID_nd) / FID_base
	AccNetDiffus, AccBaseline float64 // mean synth-scenario accuracy over the classifiers
	AccDifference             float64 // AccNetDiffus - AccBaseline
	PerClassifier             []ClassifierGain
}

// ClassifierGain is one classifier's synth-scenario accuracy for both generators.
type ClassifierGain struct {
	Classifier               string
	NetDiffus, Baseline, Ori float64
}

// GainsOver computes Gains from NetDiffus's mean per-class FID and scores (as the NetDiffus
// experiment reports them, scenario names as protocols') and a baseline's comparison.
func GainsOver(ndFID float64, ndScores []Score, base Comparison) Gains {
	g := base.Generators[0]
	out := Gains{FIDNetDiffus: ndFID, FIDBaseline: g.ClassFIDMean, FIDGain: FIDGain(ndFID, g.ClassFIDMean),
		AccNetDiffus: MeanAccuracy(ndScores, string(protocols.Synthetic)), AccBaseline: MeanAccuracy(g.Accuracy, string(protocols.Synthetic))}
	out.AccDifference = out.AccNetDiffus - out.AccBaseline
	for _, o := range base.Original {
		c := ClassifierGain{Classifier: o.Classifier, Ori: o.AccMean, NetDiffus: math.NaN(), Baseline: math.NaN()}
		for _, s := range ndScores {
			if s.Classifier == o.Classifier && s.Scenario == string(protocols.Synthetic) {
				c.NetDiffus = s.AccMean
			}
		}
		for _, s := range g.Accuracy {
			if s.Classifier == o.Classifier && s.Scenario == string(protocols.Synthetic) {
				c.Baseline = s.AccMean
			}
		}
		out.PerClassifier = append(out.PerClassifier, c)
	}
	return out
}
