package metrics

import (
	"fmt"
	"math"
	"testing"
)

// Expected values computed by hand (and equal to scikit-learn 1.2's accuracy_score / f1_score(
// average="macro") / confusion_matrix on the same lists); exact fractions, so tolerance 1e-12.
func TestScores(t *testing.T) {
	cases := []struct {
		name         string
		yTrue, yPred []int
		acc, f1      float64
		cm           [][]int
	}{
		{"perfect", []int{0, 1, 2}, []int{0, 1, 2}, 1, 1, [][]int{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}},
		// class 0: tp=1 pred=1 act=2 -> p=1 r=.5 f=2/3; class 1: tp=1 pred=2 act=1 -> f=2/3; class2: tp 1 -> 1
		{"mixed", []int{0, 0, 1, 2}, []int{0, 1, 1, 2}, 0.75, (2.0/3 + 2.0/3 + 1) / 3, [][]int{{1, 1, 0}, {0, 1, 0}, {0, 0, 1}}},
		// class 2 never true nor predicted: excluded from the macro mean
		{"absent class", []int{0, 1}, []int{1, 1}, 0.5, (0 + 2.0/3) / 2, [][]int{{0, 1, 0}, {0, 1, 0}, {0, 0, 0}}},
	}
	for _, c := range cases {
		s, err := Score(c.yTrue, c.yPred, 3)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(s.Accuracy-c.acc) > 1e-12 || math.Abs(s.MacroF1-c.f1) > 1e-12 {
			t.Errorf("%s: acc %g f1 %g, want %g %g", c.name, s.Accuracy, s.MacroF1, c.acc, c.f1)
		}
		if fmt.Sprint(s.Confusion) != fmt.Sprint(c.cm) {
			t.Errorf("%s: confusion %v want %v", c.name, s.Confusion, c.cm)
		}
	}
}

func TestBadLabels(t *testing.T) {
	if _, err := Accuracy([]int{1}, []int{1, 2}); err == nil {
		t.Error("length mismatch accepted")
	}
	if _, err := Confusion([]int{0, 5}, []int{0, 1}, 3); err == nil {
		t.Error("label 5 outside [0,3) accepted")
	}
	if _, err := MacroF1(nil, nil); err == nil {
		t.Error("empty input accepted")
	}
}

func TestMeanStd(t *testing.T) {
	m, s := MeanStd([]float64{1, 2, 3, 4})
	if m != 2.5 || math.Abs(s-math.Sqrt(5.0/3)) > 1e-15 {
		t.Errorf("got %g %g", m, s)
	}
	if _, s := MeanStd([]float64{7}); s != 0 {
		t.Errorf("single value std %g", s)
	}
}

func ExampleScore() {
	s, _ := Score([]int{0, 0, 1, 1}, []int{0, 1, 1, 1}, 2)
	fmt.Printf("accuracy %.2f macro-F1 %.3f confusion %v\n", s.Accuracy, s.MacroF1, s.Confusion)
	// Output: accuracy 0.75 macro-F1 0.733 confusion [[1 1] [0 2]]
}
