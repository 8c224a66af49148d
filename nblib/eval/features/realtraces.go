package features

import (
	"fmt"
	"math"

	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"gonum.org/v1/gonum/mat"
)

// RealTraceFidelity compares synthetic traces with the real traces themselves, in the feature's units
// and at whatever length each set has (synthetic traces decoded at the image's side are compared with
// full-length real ones as they are: the differences are what the measures are for). Each measure is
// taken between the held-out real test traces and the synthetic ones, and has its floor: the same
// measure between the real training and the real test traces (what fresh real data scores). The
// synthetic side is compared with the test traces, not the training ones, because a decoder that
// reuses training traces (pipeline.TraceDecoder does) would look better than real data against them.
type RealTraceFidelity struct {
	// ValueJSD is the Jensen-Shannon divergence (bits) between the histograms of every value of every
	// trace pooled (the field's marginal distribution), on Bins equal bins over the range of all three
	// sets; ValueEMD the earth mover's distance (Wasserstein-1) between the same values, in the field's
	// units (NetShare's two per-field measures).
	ValueJSD, ValueEMD Scored
	// LengthEMD is the Wasserstein-1 distance between the traces' active lengths (up to the last
	// non-zero value), in values.
	LengthEMD Scored
	// VolumeEMD is the Wasserstein-1 distance between the traces' volumes (sum of |value|), within each
	// class, averaged over the classes every set has: a generator giving every trace of a class the same
	// scale loses the spread of volumes within the class, which pooling the classes would hide.
	VolumeEMD Scored
	// Autocorrelation is the mean |difference| of the mean autocorrelation at lags 1..MaxLag, each trace
	// at its own length (constant traces left out).
	Autocorrelation Scored
	// Discriminative is DiscriminativeScore on each trace's summary (active length, volume, minimum,
	// maximum, mean, standard deviation, autocorrelation at lags 1 to 3), which any two lengths share.
	Discriminative Scored
	// Lengths is the series length of (real training, real test, synthetic) traces (their first one's);
	// MaxLag the autocorrelation lags used.
	Lengths [3]int
	MaxLag  int
	Bins    int
}

// MeasureRealTraces compares synthetic traces (synth, of classes synthY) with the real test traces
// (test/testY), and the real training traces (train/trainY) with the same test traces for the floors,
// in real units at their own lengths (see RealTraceFidelity). cfg's
// MaxLag is capped at half the shortest trace; 50 bins for the value histograms.
func MeasureRealTraces(train [][]float64, trainY []int, test [][]float64, testY []int, synth [][]float64, synthY []int, cfg TraceConfig) (RealTraceFidelity, error) {
	sets := [3][][]float64{train, test, synth}
	labels := [3][]int{trainY, testY, synthY}
	names := [3]string{"real training", "real test", "synthetic"}
	res := RealTraceFidelity{Bins: 50}
	shortest := math.MaxInt
	for i, s := range sets {
		if len(s) < 4 || len(labels[i]) != len(s) {
			return res, fmt.Errorf("features: %s traces: %d traces with %d labels; need at least 4, one label each", names[i], len(s), len(labels[i]))
		}
		res.Lengths[i] = len(s[0])
		for k, tr := range s {
			if len(tr) < 2 {
				return res, fmt.Errorf("features: %s trace %d has %d values; need at least 2", names[i], k, len(tr))
			}
			for j, v := range tr {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					return res, fmt.Errorf("features: %s trace %d value %d is %v", names[i], k, j, v)
				}
			}
			shortest = min(shortest, len(tr))
		}
	}
	if cfg.MaxLag == 0 {
		cfg.MaxLag = 10
	}
	res.MaxLag = max(1, min(cfg.MaxLag, shortest/2))
	if cfg.NewClassifier == nil {
		cfg.NewClassifier = func(uint64) classify.Classifier { return &classify.GaussianNB{} }
	}
	values := [3][]float64{pooled(train), pooled(test), pooled(synth)}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range values {
		for _, x := range v {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	var err error
	score := func(name string, f func(a, b int) (float64, error)) (Scored, error) {
		v, err := f(1, 2)
		if err != nil {
			return Scored{}, fmt.Errorf("features: %s, real test vs synthetic: %w", name, err)
		}
		fl, err := f(0, 1)
		if err != nil {
			return Scored{}, fmt.Errorf("features: %s floor, real training vs real test: %w", name, err)
		}
		return Scored{Value: v, Floor: fl}, nil
	}
	if res.ValueJSD, err = score("value JSD", func(a, b int) (float64, error) {
		return JSD(histogram(values[a], res.Bins, lo, hi), histogram(values[b], res.Bins, lo, hi))
	}); err != nil {
		return res, err
	}
	if res.ValueEMD, err = score("value EMD", func(a, b int) (float64, error) { return Wasserstein1(values[a], values[b]) }); err != nil {
		return res, err
	}
	lengths := [3][]float64{}
	volumes := [3][]float64{}
	summaries := [3]*mat.Dense{}
	for i, s := range sets {
		summaries[i] = mat.NewDense(len(s), 9, nil)
		for k, tr := range s {
			sum := traceSummary(tr, res.MaxLag)
			lengths[i] = append(lengths[i], sum[0])
			volumes[i] = append(volumes[i], sum[1])
			summaries[i].SetRow(k, sum[:9])
		}
	}
	if res.LengthEMD, err = score("length EMD", func(a, b int) (float64, error) { return Wasserstein1(lengths[a], lengths[b]) }); err != nil {
		return res, err
	}
	if res.VolumeEMD, err = score("volume EMD", func(a, b int) (float64, error) {
		return perClassW1(volumes[a], labels[a], volumes[b], labels[b])
	}); err != nil {
		return res, err
	}
	acf := [3][]float64{}
	for i, s := range sets {
		if acf[i], err = meanACFOfTraces(s, res.MaxLag); err != nil {
			return res, fmt.Errorf("features: %s traces: %w", names[i], err)
		}
	}
	if res.Autocorrelation, err = score("autocorrelation", func(a, b int) (float64, error) { return meanAbsDiff(acf[a], acf[b]), nil }); err != nil {
		return res, err
	}
	res.Discriminative, err = score("discriminative score", func(a, b int) (float64, error) {
		return DiscriminativeScore(summaries[a], summaries[b], cfg.NewClassifier, cfg.Seed)
	})
	return res, err
}

func pooled(s [][]float64) []float64 {
	var out []float64
	for _, tr := range s {
		out = append(out, tr...)
	}
	return out
}

// histogram is the normalised histogram of v on bins equal bins over [lo, hi].
func histogram(v []float64, bins int, lo, hi float64) []float64 {
	out := make([]float64, bins)
	w := (hi - lo) / float64(bins)
	for _, x := range v {
		b := 0
		if w > 0 {
			b = min(int((x-lo)/w), bins-1)
		}
		out[b]++
	}
	for b := range out {
		out[b] /= float64(len(v))
	}
	return out
}

// traceSummary is (active length, volume, minimum, maximum, mean, standard deviation, autocorrelation at
// lags 1..3, 0 where undefined) of one trace.
func traceSummary(tr []float64, maxLag int) [9]float64 {
	var out [9]float64
	for k := len(tr) - 1; k >= 0; k-- {
		if tr[k] != 0 {
			out[0] = float64(k + 1)
			break
		}
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	var sum, sq float64
	for _, v := range tr {
		out[1] += math.Abs(v)
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		sum += v
		sq += v * v
	}
	n := float64(len(tr))
	out[2], out[3], out[4] = lo, hi, sum/n
	out[5] = math.Sqrt(max(sq/n-out[4]*out[4], 0))
	if r, err := Autocorrelation(tr, min(3, maxLag)); err == nil {
		copy(out[6:], r)
	}
	return out
}

// perClassW1 is the Wasserstein-1 distance of a and b within each class both have, averaged.
func perClassW1(a []float64, ya []int, b []float64, yb []int) (float64, error) {
	byClass := func(v []float64, y []int) map[int][]float64 {
		m := map[int][]float64{}
		for i, c := range y {
			m[c] = append(m[c], v[i])
		}
		return m
	}
	ma, mb := byClass(a, ya), byClass(b, yb)
	var sum float64
	n := 0
	for c, va := range ma {
		vb, ok := mb[c]
		if !ok {
			continue
		}
		d, err := Wasserstein1(va, vb)
		if err != nil {
			return 0, err
		}
		sum += d
		n++
	}
	if n == 0 {
		return 0, fmt.Errorf("the two sets share no class")
	}
	return sum / float64(n), nil
}

// meanACFOfTraces is the mean autocorrelation at lags 1..maxLag of the non-constant traces.
func meanACFOfTraces(s [][]float64, maxLag int) ([]float64, error) {
	mean := make([]float64, maxLag)
	used := 0
	for _, tr := range s {
		r, err := Autocorrelation(tr, maxLag)
		if err != nil {
			continue // constant
		}
		for k, v := range r {
			mean[k] += v
		}
		used++
	}
	if used == 0 {
		return nil, fmt.Errorf("all %d traces are constant: autocorrelation undefined", len(s))
	}
	for k := range mean {
		mean[k] /= float64(used)
	}
	return mean, nil
}
