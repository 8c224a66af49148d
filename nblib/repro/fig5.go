package repro

import (
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/eval/stats"
	"github.com/netdiffus/netdiffus/nblib/plots"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Fig5Config is Fig. 5, anomaly detection on D1 video fingerprinting (L3).
//
// Sub-case 1: of each platform's classes, Seed picks two anomaly classes (the first n training traces
// each) and five legitimate ones (all their training traces); a classifier of the seven classes is
// scored on the anomaly classes' test traces (their recall), trained without and with synthetic
// anomaly images, on full traces and on their first 45 s (the GASF image cropped to its top-left
// quarter of 180 s). The synthetic anomaly images come from Fig. 4's model trained on the first n traces
// of every class (LimitedSynthetic with LimitedSteps, Fig4For's by default), so the generator never saw more
// anomaly traces than the classifier.
//
// Sub-case 2: a deep ensemble (one member per Downstream.EnsembleSeeds) trained on the five legitimate
// classes only, plus the first m synthetic images of each (the standard experiment's model), scores the
// entropy of its mean prediction on legitimate and anomalous test traces for each m; the paper expects
// low entropy for legitimate and high for anomalous traces.
type Fig5Config struct {
	Preset     preset.Preset
	Classifier string
	Platforms1 []string // D1 groups of sub-case 1
	Anomaly    []int    // n: training traces per anomaly class (must be among Fig4For's PerClass)
	Platforms2 []string // D1 groups of sub-case 2
	SynthSteps []int    // m: synthetic legitimate images per class added (0 first)
	Seed       uint64   // picks the anomaly and legitimate classes
	// LimitedSteps is Fig4Config.LimitedSteps of the limited models that draw the anomaly images.
	LimitedSteps int64
}

// Fig5For is Fig. 5's configuration under a preset: smoke D1-Netflix in both sub-cases at n = 2 with
// the Random Forest; cpu D1-Netflix at n = 2 and 4 (the limited models of Fig. 4) and all three
// platforms in sub-case 2 with the preset's CNN; full all platforms at n = 5 and 10.
func Fig5For(p preset.Preset) Fig5Config {
	c := Fig5Config{Preset: p, Classifier: p.Downstream.CNN, Platforms1: []string{"netflix"}, Anomaly: []int{2, 4},
		Platforms2: []string{"youtube", "stan", "netflix"}, SynthSteps: []int{0, 2, 4, 8}, Seed: 5, LimitedSteps: Fig4For(p).LimitedSteps}
	switch p.Name {
	case preset.Smoke:
		c.Classifier, c.Anomaly, c.Platforms2, c.SynthSteps = protocols.RF, []int{2}, []string{"netflix"}, []int{0, 4, 8}
	case preset.Full:
		c.Platforms1, c.Anomaly, c.SynthSteps = []string{"youtube", "stan", "netflix"}, []int{5, 10}, []int{0, 20, 40, 80}
	}
	return c
}

// Fig5Recall is one bar of sub-case 1: the mean recall of the two anomaly classes.
type Fig5Recall struct {
	Platform           string
	Anomaly            int    // n
	Length             string // "full" or "45 s"
	Original, WithSyn  float64
	AnomalyClassLabels []string
	// OriginalItems and WithSynItems are, per anomaly test trace in test order, the share of seeds that
	// recalled it, without and with the synthetic images: the paired interval of the gain resamples
	// them (empty in a result made before they were kept).
	OriginalItems, WithSynItems []float64 `json:",omitempty"`
}

// Fig5Entropy is one step of sub-case 2.
type Fig5Entropy struct {
	Platform                string
	SynthPerClass           int
	LegitMean, AnomalyMean  float64 // mean ensemble entropy, nats
	AUROC, DetectionRate    float64
	FalseAlarmRate, Thresh  float64
	LegitRows, AnomalyTests int
	// LegitEntropy and AnomalyEntropy are the ensemble entropy of every legitimate and anomalous test
	// trace, in test order (empty in a result made before they were kept): the verdicts' intervals
	// resample them.
	LegitEntropy, AnomalyEntropy []float64 `json:",omitempty"`
}

// Fig5Result holds both sub-cases.
type Fig5Result struct {
	Classifier string
	Recall     []Fig5Recall
	Entropy    []Fig5Entropy
}

// Fig5 runs (or loads) Fig. 5.
func Fig5(c Fig5Config, force bool, log io.Writer) (*Fig5Result, error) {
	if log == nil {
		log = io.Discard
	}
	return Cached("fig5", c, force, func() (*Fig5Result, error) { return fig5(c, log) })
}

// pickClasses returns, from k classes, two anomaly classes and up to five legitimate ones, by seed.
func pickClasses(k int, seed uint64) (anomaly, legit []int) {
	perm := rand.New(rand.NewPCG(seed, 0xa707)).Perm(k)
	anomaly = slices.Clone(perm[:min(2, k)])
	legit = slices.Clone(perm[min(2, k):min(7, k)])
	slices.Sort(anomaly)
	slices.Sort(legit)
	return anomaly, legit
}

func fig5(c Fig5Config, log io.Writer) (*Fig5Result, error) {
	res := &Fig5Result{Classifier: c.Classifier}
	for _, platform := range c.Platforms1 {
		set, err := LoadImageSet(c.Preset, "d1-"+platform, false, log)
		if err != nil {
			return nil, err
		}
		for _, n := range c.Anomaly {
			lim, err := LimitedSynthetic(Fig4Config{Preset: c.Preset, LimitedSteps: c.LimitedSteps}, "d1", platform, n, log)
			if err != nil {
				return nil, err
			}
			limImages, err := lim.Images()
			if err != nil {
				return nil, err
			}
			for _, crop := range []struct {
				name string
				frac float64
			}{{"full", 1}, {"45 s", 45.0 / traceSeconds}} {
				r, err := subCase1(c, set, limImages, n, crop.frac)
				if err != nil {
					return nil, fmt.Errorf("fig5 %s n=%d %s: %w", platform, n, crop.name, err)
				}
				r.Length = crop.name
				fmt.Fprintf(log, "fig5 sub-case 1 %s n=%d %s: anomaly recall %.1f%% -> %.1f%% with synthetic\n", platform, n, crop.name, r.Original, r.WithSyn)
				res.Recall = append(res.Recall, r)
			}
		}
	}
	for _, platform := range c.Platforms2 {
		set, err := LoadImageSet(c.Preset, "d1-"+platform, false, log)
		if err != nil {
			return nil, err
		}
		steps, err := subCase2(c, set)
		if err != nil {
			return nil, fmt.Errorf("fig5 sub-case 2 %s: %w", platform, err)
		}
		res.Entropy = append(res.Entropy, steps...)
	}
	return res, nil
}

// relabelled keeps the rows of the given classes, numbered 0.. in the order of classes.
func relabelled(d protocols.Dataset, classes []int, perClass int) protocols.Dataset {
	index := map[int]int{}
	for i, c := range classes {
		index[c] = i
	}
	var rows []int
	seen := map[int]int{}
	for i, y := range d.Y {
		if _, ok := index[y]; ok && (perClass <= 0 || seen[y] < perClass) {
			seen[y]++
			rows = append(rows, i)
		}
	}
	out := d.Subset(rows)
	for i, y := range out.Y {
		out.Y[i] = index[y]
	}
	return out
}

func cropSet(d protocols.Dataset, size, side int) (protocols.Dataset, error) {
	if side == size {
		return d, nil
	}
	li := protocols.LabelledImages{Y: d.Y}
	li.Images.Height, li.Images.Width, li.Images.Channels, li.Images.Pixels = size, size, 1, d.X
	c, err := li.Images.CropTopLeft(side)
	return protocols.Dataset{X: c.Pixels, Y: d.Y}, err
}

func subCase1(c Fig5Config, set *ImageSet, limSynth protocols.LabelledImages, n int, frac float64) (Fig5Recall, error) {
	anomaly, legit := pickClasses(len(set.Classes), c.Seed)
	all := append(slices.Clone(legit), anomaly...) // legitimate first, anomalies last
	size := set.Train.Images.Height
	side := max(1, int(frac*float64(size)+0.5))
	legitTrain := relabelled(set.Train.Dataset(), legit, 0)
	anomTrain := relabelled(set.Train.Dataset(), anomaly, n)
	for i := range anomTrain.Y {
		anomTrain.Y[i] += len(legit)
	}
	train, err := protocols.Concat(legitTrain, anomTrain)
	if err != nil {
		return Fig5Recall{}, err
	}
	test := relabelled(set.Test.Dataset(), all, 0)
	synAnom := relabelled(limSynth.Dataset(), anomaly, 0)
	for i := range synAnom.Y {
		synAnom.Y[i] += len(legit)
	}
	withSyn, err := protocols.Concat(train, synAnom)
	if err != nil {
		return Fig5Recall{}, err
	}
	for _, d := range []*protocols.Dataset{&train, &withSyn, &test} {
		if *d, err = cropSet(*d, size, side); err != nil {
			return Fig5Recall{}, err
		}
	}
	f, err := Classifier{Name: c.Classifier, Sizes: c.Preset.Downstream}.factory(protocols.ImageShape(side))
	if err != nil {
		return Fig5Recall{}, err
	}
	anomLabels := []int{len(legit), len(legit) + 1}
	mean := func(train protocols.Dataset) (float64, []float64, error) {
		rec, res, err := protocols.AnomalyRecall(f, train, test, anomLabels, c.Preset.Downstream.Seeds)
		if err != nil {
			return 0, nil, err
		}
		var s float64
		for _, v := range rec {
			s += v
		}
		var items []float64
		for i, y := range test.Y {
			if slices.Contains(anomLabels, y) && i < len(res.ItemCorrect) {
				items = append(items, res.ItemCorrect[i])
			}
		}
		return 100 * s / float64(len(rec)), items, nil
	}
	r := Fig5Recall{Platform: paperName("d1-" + set.Group), Anomaly: n}
	for _, a := range anomaly {
		r.AnomalyClassLabels = append(r.AnomalyClassLabels, set.Classes[a])
	}
	if r.Original, r.OriginalItems, err = mean(train); err != nil {
		return r, err
	}
	r.WithSyn, r.WithSynItems, err = mean(withSyn)
	return r, err
}

func subCase2(c Fig5Config, set *ImageSet) ([]Fig5Entropy, error) {
	anomaly, legit := pickClasses(len(set.Classes), c.Seed)
	f, err := Classifier{Name: c.Classifier, Sizes: c.Preset.Downstream}.factory(protocols.ImageShape(set.Train.Images.Height))
	if err != nil {
		return nil, err
	}
	train := relabelled(set.Train.Dataset(), legit, 0)
	synth := relabelled(set.Synth.Dataset(), legit, 0)
	testLegit := relabelled(set.Test.Dataset(), legit, 0)
	testAnom := relabelled(set.Test.Dataset(), anomaly, 0)
	var out []Fig5Entropy
	last := -1
	most := 0
	for _, rows := range synth.PerClassRows() {
		most = max(most, len(rows))
	}
	for _, m := range c.SynthSteps {
		if m = min(m, most); m <= last {
			continue
		}
		last = m
		tr := train
		if m > 0 {
			if tr, err = protocols.Concat(train, synth.FirstPerClass(m)); err != nil {
				return nil, err
			}
		}
		u, err := protocols.EnsembleUncertainty(f, tr, testLegit.X, testAnom.X, c.Preset.Downstream.EnsembleSeeds)
		if err != nil {
			return nil, fmt.Errorf("%d synthetic per class: %w", m, err)
		}
		out = append(out, Fig5Entropy{Platform: paperName("d1-" + set.Group), SynthPerClass: m, LegitMean: meanOf(u.LegitEntropy),
			AnomalyMean: meanOf(u.AnomalyEntropy), AUROC: u.AUROC, DetectionRate: u.DetectionRate, FalseAlarmRate: u.FalseAlarmRate,
			Thresh: u.Threshold, LegitRows: tr.Len(), AnomalyTests: testAnom.Len(), LegitEntropy: u.LegitEntropy, AnomalyEntropy: u.AnomalyEntropy})
	}
	return out, nil
}

func meanOf(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(max(len(v), 1))
}

// Fig5Compare is the notebook's table: sub-case 1 recall and sub-case 2 entropies, paper, reference
// and this run.
func Fig5Compare(this, ref *Fig5Result) (header []string, rows [][]string) {
	header = []string{"sub-case", "case", "paper", "cpu reference", "this run"}
	var refRecall []Fig5Recall
	var refEnt []Fig5Entropy
	if ref != nil {
		refRecall, refEnt = ref.Recall, ref.Entropy
	}
	paper1 := map[string]string{"full": "gain +54.6 ± 18.3 (average)", "45 s": "gain +48.5 ± 9.0 (average)"}
	recallKey := func(r Fig5Recall) string { return fmt.Sprintf("%s/%d/%s", r.Platform, r.Anomaly, r.Length) }
	for _, c := range pairUp(this.Recall, refRecall, recallKey) {
		r := c.Row()
		rows = append(rows, []string{"1: anomaly recall %, without -> with synthetic", fmt.Sprintf("%s-%d, %s", r.Platform, r.Anomaly, r.Length), paper1[r.Length],
			cell(c.Ref, c.HasRef, false, func(x Fig5Recall) string { return fmt.Sprintf("%.1f -> %.1f", x.Original, x.WithSyn) }),
			cell(c.This, c.HasThis, true, func(x Fig5Recall) string {
				return fmt.Sprintf("%.1f -> %.1f (%+.1f)", x.Original, x.WithSyn, x.WithSyn-x.Original)
			})})
	}
	entKey := func(e Fig5Entropy) string { return fmt.Sprintf("%s/%d", e.Platform, e.SynthPerClass) }
	for _, c := range pairUp(this.Entropy, refEnt, entKey) {
		e := c.Row()
		paper := "–"
		switch e.Platform {
		case "D1-Netflix":
			paper = "difference 1.01 at 800 synthetic"
		case "D1-Stan":
			paper = "difference 0.74 at 800 synthetic"
		}
		rows = append(rows, []string{"2: entropy legit / anomaly (nats)", fmt.Sprintf("%s, +%d synthetic/class", e.Platform, e.SynthPerClass), paper,
			cell(c.Ref, c.HasRef, false, func(x Fig5Entropy) string { return fmt.Sprintf("%.2f / %.2f", x.LegitMean, x.AnomalyMean) }),
			cell(c.This, c.HasThis, true, func(x Fig5Entropy) string {
				return fmt.Sprintf("%.2f / %.2f (difference %.2f, AUROC %.2f)", x.LegitMean, x.AnomalyMean, x.AnomalyMean-x.LegitMean, x.AUROC)
			})})
	}
	return header, rows
}

// Fig5Plot draws sub-case 2: mean entropy of legitimate and anomalous test traces against the
// synthetic legitimate images added, per platform.
func Fig5Plot(r *Fig5Result) (*plot.Plot, error) {
	byPlatform := map[string][2]*plots.Series{}
	var order []string
	for _, e := range r.Entropy {
		s, ok := byPlatform[e.Platform]
		if !ok {
			s = [2]*plots.Series{{Name: e.Platform + " legitimate"}, {Name: e.Platform + " anomaly"}}
			byPlatform[e.Platform] = s
			order = append(order, e.Platform)
		}
		s[0].X, s[0].Y = append(s[0].X, float64(e.SynthPerClass)), append(s[0].Y, e.LegitMean)
		s[1].X, s[1].Y = append(s[1].X, float64(e.SynthPerClass)), append(s[1].Y, e.AnomalyMean)
	}
	var series []plots.Series
	for _, p := range order {
		series = append(series, *byPlatform[p][0], *byPlatform[p][1])
	}
	return plots.Lines("Fig. 5(b): ensemble entropy ("+r.Classifier+")", "synthetic legitimate images per class", "mean entropy (nats)", series...)
}

// Fig5Verdicts decides the paper's claims by the one rule: synthetic anomaly images raise the anomaly
// recall (paired over the anomaly test traces, every case); anomalous test traces get the higher
// ensemble entropy (two-sample bootstrap of the mean difference, every step); synthetic legitimate
// images lower the legitimate entropy (paired over the legitimate test traces, last step against the
// first, every platform). A result without per-trace values cannot tell; its counts are given.
func Fig5Verdicts(r *Fig5Result) []string {
	if !fig5HasItems(r) {
		return fig5PointVerdicts(r)
	}
	var gains []accCase
	for _, x := range r.Recall {
		gains = append(gains, accCase{Name: fmt.Sprintf("%s-%d %s", x.Platform, x.Anomaly, x.Length),
			A: Acc{Mean: x.WithSyn, Items: x.WithSynItems}, B: Acc{Mean: x.Original, Items: x.OriginalItems}})
	}
	recall := judgeGains("sub-case 1, synthetic anomaly traces raise the anomaly recall (with - without, points)", stats.Greater(0), gains, "+54.6 ± 18.3 on full traces")
	var sep, drop []namedInterval
	for i, e := range r.Entropy {
		sep = append(sep, namedInterval{fmt.Sprintf("%s +%d", e.Platform, e.SynthPerClass), entropyGap(e)})
		if i+1 == len(r.Entropy) || r.Entropy[i+1].Platform != e.Platform { // last step of a platform
			first := e
			for j := i; j >= 0 && r.Entropy[j].Platform == e.Platform; j-- {
				first = r.Entropy[j]
			}
			drop = append(drop, namedInterval{e.Platform, entropyDrop(first, e)})
		}
	}
	return []string{recall,
		judgeIntervals("sub-case 2, anomalous traces get the higher entropy (anomalous - legitimate mean, nats)", stats.Greater(0), sep, "%+.2f", "bootstrap over test traces"),
		judgeIntervals("sub-case 2, synthetic legitimate traces lower the legitimate entropy (last - first step, nats)", stats.Less(0), drop, "%+.2f", "bootstrap over test traces")}
}

// entropyGap is the interval of the anomalous minus the legitimate mean entropy of one step.
func entropyGap(e Fig5Entropy) stats.Interval {
	a, l := e.AnomalyEntropy, e.LegitEntropy
	return stats.Bootstrap2(len(a), len(l), 0, verdictSeed, func(ia, il []int) float64 {
		return meanAt(a, ia) - meanAt(l, il)
	})
}

// entropyDrop is the paired interval of the legitimate test traces' entropy at the last step minus at
// the first (the same traces, in the same order).
func entropyDrop(first, last Fig5Entropy) stats.Interval {
	if len(first.LegitEntropy) != len(last.LegitEntropy) {
		return stats.Interval{Estimate: last.LegitMean - first.LegitMean, Lo: math.NaN(), Hi: math.NaN()}
	}
	return stats.PairedMeanDiff(last.LegitEntropy, first.LegitEntropy, verdictSeed)
}

func meanAt(v []float64, idx []int) float64 {
	var s float64
	for _, i := range idx {
		s += v[i]
	}
	return s / float64(max(len(idx), 1))
}

// fig5HasItems reports whether every recall case and entropy step kept its per-trace values.
func fig5HasItems(r *Fig5Result) bool {
	for _, x := range r.Recall {
		if len(x.OriginalItems) == 0 || len(x.OriginalItems) != len(x.WithSynItems) {
			return false
		}
	}
	for _, e := range r.Entropy {
		if len(e.LegitEntropy) == 0 || len(e.AnomalyEntropy) == 0 {
			return false
		}
	}
	return len(r.Entropy) > 0
}

// fig5PointVerdicts is what a result without per-trace values can say: counts on point estimates,
// worded by the rule as cannot tell.
func fig5PointVerdicts(r *Fig5Result) []string {
	gain := 0
	for _, x := range r.Recall {
		if x.WithSyn > x.Original {
			gain++
		}
	}
	var sep, drop, n int
	for i, e := range r.Entropy {
		if e.AnomalyMean > e.LegitMean {
			sep++
		}
		if i+1 == len(r.Entropy) || r.Entropy[i+1].Platform != e.Platform { // last step of a platform
			n++
			first := e
			for j := i; j >= 0 && r.Entropy[j].Platform == e.Platform; j-- {
				first = r.Entropy[j]
			}
			if e.LegitMean <= first.LegitMean {
				drop++
			}
		}
	}
	const why = "recall and entropy are stored without per-trace outcomes"
	return []string{
		noInterval("sub-case 1, synthetic anomaly traces raise the anomaly recall", why, fmt.Sprintf("%s, %d of %d cases", Holds(gain, len(r.Recall)), gain, len(r.Recall))),
		noInterval("sub-case 2, anomalous traces get the higher entropy", why, fmt.Sprintf("%s, %d of %d steps", Holds(sep, len(r.Entropy)), sep, len(r.Entropy))),
		noInterval("sub-case 2, synthetic legitimate traces lower the legitimate entropy (last vs first step)", why, fmt.Sprintf("%s, %d of %d platforms", Holds(drop, n), drop, n)),
	}
}

func init() {
	register(newItem("fig5", "Fig. 5: anomaly detection", Fig5For, Fig5, Fig5Compare, Fig5Verdicts, onePlot("fig5_anomaly", Fig5Plot)))
}
