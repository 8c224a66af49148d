package pipeline

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/privacy"
	"github.com/netdiffus/netdiffus/nblib/eval/stats"
)

// FIDReplicates is the bootstrap replicates behind FIDIntervals: each is two Frechet distances.
const FIDReplicates = 400

// FIDIntervals gives the size-matched FID and its floor (the measured values matched and floor)
// their 95% bootstrap intervals, and the interval of their difference, the excess over fresh real
// data: DistanceIntervals with the Frechet distance.
func FIDIntervals(train, test, synth *mat.Dense, matched, floor float64, seed uint64) (excess, matchedIv, floorIv stats.Interval) {
	return DistanceIntervals(fid.Frechet, train, test, synth, matched, floor, seed)
}

// DistanceIntervals gives a size-matched distance to the training features and its floor (the
// measured values matched and floor) their 95% bootstrap intervals, and the interval of their
// difference, the excess over fresh real data. Each of FIDReplicates replicates draws nt rows with
// replacement (nt: the test set's size) from the test features (floor) and, for the matched side,
// from nt distinct synthetic rows chosen at random, so both sides carry the same share of duplicated
// rows; both are measured against the fixed training features. Duplicates bias each distance, so
// every interval is the percentile interval shifted by the replicates' bias (replicate mean minus
// the measured value). Invalid intervals when the test set has fewer than two rows.
func DistanceIntervals(dist fid.DistanceFunc, train, test, synth *mat.Dense, matched, floor float64, seed uint64) (excess, matchedIv, floorIv stats.Interval) {
	nt, _ := test.Dims()
	ns, _ := synth.Dims()
	rng := rand.New(rand.NewPCG(seed, 0xf1d))
	var ex, mv, fv []float64
	for range FIDReplicates {
		if nt < 2 {
			break
		}
		distinct := rng.Perm(ns)[:min(nt, ns)]
		m, err1 := dist(train, resample(synth, nt, func() int { return distinct[rng.IntN(len(distinct))] }))
		f, err2 := dist(train, resample(test, nt, func() int { return rng.IntN(nt) }))
		if err1 != nil || err2 != nil {
			continue
		}
		ex, mv, fv = append(ex, m-f), append(mv, m), append(fv, f)
	}
	return ShiftedPercentiles(ex, FIDReplicates, matched-floor, nt), ShiftedPercentiles(mv, FIDReplicates, matched, nt),
		ShiftedPercentiles(fv, FIDReplicates, floor, nt)
}

// resample builds k rows of x, row i a copy of row next().
func resample(x *mat.Dense, k int, next func() int) *mat.Dense {
	_, d := x.Dims()
	out := mat.NewDense(k, d, nil)
	for i := range k {
		out.SetRow(i, x.RawRowView(next()))
	}
	return out
}

// audit runs the memorization audit on the images (pixels on [0, 1]) and, when they decoded, on the
// decoded series (decodeSets: real training, real test, synthetic).
func (m *Measures) audit(d *Data, real, test, syn features.Images, series [][][]float64, synthY []int, seed uint64) {
	cfg := privacy.Config{Seed: seed}
	var err error
	m.Audit, err = privacy.Audit("images", privacy.Set{X: real.Pixels, Y: d.TrainY}, privacy.Set{X: test.Pixels, Y: d.TestY},
		privacy.Set{X: syn.Pixels, Y: synthY}, cfg)
	if err != nil {
		m.AuditNote = err.Error()
		return
	}
	if series[0] == nil {
		return // TraceNote says why they did not decode
	}
	m.TraceAudit, err = privacy.Audit("decoded traces", privacy.Set{X: seriesMatrix(series[0]), Y: d.TrainY},
		privacy.Set{X: seriesMatrix(series[1]), Y: d.TestY}, privacy.Set{X: seriesMatrix(series[2]), Y: synthY}, cfg)
	if err != nil {
		m.AuditNote = fmt.Sprintf("decoded traces: %v", err)
	}
}

// auditFullTraces audits the decoder's full-length synthetic traces against the real series, when all
// of them have one length.
func (m *Measures) auditFullTraces(d *Data, decoded [][]float64, synthY []int, seed uint64) {
	n := len(d.TrainSeries[0])
	for _, set := range [][][]float64{d.TrainSeries, d.TestSeries, decoded} {
		for _, s := range set {
			if len(s) != n {
				return
			}
		}
	}
	var err error
	m.FullTraceAudit, err = privacy.Audit("full-length traces", privacy.Set{X: seriesMatrix(d.TrainSeries), Y: d.TrainY},
		privacy.Set{X: seriesMatrix(d.TestSeries), Y: d.TestY}, privacy.Set{X: seriesMatrix(decoded), Y: synthY}, privacy.Config{Seed: seed})
	if err != nil {
		m.AuditNote = fmt.Sprintf("full-length traces: %v", err)
	}
}

// AuditSummary is the memorization audit in a few lines for a terminal or a notebook: each space's
// summary, and its warning when flagged.
func (m *Measures) AuditSummary() string {
	s := ""
	for _, r := range []*privacy.Report{m.Audit, m.TraceAudit, m.FullTraceAudit} {
		if r == nil {
			continue
		}
		s += r.Summary() + "\n"
		if r.Flagged {
			s += r.Warning + "\n"
		}
	}
	if m.AuditNote != "" {
		s += "memorization audit: " + m.AuditNote + "\n"
	}
	return s
}

// EvidenceSummary is the FID excess over fresh real data with its interval, then the memorization
// audit (AuditSummary).
func (m *Measures) EvidenceSummary() string {
	s := fmt.Sprintf("FID excess over fresh real data (matched - floor): %s (95%% bootstrap); synthetic images further from the training images than fresh real ones: %s\n",
		m.FIDExcess.Short("%.3f"), stats.Decide(stats.Greater(0), m.FIDExcess).Outcome)
	if m.KIDExcess.Valid() {
		s += fmt.Sprintf("KID excess over fresh real data: %s (95%% bootstrap): %s\n", m.KIDExcess.Short("%.4f"), stats.Decide(stats.Greater(0), m.KIDExcess).Outcome)
	}
	if _, _, rel := m.ClassFIDIntervals(); rel.Valid() {
		s += fmt.Sprintf("per-class FID over its floor (size-matched): %s (95%% bootstrap); per class further than fresh real data: %s\n",
			rel.Short("%.3f"), stats.Decide(stats.Greater(1), rel).Outcome)
	}
	return s + m.AuditSummary()
}

// AccuracyTable is the downstream accuracy as a table: per classifier and scenario the accuracy with
// its 95% bootstrap interval over the test images, and for synth and ori+synth the paired gain over
// original (stats.PairedMeanDiff on the same test images) with the verdict on "gain > 0".
func (m *Measures) AccuracyTable() (header []string, rows [][]string) {
	header = []string{"classifier", "scenario", "accuracy [95% CI]", "gain over original [95% paired CI]", "gain > 0", "macro-F1", "training images"}
	original := map[string]Score{}
	for _, s := range m.Accuracy {
		if s.Scenario == "original" {
			original[s.Classifier] = s
		}
	}
	for _, s := range m.Accuracy {
		gain, verdict := "–", "–"
		if o, ok := original[s.Classifier]; ok && s.Scenario != "original" {
			iv := stats.PairedMeanDiff(s.Items, o.Items, 1)
			gain, verdict = iv.Short("%+.3f"), stats.Decide(stats.Greater(0), iv).Outcome.String()
		}
		rows = append(rows, []string{s.Classifier, s.Scenario, s.Interval.Short("%.3f"), gain, verdict, fmt.Sprintf("%.3f", s.F1Mean), fmt.Sprint(s.TrainRows)})
	}
	return header, rows
}

// ClassFIDReplicates is the bootstrap replicates behind the per-class FID's intervals.
const ClassFIDReplicates = 200

// classFIDBootstrap draws the replicates of the per-class FID and its floor (fid.PerClassBootstrap),
// rounded to 5 significant digits so that a stored result stays small.
func classFIDBootstrap(train *mat.Dense, trainY []int, test *mat.Dense, testY []int, synth *mat.Dense, synthY []int, n int, seed uint64) (*fid.PerClassReplicates, error) {
	r, err := fid.PerClassBootstrap(train, trainY, test, testY, synth, synthY, n, ClassFIDReplicates, fid.Frechet, seed)
	if err != nil {
		return nil, err
	}
	for _, v := range [][]float64{r.Synth, r.Floor} {
		for i, x := range v {
			v[i] = stats.RoundSignificant(x, 5)
		}
	}
	return &r, nil
}

// ClassFIDIntervals gives the size-matched per-class FID (ClassFIDMatchedMean), its floor and their
// ratio (synthetic over fresh real: 1 for a perfect generator) their 95% bootstrap intervals, each the
// percentile interval of ClassFIDBootstrap's replicates shifted by their bias as in FIDIntervals.
// The intervals are invalid when the measure kept no replicates (too few real test images, or a
// result made before they were kept).
func (m *Measures) ClassFIDIntervals() (matched, floor, relative stats.Interval) {
	var rel []float64
	var r fid.PerClassReplicates
	if m.ClassFIDBootstrap != nil {
		r = *m.ClassFIDBootstrap
		rel = Ratios(r.Synth, r.Floor)
	}
	est := math.NaN()
	if m.ClassFIDFloorMean > 0 {
		est = m.ClassFIDMatchedMean / m.ClassFIDFloorMean
	}
	return ShiftedPercentiles(r.Synth, ClassFIDReplicates, m.ClassFIDMatchedMean, r.Rows),
		ShiftedPercentiles(r.Floor, ClassFIDReplicates, m.ClassFIDFloorMean, r.Rows),
		ShiftedPercentiles(rel, ClassFIDReplicates, est, r.Rows)
}

// Ratios is a[i] / b[i] for every i, NaN where b[i] is not positive.
func Ratios(a, b []float64) []float64 {
	out := make([]float64, min(len(a), len(b)))
	for i := range out {
		out[i] = math.NaN()
		if b[i] > 0 {
			out[i] = a[i] / b[i]
		}
	}
	return out
}

// ClassFIDDifference is the mean over classes of FID(train_c, b_c) - FID(train_c, a_c) on one feature
// space (rows of train, a and b with their labels), with its 95% bootstrap interval. Each class uses
// the first k rows of every set, k the smallest of the three counts (fid.PerClass's protocol: both
// sides of an FID the same size; with a and b of equal counts the estimate is the difference of their
// fid.PerClass means). Each of the FIDReplicates replicates redraws, within every class, the k training
// rows (one draw for both sides: the difference is paired) and each generator's k rows with
// replacement, and the percentile interval is shifted by the replicates' bias, as in FIDIntervals.
// Classes with fewer than fid.MinSamples rows in a set are left out; N counts the classes kept. Above
// 0, a's images are closer to the training images than b's. With no class kept, or an FID that fails
// on the rows themselves, the estimate is NaN.
func ClassFIDDifference(train *mat.Dense, trainY []int, a *mat.Dense, aY []int, b *mat.Dense, bY []int, classes int, seed uint64) stats.Interval {
	iv := stats.Interval{Estimate: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), Method: "bootstrap over rows within classes"}
	type classRows struct{ train, a, b []int }
	var kept []classRows
	for c := range classes {
		t, ra, rb := rowsOfClass(trainY, c), rowsOfClass(aY, c), rowsOfClass(bY, c)
		if k := min(len(t), len(ra), len(rb)); k >= fid.MinSamples {
			kept = append(kept, classRows{t[:k], ra[:k], rb[:k]})
		}
	}
	iv.N = len(kept)
	// gap is the mean difference with the rows of each class drawn by pick.
	gap := func(pick func(rows []int) func() int) (float64, bool) {
		var sum float64
		for _, k := range kept {
			tr := resample(train, len(k.train), pick(k.train))
			fa, errA := fid.Frechet(tr, resample(a, len(k.a), pick(k.a)))
			fb, errB := fid.Frechet(tr, resample(b, len(k.b), pick(k.b)))
			if errA != nil || errB != nil {
				return 0, false
			}
			sum += fb - fa
		}
		return sum / float64(len(kept)), true
	}
	inOrder := func(rows []int) func() int {
		i := -1
		return func() int { i++; return rows[i] }
	}
	est, ok := gap(inOrder)
	if len(kept) == 0 || !ok {
		return iv
	}
	iv.Estimate = est
	rng := rand.New(rand.NewPCG(seed, 0xd1f))
	drawn := func(rows []int) func() int { return func() int { return rows[rng.IntN(len(rows))] } }
	var reps []float64
	for range FIDReplicates {
		if v, ok := gap(drawn); ok {
			reps = append(reps, v)
		}
	}
	out := ShiftedPercentiles(reps, FIDReplicates, est, len(kept))
	out.Method = iv.Method
	return out
}

// rowsOfClass lists the indices of the rows labelled c.
func rowsOfClass(y []int, c int) []int {
	var out []int
	for i, l := range y {
		if l == c {
			out = append(out, i)
		}
	}
	return out
}

// ShiftedPercentiles is the 95% percentile interval of bootstrap replicates of the measured est,
// shifted by their bias (mean of the replicates minus est): the form of every FID interval here.
// NaN replicates are left out; with fewer than 90% of the draws valid, or a NaN estimate, the
// interval is invalid. n is the units per replicate, reported as the interval's N.
func ShiftedPercentiles(replicates []float64, draws int, est float64, n int) stats.Interval {
	iv := stats.Interval{Estimate: est, Lo: math.NaN(), Hi: math.NaN(), Method: "bootstrap", N: n}
	var v []float64
	for _, x := range replicates {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 || len(v) < draws*9/10 || math.IsNaN(est) {
		return iv
	}
	bias := stats.Mean(v) - est
	iv.Lo, iv.Hi = stats.Quantile(v, 0.025)-bias, stats.Quantile(v, 0.975)-bias
	return iv
}
