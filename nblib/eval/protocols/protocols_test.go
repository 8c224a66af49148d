package protocols

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/internal/synthdata"
	"github.com/netdiffus/netdiffus/nblib/eval/trees"
	"gonum.org/v1/gonum/mat"
)

func nb(uint64) classify.Classifier { return &classify.GaussianNB{} }

func smallForest(seed uint64) classify.Classifier { return &trees.RandomForest{NTrees: 15, Seed: seed} }

// data returns 4-class GASF-like sets of 8x8 images: original train, synthetic (another seed of the
// same generator, i.e. a perfect generator), and real test.
func data(perClass int) (orig, synth, test Dataset) {
	x, y := synthdata.Images(1, 4, perClass, 8, 0.15)
	xs, ys := synthdata.Images(2, 4, perClass, 8, 0.15)
	xt, yt := synthdata.Images(3, 4, 60, 8, 0.15)
	return Dataset{x, y}, Dataset{xs, ys}, Dataset{xt, yt}
}

func TestScenarios(t *testing.T) {
	orig, synth, test := data(30)
	res, err := Scenarios(nb, orig, synth, test, []uint64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	want := map[Scenario]int{Original: 120, Synthetic: 120, OriginalSynth: 240}
	for s, rows := range want {
		r := res[s]
		if r.TrainRows != rows || len(r.PerSeed) != 2 || r.Classes != 4 {
			t.Errorf("%s: %d rows, %d seeds, %d classes", s, r.TrainRows, len(r.PerSeed), r.Classes)
		}
		// Naive Bayes has no randomness: both seeds must agree exactly.
		if r.AccStd != 0 || r.AccMean < 0.25 {
			t.Errorf("%s: accuracy %g ± %g", s, r.AccMean, r.AccStd)
		}
	}
}

func TestLimitedDataAndSteps(t *testing.T) {
	orig, synth, test := data(40)
	pts, err := LimitedData(nb, orig, synth, test, []float64{0.25, 1}, []uint64{1})
	if err != nil {
		t.Fatal(err)
	}
	if pts[0].Original.TrainRows != 40 || pts[0].WithSyn.TrainRows != 200 || pts[1].Original.TrainRows != 160 {
		t.Errorf("row counts %d %d %d", pts[0].Original.TrainRows, pts[0].WithSyn.TrainRows, pts[1].Original.TrainRows)
	}
	steps, err := SyntheticSteps(nb, orig, synth, test, []int{0, 10, 40}, []uint64{1})
	if err != nil {
		t.Fatal(err)
	}
	for i, rows := range []int{160, 200, 320} {
		if steps[i].Result.TrainRows != rows {
			t.Errorf("step %d: %d rows, want %d", i, steps[i].Result.TrainRows, rows)
		}
	}
	if _, err := LimitedData(nb, orig, synth, test, []float64{0}, []uint64{1}); err == nil {
		t.Error("fraction 0 accepted")
	}
}

func TestHierarchicalRelabels(t *testing.T) {
	orig, _, test := data(20)
	res, err := Hierarchical(nb, orig, test, [][]int{{0, 0, 1, 1}, {0, 1, 2, 3}}, []uint64{1})
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Classes != 2 || res[1].Classes != 4 {
		t.Errorf("classes per level %d, %d", res[0].Classes, res[1].Classes)
	}
	if _, err := Hierarchical(nb, orig, test, [][]int{{0, 1}}, []uint64{1}); err == nil || !strings.Contains(err.Error(), "covers 0..1") {
		t.Errorf("short level map: %v", err)
	}
}

func TestNearRealTime(t *testing.T) {
	orig, _, test := data(30)
	tr := features.Images{Height: 8, Width: 8, Channels: 1, Pixels: orig.X}
	te := features.Images{Height: 8, Width: 8, Channels: 1, Pixels: test.X}
	pts, err := NearRealTime(nb, tr, orig.Y, te, test.Y, []int{2, 8}, []uint64{1})
	if err != nil {
		t.Fatal(err)
	}
	if pts[0].Size != 2 || pts[1].Size != 8 {
		t.Errorf("sizes %d %d", pts[0].Size, pts[1].Size)
	}
	// The full image must be scored exactly as the uncropped pixels are.
	full, _ := Evaluate(nb, orig, test, []uint64{1})
	if pts[1].Result.AccMean != full.AccMean {
		t.Errorf("crop 8 of 8x8: %g vs uncropped %g", pts[1].Result.AccMean, full.AccMean)
	}
}

func TestAnomalyRecallMatchesConfusion(t *testing.T) {
	orig, _, test := data(30)
	rare := orig.FirstPerClass(30) // keep everything, then thin class 3 to 3 rows
	var rows []int
	seen := 0
	for i, l := range rare.Y {
		if l == 3 {
			if seen >= 3 {
				continue
			}
			seen++
		}
		rows = append(rows, i)
	}
	train := rare.Subset(rows)
	recall, res, err := AnomalyRecall(nb, train, test, []int{3}, []uint64{1})
	if err != nil {
		t.Fatal(err)
	}
	cm := res.PerSeed[0].Confusion[3]
	want := float64(cm[3]) / float64(cm[0]+cm[1]+cm[2]+cm[3])
	if recall[3] != want {
		t.Errorf("recall %g, confusion says %g", recall[3], want)
	}
}

func TestAUROC(t *testing.T) {
	// Pairs (pos, neg): (2,1) win, (2,2) tie, (3,1) win, (3,2) win -> 3.5/4.
	if got := auroc([]float64{1, 2}, []float64{2, 3}); got != 0.875 {
		t.Errorf("AUROC %g, want 0.875", got)
	}
}

func TestEnsembleUncertaintySeparatesUnseenClass(t *testing.T) {
	x, y := synthdata.Images(4, 4, 40, 8, 0.1)
	legit := Dataset{x, y}.Subset(rangeRows(0, 120)) // classes 0, 1, 2
	xt, _ := synthdata.Images(5, 4, 40, 8, 0.1)
	testLegit := Dataset{X: xt, Y: make([]int, 160)}.Subset(rangeRows(0, 120)).X
	testAnomaly := Dataset{X: xt, Y: make([]int, 160)}.Subset(rangeRows(120, 160)).X
	res, err := EnsembleUncertainty(smallForest, legit, testLegit, testAnomaly, []uint64{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	// Class 3 was never seen: the forest should be less sure on it. AUROC 0.5 is chance.
	if res.AUROC <= 0.6 {
		t.Errorf("AUROC %g: entropy does not flag the unseen class", res.AUROC)
	}
	if math.Abs(res.FalseAlarmRate-0.05) > 0.05 {
		t.Errorf("false alarm rate %g at the 95th percentile", res.FalseAlarmRate)
	}
	t.Logf("AUROC %.3f detection %.3f false alarms %.3f", res.AUROC, res.DetectionRate, res.FalseAlarmRate)
}

func rangeRows(a, b int) []int {
	var r []int
	for i := a; i < b; i++ {
		r = append(r, i)
	}
	return r
}

func TestEvaluateErrors(t *testing.T) {
	orig, _, test := data(10)
	bad := Dataset{X: test.X, Y: append([]int{7}, test.Y[1:]...)}
	if _, err := Evaluate(nb, orig, bad, []uint64{1}); err == nil || !strings.Contains(err.Error(), "test row 0 has label 7") {
		t.Errorf("unknown test label: %v", err)
	}
	narrow := Dataset{X: mat.NewDense(2, 3, nil), Y: []int{0, 1}}
	if _, err := Concat(orig, narrow); err == nil {
		t.Error("stacking different widths accepted")
	}
	if _, err := Evaluate(nb, orig, test, nil); err == nil {
		t.Error("no seeds accepted")
	}
}

func ExampleEvaluate() {
	x := mat.NewDense(6, 1, []float64{0, 1, 2, 10, 11, 12})
	train := Dataset{X: x, Y: []int{0, 0, 0, 1, 1, 1}}
	test := Dataset{X: mat.NewDense(2, 1, []float64{1, 11}), Y: []int{0, 1}}
	r, err := Evaluate(func(uint64) classify.Classifier { return &classify.GaussianNB{} }, train, test, []uint64{1, 2})
	if err != nil {
		panic(err)
	}
	fmt.Printf("accuracy %.2f ± %.2f over %d seeds\n", r.AccMean, r.AccStd, len(r.PerSeed))
	// Output: accuracy 1.00 ± 0.00 over 2 seeds
}
