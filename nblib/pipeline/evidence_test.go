package pipeline

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// TestMeasureAuditsCopies: a "generator" that returns the training images of D1-Netflix with noise of
// one 8-bit level is flagged by the audit that Measure runs, on the images and on the decoded series,
// and the summary a user reads carries the warning; the real test images measured as if they were
// synthetic (fresh data at the test set's size) are not flagged (their membership AUCs are 0, not 0.5:
// every non-member is then itself a synthetic example), and their FID excess is not above 0.
func TestMeasureAuditsCopies(t *testing.T) {
	p := preset.SmokePreset()
	p.Downstream.Classifiers = nil
	d, err := LoadDefault(p, "d1", "netflix")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	copies := diffusion.NewArray(d.Train.Shape...)
	for i, v := range d.Train.Data {
		copies.Data[i] = min(1, max(-1, v+float32(2.0/255*rng.NormFloat64())))
	}
	m, err := Measure(nil, p, d, copies, d.TrainY)
	if err != nil {
		t.Fatal(err)
	}
	if m.Audit == nil || m.TraceAudit == nil {
		t.Fatalf("no audit: %q", m.AuditNote)
	}
	if !m.Audit.Flagged || !m.TraceAudit.Flagged {
		t.Errorf("copies not flagged:\n%s", m.AuditSummary())
	}
	if s := m.EvidenceSummary(); !strings.Contains(s, "WARNING") || !strings.Contains(s, "copy their training data") {
		t.Errorf("summary without the warning:\n%s", s)
	}

	fresh, err := Measure(nil, p, d, d.Test, d.TestY)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Audit == nil || fresh.Audit.Flagged {
		t.Errorf("real test images flagged as copies:\n%s", fresh.AuditSummary())
	}
	if fresh.FIDExcess.Estimate != fresh.FIDMatched-fresh.FIDFloor || fresh.FIDExcess.Estimate != 0 {
		t.Errorf("real test images as synthetic: FID excess %v, want matched - floor = 0", fresh.FIDExcess)
	}
	if !fresh.FIDExcess.Valid() || !fresh.FIDExcess.Contains(0) {
		t.Errorf("real test images as synthetic: FID excess %v, want an interval around 0", fresh.FIDExcess)
	}
	if !fresh.KIDExcess.Valid() || fresh.KIDExcess.Estimate != 0 || !fresh.KIDExcess.Contains(0) {
		t.Errorf("real test images as synthetic: KID excess %v, want 0 inside its interval", fresh.KIDExcess)
	}
	// The real test images as synthetic images: per class the matched FID is the floor (ratio 1), and
	// its interval contains 1.
	if _, _, rel := fresh.ClassFIDIntervals(); !rel.Valid() || rel.Estimate != 1 || !rel.Contains(1) {
		t.Errorf("real test images as synthetic: per-class FID over its floor %v, want 1 inside its interval", rel)
	}
	if _, _, rel := m.ClassFIDIntervals(); !rel.Valid() {
		t.Errorf("copies: per-class FID over its floor %v, want an interval", rel)
	}
	t.Log(fresh.EvidenceSummary())
}

// TestFullTraceAuditOfMeasure: Measure audits the full-length traces of the trace decoder's default
// (generated detail, DetailAR1). Fed the real test images, as a perfect image generator would be, on
// the real Echo data and on D1-Netflix, neither the images, the image-side series nor the full-length
// traces are flagged, and the trace classifier runs. (The donor detail, which copies training values,
// is flagged: TestTraceDecoderGeneratedDetail.)
func TestFullTraceAuditOfMeasure(t *testing.T) {
	p := preset.SmokePreset()
	p.Downstream.Classifiers = nil
	for _, tc := range []struct{ dataset, group string }{{"alexa", ""}, {"d1", "netflix"}} {
		d, err := LoadDefault(p, tc.dataset, tc.group)
		if err != nil {
			t.Fatal(err)
		}
		m, err := Measure(nil, p, d, d.Test, d.TestY)
		if err != nil {
			t.Fatal(err)
		}
		if m.FullTraceAudit == nil {
			t.Fatalf("%s: no full-length audit: %q %q", tc.dataset, m.AuditNote, m.RealTraceNote)
		}
		if m.Audit.Flagged || m.TraceAudit.Flagged {
			t.Errorf("%s: real test images flagged:\n%s", tc.dataset, m.AuditSummary())
		}
		if m.FullTraceAudit.Flagged {
			t.Errorf("%s: the generated full-length traces flagged:\n%s", tc.dataset, m.FullTraceAudit.Summary())
		}
		if m.TraceTSTR == nil || !m.TraceTSTR.Synth.Valid() || !m.TraceTSTR.Real.Valid() {
			t.Errorf("%s: no trace classifier result: %+v (%q)", tc.dataset, m.TraceTSTR, m.RealTraceNote)
		} else {
			t.Logf("%s: trace TSTR %v, TRTR %v", tc.dataset, m.TraceTSTR.Synth, m.TraceTSTR.Real)
		}
	}
}

// TestTraceTSTR: traces whose classes differ in level are told apart by the trace classifier trained
// on real traces (the floor) and on fresh synthetic traces from the same generator alike, while
// synthetic traces with their labels shuffled away from the levels fall far below the floor.
func TestTraceTSTR(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	draw := func(n int) ([][]float64, []int) {
		var x [][]float64
		var y []int
		for i := range n {
			c := i % 3
			tr := make([]float64, 90+rng.IntN(40))
			for k := range tr {
				tr[k] = float64(1000*(c+1)) * (1 + 0.3*rng.NormFloat64())
			}
			x, y = append(x, tr), append(y, c)
		}
		return x, y
	}
	train, trainY := draw(60)
	test, testY := draw(30)
	synth, synthY := draw(60)
	c := preset.SmokePreset().Downstream
	good, err := traceTSTR(c, train, trainY, test, testY, synth, synthY)
	if err != nil {
		t.Fatal(err)
	}
	if good.Real.Estimate < 0.9 || good.Synth.Estimate < 0.9 || !good.Gap.Contains(0) {
		t.Errorf("fresh synthetic traces: real %v, synth %v, gap %v: want both near 1, the gap around 0", good.Real, good.Synth, good.Gap)
	}
	shuffled := append([]int(nil), synthY...)
	rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	bad, err := traceTSTR(c, train, trainY, test, testY, synth, shuffled)
	if err != nil {
		t.Fatal(err)
	}
	if !(bad.Gap.Hi < -0.3) {
		t.Errorf("synthetic traces with shuffled labels: gap %v, want far below 0", bad.Gap)
	}
}

// gaussianRows is n rows per class of d standard-normal features shifted by class*2 + shift.
func gaussianRows(rng *rand.Rand, classes, n, d int, shift float64) (*mat.Dense, []int) {
	x := mat.NewDense(classes*n, d, nil)
	var y []int
	for c := range classes {
		for i := range n {
			for j := range d {
				x.Set(c*n+i, j, rng.NormFloat64()+2*float64(c)+shift)
			}
			y = append(y, c)
		}
	}
	return x, y
}

// TestClassFIDDifference: the estimate is the difference of the mean per-class FIDs that fid.PerClass
// computes on its own (1e-9: the same sums; 30 rows a class on each side, as PerClass takes); a generator shifted by 3 against one
// drawn like the training rows gives an interval above 0, and swapping them negates the estimate; two
// generators drawn alike give an interval that contains 0; a class with too few rows is left out.
func TestClassFIDDifference(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	train, trainY := gaussianRows(rng, 3, 40, 4, 0)
	good, goodY := gaussianRows(rng, 3, 30, 4, 0)
	twin, twinY := gaussianRows(rng, 3, 30, 4, 0)
	far, farY := gaussianRows(rng, 3, 30, 4, 3)
	iv := ClassFIDDifference(train, trainY, good, goodY, far, farY, 3, 1)
	pa, errA := fid.PerClass(train, trainY, good, goodY, 0, fid.Frechet)
	pb, errB := fid.PerClass(train, trainY, far, farY, 0, fid.Frechet)
	if errA != nil || errB != nil {
		t.Fatal(errA, errB)
	}
	if want := pb.Mean - pa.Mean; math.Abs(iv.Estimate-want) > 1e-9 || iv.N != 3 {
		t.Errorf("estimate %v over %d classes, want %v (fid.PerClass) over 3", iv.Estimate, iv.N, want)
	}
	if !iv.Valid() || iv.Lo <= 0 {
		t.Errorf("a generator shifted by 3: interval %v, want it above 0", iv)
	}
	if back := ClassFIDDifference(train, trainY, far, farY, good, goodY, 3, 1); math.Abs(back.Estimate+iv.Estimate) > 1e-9 {
		t.Errorf("swapped sides: %v, want %v", back.Estimate, -iv.Estimate)
	}
	if same := ClassFIDDifference(train, trainY, good, goodY, twin, twinY, 3, 1); !same.Valid() || !same.Contains(0) {
		t.Errorf("two generators drawn alike: interval %v, want it to contain 0", same)
	}
	oneRow := append([]int(nil), farY...)
	for i := range oneRow {
		if oneRow[i] == 2 && i != 60 {
			oneRow[i] = 1 // class 2 keeps row 60 only
		}
	}
	if got := ClassFIDDifference(train, trainY, good, goodY, far, oneRow, 3, 1); got.N != 2 {
		t.Errorf("a class with one row: %d classes kept, want 2", got.N)
	}
	if none := ClassFIDDifference(train, trainY, good, goodY, far, farY, 0, 1); !math.IsNaN(none.Estimate) || none.Valid() {
		t.Errorf("no class: %v, want NaN and invalid", none)
	}
}
