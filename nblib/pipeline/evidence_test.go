package pipeline

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
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
	if !fresh.FIDExcess.Valid() || stats.Decide(stats.Greater(0), fresh.FIDExcess).Outcome == stats.Holds {
		t.Errorf("real test images as synthetic: FID excess %v, want an interval not above 0", fresh.FIDExcess)
	}
	t.Log(fresh.EvidenceSummary())
}
