package repro

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/baselines"
	"github.com/netdiffus/netdiffus/nblib/eval/stats"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// tinyGAN is a DoppelGANger-style GAN small enough for the Go backend in seconds.
func tinyGAN() baselines.Config {
	c, err := preset.DoppelGANger(preset.Smoke)
	if err != nil {
		panic(err)
	}
	c.GenUnits, c.AttrUnits, c.DiscUnits, c.BatchSize, c.SampleLen, c.Steps = 8, 8, 12, 8, 4, 4
	return c
}

// TestGANFigureWiring runs Fig. 2(b) end to end on a tiny diffusion model and a tiny GAN: both sides
// are measured by pipeline.Measure on the same real images, so the classifiers trained on the original
// images score the same for both (same data, same classifiers, same seeds), both have the floors, the
// FID interval and the audit, and the result stores as a reference that reads back, tabulates and is
// judged.
func TestGANFigureWiring(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a tiny diffusion model and a tiny GAN")
	}
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	t.Setenv("NETDIFFUS_REFERENCE", t.TempDir())
	p := tinyPreset()
	p.Measure.PCAComponents = 4
	c := GANConfig{Figure: "fig2b", Preset: p, Specs: Fig2bSpecs, GANs: []baselines.Config{tinyGAN()}}
	r, err := GANFigure(c, false, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Rows) != 1 || r.Rows[0].Title != "WW" || len(r.Rows[0].Classes) != 3 {
		t.Fatalf("rows %+v", r.Rows)
	}
	row := r.Rows[0]
	for _, side := range []GANSide{row.NetDiffus, row.GAN} {
		if len(side.ClassFID) != 3 || math.IsNaN(side.ClassFIDMean) || side.Audit == "" || len(side.Classifiers) != 2 {
			t.Errorf("%s: class FIDs %v (mean %v), audit %q, %d classifiers", side.Generator, side.ClassFID, side.ClassFIDMean, side.Audit, len(side.Classifiers))
		}
		if side.FIDExcess.Method == "" {
			t.Errorf("%s: no FID excess interval: %+v", side.Generator, side.FIDExcess)
		}
		for _, k := range side.Classifiers {
			if len(k.Synth.Items) != 18 || k.Synth.TrainRows != 9 { // WW: 18 test traces; 3 synthetic per class
				t.Errorf("%s %s: %d per-trace outcomes, %d training rows; want 18 and 9", side.Generator, k.Classifier, len(k.Synth.Items), k.Synth.TrainRows)
			}
		}
	}
	for i, k := range row.NetDiffus.Classifiers {
		if g := row.GAN.Classifiers[i]; g.Classifier != k.Classifier || !reflect.DeepEqual(g.Original, k.Original) {
			t.Errorf("original scenario differs between the sides: NetDiffus %s %+v, GAN %s %+v", k.Classifier, k.Original, g.Classifier, g.Original)
		}
	}
	if row.Diversity <= 0 {
		t.Errorf("GAN diversity %v, want > 0", row.Diversity)
	}
	t.Logf("per-class FID: NetDiffus %.3f, GAN %.3f; paired gap %v", row.NetDiffus.ClassFIDMean, row.GAN.ClassFIDMean, row.ClassFIDGap)
	if gap := row.ClassFIDGap; gap.N != 3 || !gap.Valid() || math.Abs(gap.Estimate-(row.GAN.ClassFIDMean-row.NetDiffus.ClassFIDMean)) > 1e-6 {
		t.Errorf("per-class FID gap %v over %d classes: want valid over 3, estimate the measured GAN - NetDiffus %v",
			gap, gap.N, row.GAN.ClassFIDMean-row.NetDiffus.ClassFIDMean)
	}
	again, err := GANFigure(c, false, io.Discard)
	if err != nil || !reflect.DeepEqual(again, r) {
		t.Errorf("the second call must be the cache's identical result (err %v)", err)
	}
	checkGANReference(t, c, r)
}

// checkGANReference stores r as fig2b's reference and reads it back through the item, as `netdiffus
// repro fig2b -mode cpu -write-reference` and the notebook do.
func checkGANReference(t *testing.T, c GANConfig, r *GANResult) {
	t.Helper()
	it, err := ItemNamed("fig2b")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteReference("fig2b", c, r, "abc123", time.Date(2026, 12, 6, 5, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	ref, meta, err := it.Stored()
	if err != nil || meta == nil {
		t.Fatalf("stored reference: %v", err)
	}
	header, rows := it.Compare(r, ref)
	if len(header) != 5 || len(rows) != 8 {
		t.Fatalf("compare %v: %d rows", header, len(rows))
	}
	for _, row := range rows {
		if row[3] != row[4] {
			t.Errorf("reference column %q differs from this run %q in %v", row[3], row[4], row)
		}
	}
	if rows[1][1] != "FID gain" || rows[1][2] != "28.0%" || rows[5][2] != "+4.7" {
		t.Errorf("the paper's numbers: %v, %v", rows[1], rows[5])
	}
	if err := CheckReference("fig2b", c); err != nil {
		t.Error(err)
	}
	var buf bytes.Buffer
	if err := WriteStoredVerdicts(&buf); err != nil {
		t.Fatal(err)
	}
	if s := buf.String(); !strings.Contains(s, "**"+it.Title+"** (commit abc123") || !strings.Contains(s, "no stored cpu reference yet (`netdiffus repro fig2c") {
		t.Errorf("stored verdicts:\n%s", s)
	}
	figs, err := it.Plot(ref)
	if err != nil || len(figs) != 2 || figs[0].Name != "fig2b_fid_ww-doppelganger" || figs[1].Name != "fig2b_fig3_ww-doppelganger" {
		t.Errorf("figures %v, %v", figs, err)
	}
}

// ganAcc is an accuracy of n test traces of which the first k are classified right.
func ganAcc(k, n int) Acc {
	a := Acc{Mean: 100 * float64(k) / float64(n), Items: make([]float64, n)}
	for i := range k {
		a.Items[i] = 1
	}
	return a
}

// ganRow is a hand-made comparison: per-class FIDs of both sides, their difference with an interval of
// ± 0.5 and, per classifier, k of 40 test traces right with NetDiffus's and the GAN's images.
func ganRow(spec GANSpec, title string, ndFID, ganFID float64, ndRight, ganRight []int) GANRow {
	gap := ganFID - ndFID
	r := GANRow{Spec: spec, Title: title, Classes: []string{"a", "b"}, ClassFIDGap: stats.Interval{Estimate: gap, Lo: gap - 0.5, Hi: gap + 0.5, Method: "test", N: 2},
		NetDiffus: GANSide{Generator: "NetDiffus", ClassFID: []float64{ndFID, ndFID}, ClassFIDMean: ndFID},
		GAN:       GANSide{Generator: "gan", ClassFID: []float64{ganFID, ganFID}, ClassFIDMean: ganFID}, Diversity: 0.5}
	for i := range ndRight {
		name := fmt.Sprintf("c%d", i)
		r.NetDiffus.Classifiers = append(r.NetDiffus.Classifiers, GANClassifier{Classifier: name, Original: ganAcc(36, 40), Synth: ganAcc(ndRight[i], 40)})
		r.GAN.Classifiers = append(r.GAN.Classifiers, GANClassifier{Classifier: name, Original: ganAcc(36, 40), Synth: ganAcc(ganRight[i], 40)})
	}
	return r
}

// TestGANVerdicts: both claims are decided by the rule, the FID claim on the interval of the GAN's
// per-class FID minus NetDiffus's (holds above 0, does not hold below, cannot tell across), the
// accuracy claim on the paired interval over test traces; a comparison that fails fails the claim.
func TestGANVerdicts(t *testing.T) {
	for _, tc := range []struct {
		name         string
		rows         []GANRow
		fid, accWord string
	}{
		{"NetDiffus better", []GANRow{ganRow(Fig2bSpecs[0], "WW", 3, 4, []int{36, 34}, []int{10, 12})},
			": holds (GAN minus NetDiffus mean per-class FID, 95% paired bootstrap over the rows of each class: WW +1.00 [+0.50, +1.50] holds, FID gain 25.0% (paper 28.0%)).",
			": holds ("},
		{"the GAN better", []GANRow{ganRow(Fig2cSpecs[0], "D3-Google", 5, 4, []int{10, 12}, []int{36, 34}),
			ganRow(Fig2cSpecs[1], "D3-Alexa", 1, 10, []int{11, 12}, []int{36, 34})},
			": does not hold (GAN minus NetDiffus mean per-class FID, 95% paired bootstrap over the rows of each class: D3-Google -1.00 [-1.50, -0.50] does not hold, FID gain -25.0% (paper 85.6%); D3-Alexa +9.00 [+8.50, +9.50] holds, FID gain 90.0% (paper 85.6%)).",
			": does not hold ("},
		{"a tie", []GANRow{ganRow(Fig2bSpecs[0], "WW", 3, 3, []int{20, 20}, []int{20, 20})},
			": cannot tell (", ": cannot tell ("},
	} {
		v := GANVerdicts(&GANResult{Figure: "fig2b", Rows: tc.rows})
		if len(v) != 2 {
			t.Fatalf("%s: %q", tc.name, v)
		}
		if !strings.HasPrefix(v[0], "NetDiffus's per-class FID is below the GAN's: ") || !strings.Contains(v[0], tc.fid) {
			t.Errorf("%s: FID verdict %q, want it to contain %q", tc.name, v[0], tc.fid)
		}
		if !strings.Contains(v[1], tc.accWord) || !strings.Contains(v[1], "the paper: mean over the five classifiers") {
			t.Errorf("%s: accuracy verdict %q, want %q", tc.name, v[1], tc.accWord)
		}
	}
	if v := GANVerdicts(&GANResult{}); !strings.HasSuffix(v[0], "cannot tell (nothing measured).") {
		t.Errorf("no comparison: %q", v[0])
	}
}

// TestGANCompareOverallRow: with two comparisons the table ends with the gain on the mean FIDs over
// both, beside the paper's 85.6% for NetShare on D3, and a comparison only the reference has keeps
// its rows.
func TestGANCompareOverallRow(t *testing.T) {
	google := ganRow(Fig2cSpecs[0], "D3-Google", 2, 8, []int{30}, []int{20})
	alexa := ganRow(Fig2cSpecs[1], "D3-Alexa", 4, 8, []int{30}, []int{20})
	ww := ganRow(Fig2bSpecs[0], "WW", 1, 8, []int{30}, []int{20})
	_, rows := GANCompare(&GANResult{Figure: "fig2c", Rows: []GANRow{google, alexa}}, &GANResult{Figure: "fig2c", Rows: []GANRow{google, ww}})
	if want := []string{"all comparisons", "FID gain on the mean FIDs", "85.6%", "81.2%", "62.5%"}; !reflect.DeepEqual(rows[16], want) {
		t.Errorf("overall row %q, want %q", rows[16], want)
	}
	if rows[1][0] != "D3-Google vs gan" || rows[1][3] != "75.0%" || rows[1][4] != "75.0%" || rows[8][0] != "D3-Alexa vs gan" || rows[8][3] != "–" {
		t.Errorf("rows %q", rows[:9])
	}
	if len(rows) != 25 || rows[18][0] != "WW vs gan" || rows[18][2] != "28.0%" || rows[18][4] != notInPreset {
		t.Errorf("%d rows; the reference-only comparison: %q", len(rows), rows[17:])
	}
}

// TestMeasureSeriesCollapsedGenerator scores WW's real test traces (a perfect generator's fresh draws)
// and a collapsed generator (every trace of every class the same ramp) through pipeline.Measure, as
// diffusion samples are scored: the collapsed one has the larger per-class FID, the larger FID excess
// over the real floor, chance synth accuracy at best, and diversity 0; both are audited or say why not.
func TestMeasureSeriesCollapsedGenerator(t *testing.T) {
	p := tinyPreset()
	p.Net.Size, p.Measure.PCAComponents = 16, 8
	data, err := pipeline.LoadDefault(p, "ww", "")
	if err != nil {
		t.Fatal(err)
	}
	ds, err := datasets.Load("ww", p.Data.Variant, p.Data.Seed)
	if err != nil {
		t.Fatal(err)
	}
	_, good := baselines.SplitReal(ds, p.Data.TrainFraction, p.Data.Seed)
	all := make([]int, len(good.Traces))
	for i := range all {
		all[i] = i
	}
	flat := good.Subset(all) // copies the traces; their values are replaced below
	for i, tr := range good.Traces {
		ramp := make([]float64, len(tr.Values))
		for k := range ramp {
			ramp[k] = float64(k)
		}
		flat.Traces[i].Values = ramp
	}
	mg, dg, err := MeasureSeries(nil, p, data, good)
	if err != nil {
		t.Fatal(err)
	}
	mc, dc, err := MeasureSeries(nil, p, data, flat)
	if err != nil {
		t.Fatal(err)
	}
	g, c := ganSide("real test traces", mg), ganSide("collapsed", mc)
	t.Logf("per-class FID good %.3f collapsed %.3f; excess %v / %v; synth accuracy %.1f / %.1f; diversity %.2f / %.2f",
		g.ClassFIDMean, c.ClassFIDMean, g.FIDExcess, c.FIDExcess, g.SynthMean(), c.SynthMean(), dg.Mean, dc.Mean)
	if !(c.ClassFIDMean > 2*g.ClassFIDMean) || !(c.FIDExcess.Estimate > g.FIDExcess.Estimate) {
		t.Errorf("per-class FID collapsed %.3f, good %.3f (want > 2x); excess %v, %v", c.ClassFIDMean, g.ClassFIDMean, c.FIDExcess, g.FIDExcess)
	}
	if chance := 100.0 / 3; c.SynthMean() > chance+1e-9 || g.SynthMean() < c.SynthMean()+20 {
		t.Errorf("synth accuracy: collapsed %.1f (one image for every class: chance at best), good %.1f (want 20 points more)", c.SynthMean(), g.SynthMean())
	}
	if dc.Mean != 0 || dg.Mean < 0.5 {
		t.Errorf("diversity collapsed %v (want 0), good %v (want >= 0.5)", dc.Mean, dg.Mean)
	}
	for _, m := range []*pipeline.Measures{mg, mc} {
		if m.Audit == nil && m.AuditNote == "" {
			t.Error("a generator was neither audited nor told why")
		}
	}
}

// TestGANPlan: each comparison is two jobs, NetDiffus's standard model (the folder the experiment
// trains in) and the GAN (the folder its checkpoints go to), so that a cluster can train them apart.
func TestGANPlan(t *testing.T) {
	p := preset.CPUPreset()
	jobs, err := Plan("fig2c", p)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, j := range jobs {
		keys = append(keys, j.Key)
	}
	google := ExperimentFor(p, "d3", "google").ModelDir()
	alexa := ExperimentFor(p, "d3", "alexa").ModelDir()
	c := Fig2cFor(p)
	want := []string{filepath.Base(google), filepath.Base(ganModelDir(p, c.Specs[0], c.GANs[0])), filepath.Base(alexa), filepath.Base(ganModelDir(p, c.Specs[1], c.GANs[1]))}
	if !reflect.DeepEqual(keys, want) || !strings.HasPrefix(keys[1], "baseline-d3-google-netshare-netshare-cpu-") {
		t.Errorf("fig2c's jobs %q, want %q", keys, want)
	}
	// The GAN's folder follows its data: the same comparison on another variant trains elsewhere.
	other := p
	other.Data.Variant = datasets.Full
	if ganModelDir(other, c.Specs[0], c.GANs[0]) == ganModelDir(p, c.Specs[0], c.GANs[0]) {
		t.Error("the GAN's folder does not change with the data variant")
	}
	b := Fig2bFor(p)
	if j, err := FindJob(filepath.Base(ganModelDir(p, b.Specs[0], b.GANs[0])), p); err != nil || !strings.Contains(j.What, "WW, the doppelganger-cpu GAN (3000 steps)") {
		t.Errorf("fig2b's GAN job: %+v, %v", j, err)
	}
	custom := p
	custom.Name = "mine"
	if _, err := Plan("fig2b", custom); err == nil || !strings.Contains(err.Error(), "no GAN size") {
		t.Errorf("a preset without a GAN size: %v", err)
	}
}
