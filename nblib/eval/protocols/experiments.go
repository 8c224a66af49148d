package protocols

import (
	"fmt"
	"math"
	"slices"

	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"gonum.org/v1/gonum/mat"
)

// LimitedPoint is one x position of Fig. 4: a fraction of the original data, alone and with synthetic.
type LimitedPoint struct {
	Fraction          float64
	Original, WithSyn Result
}

// LimitedData evaluates, for each fraction, training on that fraction of the original rows per class
// and on that fraction plus all synthetic rows. The subsample is drawn with the first seed, so every
// seed's classifier sees the same rows and the spread over seeds is the classifier's own.
func LimitedData(newClassifier classify.Factory, original, synth, test Dataset, fractions []float64, seeds []uint64) ([]LimitedPoint, error) {
	if len(seeds) == 0 {
		return nil, fmt.Errorf("protocols: no seeds given")
	}
	var out []LimitedPoint
	for _, f := range fractions {
		if !(f > 0 && f <= 1) {
			return nil, fmt.Errorf("protocols: fraction %g outside (0, 1]", f)
		}
		part := original.FractionPerClass(f, seeds[0])
		ro, err := Evaluate(newClassifier, part, test, seeds)
		if err != nil {
			return nil, fmt.Errorf("fraction %g: %w", f, err)
		}
		both, err := Concat(part, synth)
		if err != nil {
			return nil, err
		}
		rs, err := Evaluate(newClassifier, both, test, seeds)
		if err != nil {
			return nil, fmt.Errorf("fraction %g + synthetic: %w", f, err)
		}
		out = append(out, LimitedPoint{Fraction: f, Original: ro, WithSyn: rs})
	}
	return out, nil
}

// StepPoint is one x position of Fig. 8.
type StepPoint struct {
	SynthPerClass int
	Result        Result
}

// SyntheticSteps evaluates training on all original rows plus the first m synthetic rows of every
// class, for each m (m = 0 is the original-only baseline).
func SyntheticSteps(newClassifier classify.Factory, original, synth, test Dataset, perClass []int, seeds []uint64) ([]StepPoint, error) {
	var out []StepPoint
	for _, m := range perClass {
		train := original
		if m > 0 {
			var err error
			if train, err = Concat(original, synth.FirstPerClass(m)); err != nil {
				return nil, err
			}
		}
		r, err := Evaluate(newClassifier, train, test, seeds)
		if err != nil {
			return nil, fmt.Errorf("%d synthetic per class: %w", m, err)
		}
		out = append(out, StepPoint{SynthPerClass: m, Result: r})
	}
	return out, nil
}

// Hierarchical evaluates the same rows relabelled at each level: levels[l][c] is the level-l label of
// fine class c (for the paper, L1 traffic type, L2 platform, L3 the class itself).
func Hierarchical(newClassifier classify.Factory, train, test Dataset, levels [][]int, seeds []uint64) ([]Result, error) {
	var out []Result
	for l, mapping := range levels {
		tr, err := relabel(train, mapping)
		if err != nil {
			return nil, fmt.Errorf("level %d training: %w", l+1, err)
		}
		te, err := relabel(test, mapping)
		if err != nil {
			return nil, fmt.Errorf("level %d test: %w", l+1, err)
		}
		r, err := Evaluate(newClassifier, tr, te, seeds)
		if err != nil {
			return nil, fmt.Errorf("level %d: %w", l+1, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func relabel(d Dataset, mapping []int) (Dataset, error) {
	y := make([]int, len(d.Y))
	for i, l := range d.Y {
		if l < 0 || l >= len(mapping) {
			return Dataset{}, fmt.Errorf("protocols: row %d has class %d but the level map covers 0..%d", i, l, len(mapping)-1)
		}
		y[i] = mapping[l]
	}
	return Dataset{X: d.X, Y: y}, nil
}

// CropPoint is one trace length of Fig. 6.
type CropPoint struct {
	Size   int
	Result Result
}

// NearRealTime crops training and test images to their top-left s x s block for each size s and
// evaluates a classifier on the cropped pixels.
func NearRealTime(newClassifier classify.Factory, train features.Images, trainY []int, test features.Images, testY []int, sizes []int, seeds []uint64) ([]CropPoint, error) {
	if err := features.CheckCompatible(train, test, "training", "test"); err != nil {
		return nil, err
	}
	var out []CropPoint
	for _, s := range sizes {
		ctr, err := train.CropTopLeft(s)
		if err != nil {
			return nil, err
		}
		cte, err := test.CropTopLeft(s)
		if err != nil {
			return nil, err
		}
		r, err := Evaluate(newClassifier, Dataset{X: ctr.Pixels, Y: trainY}, Dataset{X: cte.Pixels, Y: testY}, seeds)
		if err != nil {
			return nil, fmt.Errorf("crop %d: %w", s, err)
		}
		out = append(out, CropPoint{Size: s, Result: r})
	}
	return out, nil
}

// AnomalyRecall trains on all classes (the anomaly classes typically with few rows, possibly topped up
// with synthetic ones) and returns, per seed-averaged result, the recall on each anomaly class: the
// fraction of its test rows classified as itself, averaged over seeds.
func AnomalyRecall(newClassifier classify.Factory, train, test Dataset, anomalyClasses []int, seeds []uint64) (map[int]float64, Result, error) {
	r, err := Evaluate(newClassifier, train, test, seeds)
	if err != nil {
		return nil, Result{}, err
	}
	recall := map[int]float64{}
	for _, c := range anomalyClasses {
		if c < 0 || c >= r.Classes {
			return nil, Result{}, fmt.Errorf("protocols: anomaly class %d not among the %d trained classes", c, r.Classes)
		}
		var sum float64
		for _, s := range r.PerSeed {
			row := s.Confusion[c]
			total := 0
			for _, v := range row {
				total += v
			}
			if total == 0 {
				return nil, Result{}, fmt.Errorf("protocols: anomaly class %d has no test rows", c)
			}
			sum += float64(row[c]) / float64(total)
		}
		recall[c] = sum / float64(len(r.PerSeed))
	}
	return recall, r, nil
}

// UncertaintyResult summarises how well ensemble entropy separates legitimate from anomalous rows.
type UncertaintyResult struct {
	LegitEntropy, AnomalyEntropy []float64
	AUROC                        float64 // P(H_anomaly > H_legit) + 1/2 P(equal)
	Threshold                    float64 // 95th percentile of the legitimate entropies
	DetectionRate                float64 // anomalies with entropy above Threshold
	FalseAlarmRate               float64 // legitimate test rows above Threshold
}

// EnsembleUncertainty trains one member per seed on legitimate classes only and scores the entropy of
// the members' mean probabilities on legitimate and anomalous test rows.
func EnsembleUncertainty(newClassifier classify.Factory, train Dataset, testLegit, testAnomaly *mat.Dense, seeds []uint64) (UncertaintyResult, error) {
	if len(seeds) == 0 {
		return UncertaintyResult{}, fmt.Errorf("protocols: an ensemble needs at least one seed")
	}
	if err := train.check("training"); err != nil {
		return UncertaintyResult{}, err
	}
	var members []classify.Classifier
	for _, s := range seeds {
		c := newClassifier(s)
		if err := c.Fit(train.X, train.Y); err != nil {
			return UncertaintyResult{}, fmt.Errorf("member %d: %w", s, err)
		}
		members = append(members, c)
	}
	hl, err := ensembleEntropy(members, testLegit)
	if err != nil {
		return UncertaintyResult{}, err
	}
	ha, err := ensembleEntropy(members, testAnomaly)
	if err != nil {
		return UncertaintyResult{}, err
	}
	res := UncertaintyResult{LegitEntropy: hl, AnomalyEntropy: ha, AUROC: auroc(hl, ha)}
	sorted := slices.Clone(hl)
	slices.Sort(sorted)
	res.Threshold = sorted[min(len(sorted)-1, int(math.Ceil(0.95*float64(len(sorted))))-1)]
	res.DetectionRate = fractionAbove(ha, res.Threshold)
	res.FalseAlarmRate = fractionAbove(hl, res.Threshold)
	return res, nil
}

func ensembleEntropy(members []classify.Classifier, x *mat.Dense) ([]float64, error) {
	var mean mat.Dense
	for i, m := range members {
		p, err := m.PredictProba(x)
		if err != nil {
			return nil, err
		}
		if i == 0 {
			mean.CloneFrom(p)
		} else {
			mean.Add(&mean, p)
		}
	}
	n, _ := mean.Dims()
	h := make([]float64, n)
	for i := range n {
		for _, p := range mean.RawRowView(i) {
			if p /= float64(len(members)); p > 0 {
				h[i] -= p * math.Log(p)
			}
		}
	}
	return h, nil
}

// auroc is the Mann-Whitney probability that a positive (anomaly) scores above a negative.
func auroc(neg, pos []float64) float64 {
	var s float64
	for _, p := range pos {
		for _, q := range neg {
			switch {
			case p > q:
				s++
			case p == q:
				s += 0.5
			}
		}
	}
	return s / float64(len(pos)*len(neg))
}

func fractionAbove(v []float64, t float64) float64 {
	k := 0
	for _, x := range v {
		if x > t {
			k++
		}
	}
	return float64(k) / float64(len(v))
}
