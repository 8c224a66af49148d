package privacy_test

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/nblib/eval/privacy"
	"github.com/netdiffus/netdiffus/nblib/eval/stats"
	"github.com/netdiffus/netdiffus/nblib/gasf"
	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/synth"
)

// standIn draws D1-like video sessions (3 videos of one platform, sessions numbered from 0) from the
// stand-in generator and images them as 16x16 GASF images on [0, 1]: sessions [from, from+n) of every
// video. Sessions are drawn from their own seeds, so two ranges are independent draws of one
// distribution: the fresh-data oracle.
func standIn(t *testing.T, from, n int) privacy.Set {
	t.Helper()
	ds := synth.Video(synth.VideoConfig{Platforms: synth.DefaultPlatforms()[2:], Videos: 3, TracesPerVideo: from + n,
		Duration: 180, Bin: traffic.DefaultBin, Noise: 1}, 1)
	series, err := ds.Series(ds.Default)
	if err != nil {
		t.Fatal(err)
	}
	labels := ds.Labels()
	var rows [][]float64
	var y []int
	for i, s := range series {
		if k := i % (from + n); k >= from {
			img, err := gasf.Encode(s, gasf.DefaultParams(16))
			if err != nil {
				t.Fatal(err)
			}
			px := make([]float64, len(img.Pix))
			for j, b := range img.Pix {
				px[j] = float64(b) / 255
			}
			rows, y = append(rows, px), append(y, labels[i])
		}
	}
	x := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		x.SetRow(i, r)
	}
	return privacy.Set{X: x, Y: y}
}

// noisyCopies is a "generator" that hands back its training examples with a little noise: k copies of
// each.
func noisyCopies(train privacy.Set, k int, sd float64, seed uint64) privacy.Set {
	rng := rand.New(rand.NewPCG(seed, 1))
	n, d := train.X.Dims()
	x := mat.NewDense(n*k, d, nil)
	var y []int
	for c := range k {
		for i := range n {
			row := x.RawRowView(c*n + i)
			for j := range d {
				row[j] = train.X.At(i, j) + sd*rng.NormFloat64()
			}
			y = append(y, train.Y[i])
		}
	}
	return privacy.Set{X: x, Y: y}
}

// TestAuditFlagsCopiesNotFreshData proves the audit can fail both ways on the stand-in video data: a
// generator returning its 15 training sessions per class with noise far below the data's spread is
// flagged on every signal, and fresh sessions of the same videos (what a perfect generator draws) are
// not flagged at all.
func TestAuditFlagsCopiesNotFreshData(t *testing.T) {
	train, test := standIn(t, 0, 15), standIn(t, 15, 10)
	fresh := standIn(t, 25, 20)
	copies := noisyCopies(train, 2, 0.01, 3)

	rc, err := privacy.Audit("images", train, test, copies, privacy.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("copies: ", rc.Summary())
	if !rc.Flagged || rc.Warning == "" {
		t.Errorf("noisy copies were not flagged: %s", rc.Summary())
	}
	for name, v := range map[string]stats.Verdict{"closer": rc.Closer, "near copies": rc.NearCopies, "membership": rc.Membership, "density ratio": rc.DensityRatio} {
		if v.Outcome != stats.Holds {
			t.Errorf("copies: %s: %v, want holds", name, v)
		}
	}
	if rc.Pooled.DCRRatio.Hi > 0.2 {
		t.Errorf("copies: DCR ratio %v, want far below 1", rc.Pooled.DCRRatio)
	}

	rf, err := privacy.Audit("images", train, test, fresh, privacy.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Log("fresh: ", rf.Summary())
	if rf.Flagged {
		t.Errorf("fresh draws of the data were flagged: %s", rf.Warning)
	}
	if !rf.Pooled.DCRRatio.Contains(1) {
		t.Errorf("fresh data: DCR ratio %v does not contain 1", rf.Pooled.DCRRatio)
	}
	if !rf.Pooled.MembershipAUC.Contains(0.5) || !rf.Pooled.DensityRatioAUC.Contains(0.5) {
		t.Errorf("fresh data: membership AUCs %v / %v do not contain 0.5", rf.Pooled.MembershipAUC, rf.Pooled.DensityRatioAUC)
	}
	if len(rf.Classes) != 3 {
		t.Errorf("fresh data: %d per-class results, want 3", len(rf.Classes))
	}
}

// TestAuditPartialCopying: half of the synthetic set is fresh, half copies. The distance signals see
// the copies; the pooled DCR ratio lies between the two pure cases.
func TestAuditPartialCopying(t *testing.T) {
	train, test := standIn(t, 0, 15), standIn(t, 15, 10)
	fresh, copies := standIn(t, 25, 15), noisyCopies(train, 1, 0.01, 4)
	var both mat.Dense
	both.Stack(fresh.X, copies.X)
	mixed := privacy.Set{X: &both, Y: append(append([]int{}, fresh.Y...), copies.Y...)}
	r, err := privacy.Audit("images", train, test, mixed, privacy.Config{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Flagged || r.NearCopies.Outcome != stats.Holds {
		t.Errorf("half copies: %s", r.Summary())
	}
	if s := r.Pooled.NearCopyShare.Estimate; s < 0.4 || s > 0.6 {
		t.Errorf("half copies: near-copy share %.2f, want about 0.5", s)
	}
}

func TestAuditErrors(t *testing.T) {
	train := standIn(t, 0, 4)
	for _, tc := range []struct {
		name              string
		train, test, synt privacy.Set
		cfg               privacy.Config
	}{
		{"empty synthetic", train, train, privacy.Set{}, privacy.Config{}},
		{"rows and labels differ", train, privacy.Set{X: train.X, Y: train.Y[:2]}, train, privacy.Config{}},
		{"sizes differ", train, train, privacy.Set{X: mat.NewDense(2, 3, nil), Y: []int{0, 0}}, privacy.Config{}},
		{"no shared class", train, train, privacy.Set{X: train.X, Y: constant(len(train.Y), 99)}, privacy.Config{}},
		{"quantile out of range", train, train, train, privacy.Config{NearCopyQuantile: 0.7}},
	} {
		if _, err := privacy.Audit("images", tc.train, tc.test, tc.synt, tc.cfg); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func constant(n, v int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}
