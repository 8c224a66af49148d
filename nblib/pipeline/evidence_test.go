package pipeline

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/stats"
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
	t.Log(fresh.EvidenceSummary())
}

// TestFullTraceAuditSeesTheDonorDecoder: the trace decoder takes each synthetic trace's values from a
// real training trace (TraceDecoder). Fed the real test images, as a perfect image generator would
// be, its full-length traces are still flagged as near copies of training traces on the real Echo data
// and on D1-Netflix, while the images and the image-side decoded series are not: the audit sees what
// the decoder adds. (Measured: DCR ratio 0.25 and 0.41, near copies 80% and 95%.)
func TestFullTraceAuditSeesTheDonorDecoder(t *testing.T) {
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
		if !m.FullTraceAudit.Flagged || m.FullTraceAudit.NearCopies.Outcome != stats.Holds || m.FullTraceAudit.Closer.Outcome != stats.Holds {
			t.Errorf("%s: the donor decoder's traces not flagged:\n%s", tc.dataset, m.FullTraceAudit.Summary())
		}
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
