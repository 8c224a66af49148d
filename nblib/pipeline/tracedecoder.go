package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// DecoderFile is the TraceDecoder a model folder keeps beside pipeline.json (written by Run and by
// WriteDecoder; models trained from image files have none).
const DecoderFile = "decoder.json"

// decoderVersion is the layout of DecoderFile; a file of another version is an error asking to rewrite it.
const decoderVersion = 2

// maxDonors caps the training series a TraceDecoder keeps per class.
const maxDonors = 256

// TraceDecoder turns decoded samples (Size values on [0, 1]) into full-length traces in real units
// with a scale of their own (see the package documentation, "Full-length traces"). It holds, per class,
// what the real training series had: each one's minimum and maximum, its active length and its
// within-bin detail.
type TraceDecoder struct {
	Version   int
	Feature   traffic.Feature // the feature of the real series
	SeriesLen int             // their length
	Size      int             // the decoded samples' length (image side or 1-D model length)
	Integer   bool            // every real value is a whole number: synthetic values are rounded
	Padded    bool            // some real series end in f.Of's zero padding: synthetic ones do too
	Classes   []DecoderClass
}

// DecoderClass is what a TraceDecoder keeps of one class's real training series (at most maxDonors of
// them, in dataset order).
type DecoderClass struct {
	Scales  [][2]float64 // minimum and maximum of each series
	Lengths []int        // each series' active length: up to its last non-zero value
	// Values are each series' min-max-normalised values (on [0, 1]) and Coarse its own decoded image
	// (the Size-value series the model learns): Values minus Coarse held over each coarse value's span
	// is the within-bin detail the image does not keep.
	Values, Coarse [][]float32
}

// NewTraceDecoder describes the real training series of d (d.TrainSeries, imaged as d.Train).
func NewTraceDecoder(d *Data) (*TraceDecoder, error) {
	if len(d.TrainSeries) != d.Train.Batch() || len(d.TrainSeries) == 0 {
		return nil, fmt.Errorf("pipeline %s: %d training series for %d training examples: the decoder needs the real series", d.Name, len(d.TrainSeries), d.Train.Batch())
	}
	coarse, err := Decode(d.Train)
	if err != nil {
		return nil, err
	}
	td := &TraceDecoder{Version: decoderVersion, Feature: d.Feature, SeriesLen: d.SeriesLen, Size: len(coarse[0]),
		Integer: true, Classes: make([]DecoderClass, len(d.Classes))}
	for i, s := range d.TrainSeries {
		c := &td.Classes[d.TrainY[i]]
		if len(c.Scales) == maxDonors {
			continue
		}
		lo, hi := minMax(s)
		c.Scales = append(c.Scales, [2]float64{lo, hi})
		n := activeLength(s)
		c.Lengths = append(c.Lengths, n)
		td.Padded = td.Padded || n < len(s)
		u := make([]float32, len(s))
		for k, v := range s {
			u[k] = float32(unit(v, lo, hi))
			td.Integer = td.Integer && v == math.Trunc(v)
		}
		cs := make([]float32, len(coarse[i]))
		for j, v := range coarse[i] {
			cs[j] = float32(v)
		}
		c.Values, c.Coarse = append(c.Values, u), append(c.Coarse, cs)
	}
	return td, nil
}

// unit maps v from [lo, hi] to [0, 1] (0 for a constant series).
func unit(v, lo, hi float64) float64 {
	if hi > lo {
		return (v - lo) / (hi - lo)
	}
	return 0
}

// activeLength is the length up to the last non-zero value (0 for an all-zero series).
func activeLength(s []float64) int {
	for k := len(s) - 1; k >= 0; k-- {
		if s[k] != 0 {
			return k + 1
		}
	}
	return 0
}

// upsample holds coarse value j over the fine positions k with floor(k*len(coarse)/n) = j.
func upsample(coarse []float64, n int) []float64 {
	out := make([]float64, n)
	for k := range out {
		out[k] = coarse[k*len(coarse)/n]
	}
	return out
}

// ScaleMode says where a decoded trace's scale (minimum, maximum) comes from.
type ScaleMode string

// The scale modes of DecodeOptions.
const (
	// ScaleDonor takes the donor's own minimum and maximum: each trace's (minimum, maximum, active
	// length, values) is one draw from the class's empirical joint distribution, and the values are
	// exactly the donor's values, reordered.
	ScaleDonor ScaleMode = "donor"
	// ScaleKDE draws them from a kernel density estimate of the class's (minimum, maximum) pairs (a
	// training pair plus Gaussian noise of Silverman's bandwidth, kept within the class's observed
	// extremes): new scales, but the donor's values are stretched to them, so discrete values (packet
	// sizes) move off the values real traces hold.
	ScaleKDE ScaleMode = "kde"
)

// ParseScaleMode is the inverse of a ScaleMode's string ("" is ScaleDonor).
func ParseScaleMode(s string) (ScaleMode, error) {
	switch m := ScaleMode(s); m {
	case "", ScaleDonor:
		return ScaleDonor, nil
	case ScaleKDE:
		return m, nil
	}
	return "", fmt.Errorf("pipeline: unknown scale mode %q: use donor or kde", s)
}

// DetailMode says where a decoded trace's values and within-bin detail come from.
type DetailMode string

// The detail modes of DecodeOptions.
const (
	// DetailDonor ranks a donor's own values along the generated shape: each trace holds exactly the
	// values of one real training trace, reordered (the audit flags these traces as near copies).
	DetailDonor DetailMode = "donor"
	// DetailAR1 generates the detail: the generated coarse value of each span plus a Gaussian AR(1)
	// residual, whose standard deviation and lag-1 correlation are the class's (fitted on its training
	// series' departures from their own coarse series), orders the values; the values are a fresh draw
	// from the class's pooled marginal (every normalised value of its training series), placed in that
	// order, so the marginal stays the class's while no trace's values come from one real trace. Where
	// the class's series hold few distinct values (at most maxSupport: packet sizes), each scaled value
	// moves to the nearest value of the class. The active length is drawn from the class's lengths and
	// the scale, with ScaleDonor, is one of the class's (minimum, maximum) pairs (ScaleKDE draws new
	// ones).
	DetailAR1 DetailMode = "ar1"
)

// maxSupport is the most distinct values a class's series may hold for DetailAR1 to snap generated
// values to them.
const maxSupport = 4096

// ParseDetailMode is the inverse of a DetailMode's string ("" is DetailAR1, the default: the donor
// mode copies training values and is chosen by name only).
func ParseDetailMode(s string) (DetailMode, error) {
	switch m := DetailMode(s); m {
	case "", DetailAR1:
		return DetailAR1, nil
	case DetailDonor:
		return m, nil
	}
	return "", fmt.Errorf("pipeline: unknown detail mode %q: use donor or ar1", s)
}

// DecodeOptions configure TraceDecoder.Decode.
type DecodeOptions struct {
	Seed   uint64     // the draws of donors (and scales)
	Scale  ScaleMode  // "" is ScaleDonor
	Detail DetailMode // "" is DetailAR1
}

// Decode turns decoded samples (coarse, Size values on [0, 1], of class labels[i]) into traces of
// SeriesLen values in real units, with a generator seeded by opt.Seed and i. By default (DetailAR1) the
// generated coarse series plus an AR(1) residual orders a fresh draw of the class's pooled values;
// with DetailDonor a real training series of the class (the donor) gives the detail, the values and
// the active length. The scale comes from opt.Scale. See the package documentation.
func (td *TraceDecoder) Decode(coarse [][]float64, labels []int, opt DecodeOptions) ([][]float64, error) {
	mode, err := ParseScaleMode(string(opt.Scale))
	if err != nil {
		return nil, err
	}
	detail, err := ParseDetailMode(string(opt.Detail))
	if err != nil {
		return nil, err
	}
	if len(coarse) != len(labels) {
		return nil, fmt.Errorf("pipeline: %d decoded samples for %d labels", len(coarse), len(labels))
	}
	bw := make([][2]float64, len(td.Classes))
	ar := make([]residualModel, len(td.Classes))
	for c := range td.Classes {
		bw[c] = td.Classes[c].bandwidth()
		if detail == DetailAR1 && len(td.Classes[c].Values) > 0 {
			ar[c] = td.Classes[c].residuals(td.SeriesLen, td.Padded)
		}
	}
	out := make([][]float64, len(coarse))
	for i, s := range coarse {
		c := labels[i]
		if c < 0 || c >= len(td.Classes) || len(td.Classes[c].Scales) == 0 {
			return nil, fmt.Errorf("pipeline: sample %d has class %d, which the decoder has no real series of (%d classes)", i, c, len(td.Classes))
		}
		if len(s) != td.Size {
			return nil, fmt.Errorf("pipeline: sample %d decodes to %d values, the decoder was made for %d (another model's folder?)", i, len(s), td.Size)
		}
		rng := rand.New(rand.NewPCG(opt.Seed, uint64(i)))
		if detail == DetailAR1 {
			out[i] = td.Classes[c].generated(s, td.SeriesLen, bw[c], ar[c], td.Padded, td.Integer, mode, rng)
			continue
		}
		out[i] = td.Classes[c].trace(s, td.SeriesLen, bw[c], td.Padded, td.Integer, mode, rng)
	}
	return out, nil
}

// trace is Decode of one sample: the donor's detail added to the upsampled sample orders the values,
// and the donor's own normalised values, sorted, take those places (its active part only, when the
// series are padded); then the scale.
func (dc *DecoderClass) trace(coarse []float64, n int, bw [2]float64, padded, integer bool, mode ScaleMode, rng *rand.Rand) []float64 {
	donor := rng.IntN(len(dc.Values))
	lo, hi := dc.Scales[donor][0], dc.Scales[donor][1]
	if mode == ScaleKDE {
		lo, hi = dc.drawScale(bw, rng)
	}
	active := n
	if padded {
		active = dc.Lengths[donor]
	}
	up, upDonor := upsample(coarse, n), upsample32(dc.Coarse[donor], n)
	vals := dc.Values[donor]
	x := make([]float64, active)
	sorted := make([]float64, active)
	for k := range x {
		x[k] = up[k] + float64(vals[k]) - upDonor[k]
		sorted[k] = float64(vals[k])
	}
	slices.Sort(sorted)
	return placeInRankOrder(x, sorted, n, func(u float64) float64 {
		v := lo + u*(hi-lo)
		if integer {
			return math.Round(v)
		}
		return v
	})
}

// placeInRankOrder returns n values: the k-th smallest of sorted, mapped by scale, at the place of the
// k-th smallest of x (a stable ranking), and zeros after len(x) (f.Of's padding).
func placeInRankOrder(x, sorted []float64, n int, scale func(float64) float64) []float64 {
	order := make([]int, len(x))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool { return x[order[a]] < x[order[b]] })
	out := make([]float64, n)
	for j, k := range order {
		out[k] = scale(sorted[j])
	}
	return out
}

// residualModel is a class's AR(1) model of the within-bin detail, and the values its series hold.
type residualModel struct {
	Std, Lag1 float64   // of u_k - c'_{floor(k S / L)} over the active parts, normalised units
	Pooled    []float32 // every normalised value of the active parts: the class's marginal
	Support   []float64 // the class's distinct real values, sorted; nil when there are more than maxSupport
}

// residuals fits the class's residual model: the departures of each training series (normalised) from
// its own coarse series held over the spans, over the active parts.
func (dc *DecoderClass) residuals(n int, padded bool) residualModel {
	var sum2, lag float64
	var count int
	support := map[float64]bool{}
	m := residualModel{}
	for d, vals := range dc.Values {
		active := n
		if padded {
			active = dc.Lengths[d]
		}
		up := upsample32(dc.Coarse[d], n)
		prev := math.NaN()
		for k := range active {
			r := float64(vals[k]) - up[k]
			sum2 += r * r
			count++
			if !math.IsNaN(prev) {
				lag += r * prev
			}
			prev = r
		}
		lo, hi := dc.Scales[d][0], dc.Scales[d][1]
		for _, v := range vals[:active] {
			if len(support) <= maxSupport {
				support[lo+float64(v)*(hi-lo)] = true
			}
		}
		m.Pooled = append(m.Pooled, vals[:active]...)
	}
	if count > 0 && sum2 > 0 {
		m.Std, m.Lag1 = math.Sqrt(sum2/float64(count)), max(-0.99, min(0.99, lag/sum2))
	}
	if len(support) <= maxSupport {
		for v := range support {
			m.Support = append(m.Support, v)
		}
		slices.Sort(m.Support)
	}
	return m
}

// generated is Decode of one sample with DetailAR1: the upsampled sample plus an AR(1) residual
// ranks the positions, a fresh draw from the class's pooled values, sorted, takes them in rank order,
// and the scale maps them to real units (then to the class's nearest value when it holds few).
func (dc *DecoderClass) generated(coarse []float64, n int, bw [2]float64, ar residualModel, padded, integer bool, mode ScaleMode, rng *rand.Rand) []float64 {
	pair := dc.Scales[rng.IntN(len(dc.Scales))]
	lo, hi := pair[0], pair[1]
	if mode == ScaleKDE {
		lo, hi = dc.drawScale(bw, rng)
	}
	active := n
	if padded {
		active = dc.Lengths[rng.IntN(len(dc.Lengths))]
	}
	up := upsample(coarse, n)
	x := make([]float64, active)
	e := ar.Std * rng.NormFloat64()
	innovation := ar.Std * math.Sqrt(1-ar.Lag1*ar.Lag1)
	for k := range x {
		if k > 0 {
			e = ar.Lag1*e + innovation*rng.NormFloat64()
		}
		x[k] = up[k] + e
	}
	draw := make([]float64, active)
	for j := range draw {
		draw[j] = float64(ar.Pooled[rng.IntN(len(ar.Pooled))])
	}
	slices.Sort(draw)
	return placeInRankOrder(x, draw, n, func(u float64) float64 {
		v := lo + u*(hi-lo)
		switch {
		case len(ar.Support) > 0:
			return nearest(ar.Support, v)
		case integer:
			return math.Round(v)
		}
		return v
	})
}

// nearest returns the value of sorted closest to v.
func nearest(sorted []float64, v float64) float64 {
	i := sort.SearchFloat64s(sorted, v)
	switch {
	case i == 0:
		return sorted[0]
	case i == len(sorted):
		return sorted[len(sorted)-1]
	case v-sorted[i-1] <= sorted[i]-v:
		return sorted[i-1]
	}
	return sorted[i]
}

// upsample32 is upsample of float32 values.
func upsample32(coarse []float32, n int) []float64 {
	c := make([]float64, len(coarse))
	for j, v := range coarse {
		c[j] = float64(v)
	}
	return upsample(c, n)
}

// drawScale draws (minimum, maximum) from the kernel density estimate of the class's pairs.
func (dc *DecoderClass) drawScale(bw [2]float64, rng *rand.Rand) (lo, hi float64) {
	p := dc.Scales[rng.IntN(len(dc.Scales))]
	lo, hi = p[0]+bw[0]*rng.NormFloat64(), p[1]+bw[1]*rng.NormFloat64()
	floor, ceil := math.Inf(1), math.Inf(-1)
	for _, q := range dc.Scales {
		floor, ceil = math.Min(floor, q[0]), math.Max(ceil, q[1])
	}
	lo, hi = min(max(lo, floor), ceil), min(max(hi, floor), ceil)
	return min(lo, hi), max(lo, hi)
}

// bandwidth is Silverman's rule, 1.06 sd n^(-1/5), for the minimum and the maximum.
func (dc *DecoderClass) bandwidth() [2]float64 {
	var out [2]float64
	n := float64(len(dc.Scales))
	for j := range out {
		var sum, sq float64
		for _, p := range dc.Scales {
			sum += p[j]
			sq += p[j] * p[j]
		}
		mean := sum / n
		out[j] = 1.06 * math.Sqrt(max(sq/n-mean*mean, 0)) * math.Pow(n, -0.2)
	}
	return out
}

// WriteDecoder stores td in the model folder dir.
func WriteDecoder(dir string, td *TraceDecoder) error {
	raw, err := json.Marshal(td)
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(dir, DecoderFile), raw)
}

// ReadDecoder returns the decoder stored in a model folder; ok is false when it has none (a model trained
// from image files, or before decoders were kept). A file that does not describe a usable decoder is an
// error naming it.
func ReadDecoder(dir string) (td *TraceDecoder, ok bool, err error) {
	path := filepath.Join(dir, DecoderFile)
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if td, err = parseDecoder(raw); err != nil {
		return nil, false, fmt.Errorf("pipeline: %s: %w (delete it to decode at the image's resolution)", path, err)
	}
	return td, true, nil
}

// parseDecoder reads and checks a decoder file's bytes.
func parseDecoder(raw []byte) (*TraceDecoder, error) {
	td := &TraceDecoder{}
	if err := json.Unmarshal(raw, td); err != nil {
		return nil, err
	}
	return td, td.check()
}

// check verifies what Decode relies on, so a hostile file is an error, never a panic.
func (td *TraceDecoder) check() error {
	switch {
	case td.Version != decoderVersion:
		return fmt.Errorf("version %d, this build reads version %d", td.Version, decoderVersion)
	case td.Size <= 0 || td.SeriesLen < td.Size || td.SeriesLen > 1<<24:
		return fmt.Errorf("series length %d for %d decoded values: need 0 < Size <= SeriesLen <= 2^24", td.SeriesLen, td.Size)
	}
	for c, dc := range td.Classes {
		n := len(dc.Scales)
		if len(dc.Lengths) != n || len(dc.Values) != n || len(dc.Coarse) != n {
			return fmt.Errorf("class %d: %d scales, %d lengths, %d value and %d coarse series: need as many of each", c, n, len(dc.Lengths), len(dc.Values), len(dc.Coarse))
		}
		for k, p := range dc.Scales {
			if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) || p[0] > p[1] {
				return fmt.Errorf("class %d series %d: scale %v is not a finite minimum <= maximum", c, k, p)
			}
			if dc.Lengths[k] < 0 || dc.Lengths[k] > td.SeriesLen || len(dc.Values[k]) != td.SeriesLen || len(dc.Coarse[k]) != td.Size {
				return fmt.Errorf("class %d series %d: length %d, %d values and %d coarse values for series of %d from %d", c, k, dc.Lengths[k], len(dc.Values[k]), len(dc.Coarse[k]), td.SeriesLen, td.Size)
			}
		}
	}
	return nil
}
