package pipeline

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/inception"
	"github.com/netdiffus/netdiffus/nblib/eval/nn"
	"github.com/netdiffus/netdiffus/nblib/eval/privacy"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/eval/stats"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"gonum.org/v1/gonum/mat"
)

// Measures is what Measure found: fidelity on the preset's Measure.Features, by default the real
// training images' principal components (not Inception features: the numbers then rank models and
// datasets but do not compare with the paper's),
// each with its floor (the same distance between the real training and the real test images: what a
// perfect generator drawing fresh real data would score), fidelity of the decoded series, and
// downstream accuracy.
type Measures struct {
	// Features names the FID/KID features (preset.Measure.Features), e.g. "pca-16".
	Features string  `json:",omitempty"`
	FID      float64 // all synthetic vs all real training images
	// RealFID is the FID of the real test images against the real training images on the same
	// features: what fresh real data reaches. It has the test set's size, and FID grows as sets shrink,
	// so compare it with FIDMatched rather than FID. FIDFloor holds the same number.
	RealFID float64
	// FIDFloor is RealFID (fid.FrechetWithFloor's Floor); FIDMatched is the FID of a random subset of
	// the synthetic images as large as the test set, which shares the floor's small-sample bias.
	FIDFloor, FIDMatched float64
	// KID is unbiased (cubic polynomial kernel) and may be negative: it scatters around 0 for equal
	// distributions. KIDFloor and KIDMatched are as for FID.
	KID, KIDFloor, KIDMatched float64
	ClassFID                  []float64 // per class, in class order, on all rows of each class (min of real, synthetic)
	ClassFIDMean              float64
	ClassFIDStd               float64
	// ClassFIDRows is the rows per class behind ClassFIDMatched and ClassFIDFloor (the smallest class's
	// real test or synthetic count, capped by Measure.FIDPerClass): per class, real training vs
	// synthetic and real training vs real test at that same count (fid.PerClassWithFloor). They are
	// empty, and FloorNote says why, when a class has too few real test images.
	ClassFIDRows                           int
	ClassFIDMatched, ClassFIDFloor         []float64
	ClassFIDMatchedMean, ClassFIDFloorMean float64
	// ClassFIDBootstrap holds bootstrap replicates of ClassFIDMatchedMean and ClassFIDFloorMean
	// (ClassFIDIntervals): the intervals of the per-class FID, its floor and their ratio come from
	// them, and so do claims that compare datasets or models (nil with the floor).
	ClassFIDBootstrap *fid.PerClassReplicates `json:",omitempty"`
	FloorNote         string                  `json:",omitempty"`
	Hist              PixelHistograms
	// Traces compares the decoded series (the GASF inverse of real and synthetic images alike, on
	// [0, 1]): marginal Wasserstein-1, autocorrelation distance and discriminative score, each with its
	// real-training-vs-real-test floor.
	Traces    features.TraceFidelity
	TraceNote string `json:",omitempty"` // why Traces is empty, when it is
	// RealTraces compares the synthetic traces decoded by the trace decoder (full length, real units, a
	// scale each; see TraceDecoder) with the real traces themselves; RealTracesImageSide the synthetic
	// series decoded at the image's side and scaled to the class's mean range (what generate wrote
	// before the decoder) with the same real traces. Both are nil when the data have no real series
	// (images read from files), and RealTraceNote says why when a measure failed.
	RealTraces, RealTracesImageSide *features.RealTraceFidelity `json:",omitempty"`
	RealTraceNote                   string                      `json:",omitempty"`
	// TraceTSTR is train-on-synthetic, test-on-real with a classifier of the full-length traces
	// themselves, beside its floor (trained on the real training traces); nil with RealTraces.
	TraceTSTR *TraceTSTR `json:",omitempty"`
	Accuracy  []Score    // held-out real test images, per classifier and scenario
	// FIDExcess is FIDMatched - FIDFloor with its bootstrap interval (FIDIntervals): above 0, the
	// synthetic images are further from the training images than fresh real ones are.
	FIDExcess, FIDMatchedInterval, FIDFloorInterval stats.Interval
	// KIDExcess, KIDMatchedInterval and KIDFloorInterval are the same for KID (DistanceIntervals).
	KIDExcess, KIDMatchedInterval, KIDFloorInterval stats.Interval
	// Audit is the memorization audit of the synthetic images (nblib/eval/privacy) against the real
	// training and test images, TraceAudit the same on the decoded series; nil, with AuditNote saying
	// why, when a set is too small to audit.
	// FullTraceAudit audits the full-length traces of the trace decoder (real units, its default
	// detail) against the real training and test traces: the decoder draws values from real training
	// traces, so this is where copying would show (nil when the data have no real series or the traces
	// differ in length).
	Audit, TraceAudit, FullTraceAudit *privacy.Report `json:",omitempty"`
	AuditNote                         string          `json:",omitempty"`
}

// PixelHistograms compares the pixel distributions of the real and synthetic images (Fig. 7).
type PixelHistograms struct {
	Bins        int
	Real, Synth []float64 // normalised counts on [0, 1]
	JSD         float64   // Jensen-Shannon divergence, bits
	EMD         float64   // earth mover's distance, in pixel units of [0, 1]
	// Mean and standard deviation of every pixel of each set, on [0, 1]: brightness and contrast.
	RealMean, RealStd, SynthMean, SynthStd float64
}

// Score is one classifier trained in one scenario, over the preset's seeds.
type Score struct {
	Classifier string
	Scenario   string // original, synth, ori+synth
	AccMean    float64
	AccStd     float64
	F1Mean     float64
	TrainRows  int
	// Items is, per real test image in order, the share of seeds that classified it correctly; Interval
	// is the accuracy's 95% bootstrap interval over those test images (nblib/eval/stats).
	Items    []float64      `json:",omitempty"`
	Interval stats.Interval `json:",omitempty"`
}

// Images converts model-range images [N, H, W, C] to evaluation images with pixels in [0, 1].
func Images(source string, x diffusion.Array) (features.Images, error) {
	if len(x.Shape) != 4 {
		return features.Images{}, fmt.Errorf("pipeline: %s: measuring needs images [N, H, W, C], got %v", source, x.Shape)
	}
	rows := make([][]float64, x.Batch())
	for i := range rows {
		rows[i] = pixels.ModelToUnits(x.Example(i))
	}
	return features.NewImages(source, x.Shape[1], x.Shape[2], x.Shape[3], rows)
}

// Measure compares synthetic images (synth, synthY) with the data's real ones. Classifiers run on b
// (nil is fine when none is a GoMLX network); with no classifiers, Accuracy stays empty.
func Measure(b compute.Backend, p preset.Preset, d *Data, synth diffusion.Array, synthY []int) (*Measures, error) {
	real, err := Images("real training images", d.Train)
	if err != nil {
		return nil, err
	}
	test, err := Images("real test images", d.Test)
	if err != nil {
		return nil, err
	}
	syn, err := Images("synthetic images", synth)
	if err != nil {
		return nil, err
	}
	m := &Measures{}
	ex, err := featureExtractor(b, p.Measure, p.Data.Seed, real, d.TrainY)
	if err != nil {
		return nil, err
	}
	m.Features = ex.Name()
	if err := m.fidelity(ex, p.Measure, p.Data.Seed, len(d.Classes), real, test, d.TrainY, d.TestY, syn, synthY); err != nil {
		return nil, err
	}
	if m.Hist, err = Histograms(real, syn, p.Measure.HistogramBins); err != nil {
		return nil, err
	}
	// The GASF inverse of the real training, real test and synthetic images, decoded once for the
	// trace fidelity, the audit and the real-trace comparison.
	series, err := decodeSets(d.Train, d.Test, synth)
	if err == nil {
		m.Traces, err = traceFidelity(series, p.Data.Seed)
	}
	if err != nil {
		m.TraceNote = err.Error() // e.g. every series of a set constant: the measures are undefined
	}
	m.audit(d, real, test, syn, series, synthY, p.Data.Seed)
	if len(d.TrainSeries) > 0 {
		var decoded [][]float64
		if series[2] == nil {
			m.RealTraceNote = "the synthetic images do not decode: " + m.TraceNote
		} else if m.RealTraces, m.RealTracesImageSide, decoded, err = realTraceFidelity(d, series[2], synthY, p.Sample.Seed, p.Data.Seed); err != nil {
			m.RealTraceNote = err.Error()
		} else {
			m.auditFullTraces(d, decoded, synthY, p.Data.Seed)
			if m.TraceTSTR, err = traceTSTR(p.Downstream, d.TrainSeries, d.TrainY, d.TestSeries, d.TestY, decoded, synthY); err != nil {
				m.RealTraceNote = "trace classifier: " + err.Error()
			}
		}
	}
	err = m.classify(b, p.Downstream, protocols.Dataset{X: real.Pixels, Y: d.TrainY}, protocols.Dataset{X: syn.Pixels, Y: synthY},
		protocols.Dataset{X: test.Pixels, Y: d.TestY}, real.Height)
	return m, err
}

// NeedsBackend reports whether Measure runs a GoMLX network under p (a network classifier, or encoder or
// Inception features) and so needs a backend.
func NeedsBackend(p preset.Preset) bool {
	for _, n := range p.Downstream.Classifiers {
		if n := protocols.Canonical(n); n == protocols.CNN8 || n == protocols.CNN2 || n == protocols.MLP {
			return true
		}
	}
	kind, _, err := p.Measure.FeatureKind()
	return err == nil && (kind == preset.FeaturesEncoder || kind == preset.FeaturesInception)
}

// featureExtractor returns the FID/KID features of c.Features, fitted on the real training images where
// they learn (PCA on at most one component fewer than the images, the encoder on their classes with
// seed). The encoder and Inception run on b, which they need.
func featureExtractor(b compute.Backend, c preset.Measure, seed uint64, real features.Images, realY []int) (features.Extractor, error) {
	kind, weights, err := c.FeatureKind()
	if err != nil {
		return nil, err
	}
	if b == nil && (kind == preset.FeaturesEncoder || kind == preset.FeaturesInception) {
		return nil, fmt.Errorf("pipeline: Measure.Features %s runs a network: Measure needs a backend", kind)
	}
	switch kind {
	case preset.FeaturesRaw:
		return features.Raw{}, nil
	case preset.FeaturesEncoder:
		return nn.TrainEncoder(nn.NewEncoderNetwork(b, seed), real, realY)
	case preset.FeaturesInception:
		return inception.New(b, weights)
	}
	if real.Len() < 2 {
		return nil, fmt.Errorf("pipeline: PCA features need at least 2 real training images, there are %d", real.Len())
	}
	return features.FitPCA(real, min(c.PCAComponents, real.Len()-1))
}

func (m *Measures) fidelity(ex features.Extractor, c preset.Measure, seed uint64, classes int, real, test features.Images, realY, testY []int, syn features.Images, synY []int) error {
	var err error
	var fr, ft, fs *mat.Dense
	for _, x := range []struct {
		dst **mat.Dense
		im  features.Images
	}{{&fr, real}, {&ft, test}, {&fs, syn}} {
		if *x.dst, err = ex.Extract(x.im); err != nil {
			return err
		}
	}
	f, err := fid.FrechetWithFloor(fr, ft, fs, seed)
	if err != nil {
		return err
	}
	m.FID, m.RealFID, m.FIDFloor, m.FIDMatched = f.Value, f.Floor, f.Floor, f.Matched
	m.FIDExcess, m.FIDMatchedInterval, m.FIDFloorInterval = FIDIntervals(fr, ft, fs, f.Matched, f.Floor, seed)
	k, err := fid.KIDWithFloor(fr, ft, fs, seed)
	if err != nil {
		return err
	}
	m.KID, m.KIDFloor, m.KIDMatched = k.Value, k.Floor, k.Matched
	m.KIDExcess, m.KIDMatchedInterval, m.KIDFloorInterval = DistanceIntervals(fid.KID, fr, ft, fs, k.Matched, k.Floor, seed)
	per, err := fid.PerClass(fr, realY, fs, synY, c.FIDPerClass, fid.Frechet)
	if err != nil {
		return err
	}
	m.ClassFID = byClass(per, classes)
	m.ClassFIDMean, m.ClassFIDStd = per.Mean, per.Std
	fl, err := fid.PerClassWithFloor(fr, realY, ft, testY, fs, synY, c.FIDPerClass, fid.Frechet)
	if err != nil { // too few real test images in a class: the floor is unknown, not a failure
		m.FloorNote = err.Error()
		return nil
	}
	m.ClassFIDRows = fl.Rows
	m.ClassFIDMatched, m.ClassFIDFloor = byClass(fl.Synth, classes), byClass(fl.Floor, classes)
	m.ClassFIDMatchedMean, m.ClassFIDFloorMean = fl.Synth.Mean, fl.Floor.Mean
	m.ClassFIDBootstrap, err = classFIDBootstrap(fr, realY, ft, testY, fs, synY, c.FIDPerClass, seed)
	return err
}

// byClass spreads a per-class result over classes entries in class order (0 for a class it lacks).
func byClass(per fid.PerClassResult, classes int) []float64 {
	out := make([]float64, classes)
	for _, pc := range per.Classes {
		if pc.Class >= 0 && pc.Class < classes {
			out[pc.Class] = pc.Distance
		}
	}
	return out
}

// decodeSets decodes each image set through the same GASF inverse (Decode).
func decodeSets(sets ...diffusion.Array) ([][][]float64, error) {
	out := make([][][]float64, len(sets))
	for i, x := range sets {
		var err error
		if out[i], err = Decode(x); err != nil {
			return make([][][]float64, len(sets)), err
		}
	}
	return out, nil
}

// traceFidelity compares the decoded real training, real test and synthetic series (decodeSets) with
// features.MeasureTraces, over autocorrelation lags 1..min(10, half the series length).
func traceFidelity(series [][][]float64, seed uint64) (features.TraceFidelity, error) {
	sets := [3]*mat.Dense{seriesMatrix(series[0]), seriesMatrix(series[1]), seriesMatrix(series[2])}
	_, length := sets[0].Dims()
	lags := max(1, min(10, length/2)) // the features default of 10 lags, at most half the series
	tf, err := features.MeasureTraces(sets[0], sets[1], sets[2], features.TraceConfig{MaxLag: lags, Seed: seed})
	if err != nil {
		return tf, fmt.Errorf("pipeline: trace fidelity: %w", err)
	}
	return tf, nil
}

// realTraceFidelity decodes the synthetic samples' coarse series (their GASF inverse) twice, with the
// trace decoder of d's real training series (seed: its draws) and at the image's side scaled to the
// class ranges, and compares each with d's real traces (features.MeasureRealTraces).
func realTraceFidelity(d *Data, coarse [][]float64, synthY []int, decodeSeed, seed uint64) (full, imageSide *features.RealTraceFidelity, decoded [][]float64, err error) {
	if len(d.TestSeries) != d.Test.Batch() {
		return nil, nil, nil, fmt.Errorf("pipeline: %d real test series for %d test examples", len(d.TestSeries), d.Test.Batch())
	}
	td, err := NewTraceDecoder(d)
	if err != nil {
		return nil, nil, nil, err
	}
	decoded, err = td.Decode(coarse, synthY, DecodeOptions{Seed: decodeSeed})
	if err != nil {
		return nil, nil, nil, err
	}
	scaled := make([][]float64, len(coarse))
	for i, s := range coarse {
		scaled[i] = slices.Clone(s)
		scaleToRange(scaled[i], d.Ranges[synthY[i]])
	}
	cfg := features.TraceConfig{Seed: seed}
	f, err := features.MeasureRealTraces(d.TrainSeries, d.TrainY, d.TestSeries, d.TestY, decoded, synthY, cfg)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("pipeline: real-trace fidelity: %w", err)
	}
	c, err := features.MeasureRealTraces(d.TrainSeries, d.TrainY, d.TestSeries, d.TestY, scaled, synthY, cfg)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("pipeline: real-trace fidelity at the image side: %w", err)
	}
	return &f, &c, decoded, nil
}

// seriesMatrix stacks equal-length series as the rows of a matrix.
func seriesMatrix(series [][]float64) *mat.Dense {
	out := mat.NewDense(len(series), len(series[0]), nil)
	for i, s := range series {
		out.SetRow(i, s)
	}
	return out
}

// Histograms compares the pixel histograms of two image sets on [0, 1].
func Histograms(real, syn features.Images, bins int) (PixelHistograms, error) {
	h := PixelHistograms{Bins: bins}
	var err error
	if h.Real, err = features.PixelHistogram(real, bins, 0, 1); err != nil {
		return h, err
	}
	if h.Synth, err = features.PixelHistogram(syn, bins, 0, 1); err != nil {
		return h, err
	}
	if h.JSD, err = features.JSD(h.Real, h.Synth); err != nil {
		return h, err
	}
	h.EMD, err = features.HistogramEMD(h.Real, h.Synth, 1/float64(bins))
	h.RealMean, h.RealStd = PixelMoments(real)
	h.SynthMean, h.SynthStd = PixelMoments(syn)
	return h, err
}

// PixelMoments returns the mean and the standard deviation of all pixels of a set.
func PixelMoments(im features.Images) (mean, std float64) {
	raw := im.Pixels.RawMatrix()
	var sum, sq float64
	for i := range raw.Rows {
		for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] {
			sum += v
			sq += v * v
		}
	}
	n := float64(raw.Rows * raw.Cols)
	mean = sum / n
	return mean, math.Sqrt(max(sq/n-mean*mean, 0))
}

// Scenarios in the paper's order.
var Scenarios = []protocols.Scenario{protocols.Original, protocols.Synthetic, protocols.OriginalSynth}

func (m *Measures) classify(b compute.Backend, c protocols.Config, original, synth, test protocols.Dataset, size int) error {
	for _, name := range c.Classifiers {
		factory, err := c.Factory(name, b, protocols.ImageShape(size))
		if err != nil {
			return err
		}
		res, err := protocols.Scenarios(factory, original, synth, test, c.Seeds)
		if err != nil {
			return fmt.Errorf("classifier %s: %w", name, err)
		}
		for _, sc := range Scenarios {
			s := res[sc]
			m.Accuracy = append(m.Accuracy, Score{Classifier: name, Scenario: string(sc), AccMean: s.AccMean, AccStd: s.AccStd, F1Mean: s.F1Mean, TrainRows: s.TrainRows,
				Items: s.ItemCorrect, Interval: stats.BootstrapMean(s.ItemCorrect, 1)})
		}
	}
	return nil
}

// RealTraceSummary is a sentence on the trace fidelity against the real traces (the decoder's and the
// image side's, with floors), or "" when it was not measured.
func (m *Measures) RealTraceSummary() string {
	if m.RealTraces == nil || m.RealTracesImageSide == nil {
		return ""
	}
	part := func(r *features.RealTraceFidelity) string {
		return fmt.Sprintf("value JSD %s bits, value EMD %s, length EMD %s, within-class volume EMD %s, autocorrelation %s, discriminative score %s",
			r.ValueJSD, r.ValueEMD, r.LengthEMD, r.VolumeEMD, r.Autocorrelation, r.Discriminative)
	}
	s := fmt.Sprintf("\nAgainst the real test traces (floors: real training vs real test traces), synthetic traces of %d values from the full-length decoder: %s; "+
		"decoded at the image side (%d values, class-mean range): %s.", m.RealTraces.Lengths[2], part(m.RealTraces), m.RealTracesImageSide.Lengths[2], part(m.RealTracesImageSide))
	if t := m.TraceTSTR; t != nil {
		s += fmt.Sprintf("\nTrain on synthetic traces, test on real (%s on the traces averaged to %d values): %s, trained on real traces %s; difference %s (95%% paired bootstrap).",
			t.Classifier, t.Points, t.Synth.Scale(100).Short("%.1f%%"), t.Real.Scale(100).Short("%.1f%%"), t.Gap.Scale(100).Short("%+.1f points"))
	}
	return s
}

// RealTraceReport is the trace fidelity against the real traces as lines for a terminal (netdiffus
// eval): one block per decoding measured, or why none was; empty when the data have no real series.
func (m *Measures) RealTraceReport() string {
	var b strings.Builder
	if m.RealTraceNote != "" {
		fmt.Fprintln(&b, "traces against the real traces: not measured:", m.RealTraceNote)
	}
	for _, r := range []struct {
		name string
		f    *features.RealTraceFidelity
	}{{"full-length decoder", m.RealTraces}, {"image side, class-mean range", m.RealTracesImageSide}} {
		if r.f == nil {
			continue
		}
		fmt.Fprintf(&b, "traces against the real traces (%s; %d synthetic vs %d real values a trace):\n", r.name, r.f.Lengths[2], r.f.Lengths[0])
		fmt.Fprintf(&b, "  value JSD %s bits, value EMD %s, length EMD %s, volume EMD within class %s\n", r.f.ValueJSD, r.f.ValueEMD, r.f.LengthEMD, r.f.VolumeEMD)
		fmt.Fprintf(&b, "  autocorrelation (lags 1..%d) %s, discriminative score %s\n", r.f.MaxLag, r.f.Autocorrelation, r.f.Discriminative)
	}
	return b.String()
}
