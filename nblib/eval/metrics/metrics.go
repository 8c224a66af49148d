package metrics

import (
	"fmt"
	"math"
)

// Confusion returns the k x k confusion matrix: entry [i][j] counts samples of true class i predicted
// as class j. Labels must lie in [0, k); lengths must match.
func Confusion(yTrue, yPred []int, k int) ([][]int, error) {
	if err := checkPair(yTrue, yPred); err != nil {
		return nil, err
	}
	m := make([][]int, k)
	for i := range m {
		m[i] = make([]int, k)
	}
	for i, t := range yTrue {
		p := yPred[i]
		if t < 0 || t >= k || p < 0 || p >= k {
			return nil, fmt.Errorf("metrics: sample %d has label %d / prediction %d outside [0,%d)", i, t, p, k)
		}
		m[t][p]++
	}
	return m, nil
}

// Accuracy returns the fraction of predictions equal to the true labels.
func Accuracy(yTrue, yPred []int) (float64, error) {
	if err := checkPair(yTrue, yPred); err != nil {
		return 0, err
	}
	var ok int
	for i, t := range yTrue {
		if yPred[i] == t {
			ok++
		}
	}
	return float64(ok) / float64(len(yTrue)), nil
}

// MacroF1 returns the unweighted mean of per-class F1 over the classes that appear in yTrue or yPred.
func MacroF1(yTrue, yPred []int) (float64, error) {
	if err := checkPair(yTrue, yPred); err != nil {
		return 0, err
	}
	k := 0
	for i, t := range yTrue {
		if t < 0 || yPred[i] < 0 {
			return 0, fmt.Errorf("metrics: sample %d has a negative label", i)
		}
		k = max(k, t+1, yPred[i]+1)
	}
	cm, err := Confusion(yTrue, yPred, k)
	if err != nil {
		return 0, err
	}
	var sum float64
	var present int
	for c := range k {
		tp, predicted, actual := cm[c][c], 0, 0
		for i := range k {
			predicted += cm[i][c]
			actual += cm[c][i]
		}
		if predicted == 0 && actual == 0 {
			continue
		}
		present++
		sum += f1(tp, predicted, actual)
	}
	return sum / float64(present), nil
}

func f1(tp, predicted, actual int) float64 {
	if tp == 0 {
		return 0
	}
	p := float64(tp) / float64(predicted)
	r := float64(tp) / float64(actual)
	return 2 * p * r / (p + r)
}

func checkPair(yTrue, yPred []int) error {
	if len(yTrue) != len(yPred) {
		return fmt.Errorf("metrics: %d true labels but %d predictions", len(yTrue), len(yPred))
	}
	if len(yTrue) == 0 {
		return fmt.Errorf("metrics: no samples to score")
	}
	return nil
}

// MeanStd returns the mean and the sample standard deviation (divisor n-1; 0 for a single value) of v.
func MeanStd(v []float64) (mean, std float64) {
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, x := range v {
		mean += x
	}
	mean /= float64(len(v))
	if len(v) == 1 {
		return mean, 0
	}
	for _, x := range v {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(v)-1))
}

// Scores holds the usual scores of one classifier on one test set.
type Scores struct {
	Accuracy  float64
	MacroF1   float64
	Confusion [][]int
}

// Score computes accuracy, macro-F1 and the k x k confusion matrix.
func Score(yTrue, yPred []int, k int) (Scores, error) {
	cm, err := Confusion(yTrue, yPred, k)
	if err != nil {
		return Scores{}, err
	}
	acc, _ := Accuracy(yTrue, yPred)
	f, _ := MacroF1(yTrue, yPred)
	return Scores{Accuracy: acc, MacroF1: f, Confusion: cm}, nil
}
