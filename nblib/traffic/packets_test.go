package traffic

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// f.Of of PacketsFromSeries gives back the series, for every packet feature, when the series holds what
// a capture can (whole bytes from MinFrame up, no empty leading bin); bytes per bin are kept exactly,
// spread over MaxFrame-sized packets.
func TestPacketsFromSeriesRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 1))
	randomBins := make([]float64, 40)
	for j := range randomBins {
		if j == 0 || rng.IntN(4) > 0 {
			randomBins[j] = float64(MinFrame + rng.IntN(20000))
		}
	}
	for _, tc := range []struct {
		name   string
		f      Feature
		series []float64
	}{
		{"signed sizes, padded", PacketFeature(SignedSizes, 8), []float64{-1514, 60, 60, -800, 1514, 0, 0, 0}},
		{"sizes", PacketFeature(Sizes, 4), []float64{54, 1514, 700, 99}},
		{"directions", PacketFeature(Directions, 5), []float64{1, -1, -1, 1, 0}},
		{"gaps", PacketFeature(Gaps, 5), []float64{0, 0.5, 0.25, 2, 0}},
		{"bytes per bin, down", BinnedBytes(0.25, 2, Down), []float64{3000, 0, 54, 1514, 1515, 10000, 0, 0}},
		{"bytes per bin, random", BinnedBytes(1, 40, Up), randomBins},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pk, err := PacketsFromSeries(tc.series, tc.f, 0.5)
			if err != nil {
				t.Fatal(err)
			}
			for k, p := range pk {
				if p.Size < MinFrame || p.Size > MaxFrame || p.Size != math.Trunc(p.Size) {
					t.Fatalf("packet %d has size %g: not a whole frame size in %d..%d", k, p.Size, MinFrame, MaxFrame)
				}
				if k > 0 && p.Time < pk[k-1].Time {
					t.Fatalf("packet %d at %g s is before packet %d at %g s", k, p.Time, k-1, pk[k-1].Time)
				}
			}
			back, err := tc.f.Of(&Trace{ID: "x", Packets: pk})
			if err != nil {
				t.Fatal(err)
			}
			for k := range back {
				if math.Abs(back[k]-tc.series[k]) > 1e-9 {
					t.Fatalf("value %d read back as %g, written %g (series %v, back %v)", k, back[k], tc.series[k], tc.series, back)
				}
			}
		})
	}
}

// What a capture cannot hold is changed in the documented way: sizes below MinFrame are raised to it,
// fractions rounded; a ready series and non-finite values are errors.
func TestPacketsFromSeriesLimits(t *testing.T) {
	pk, err := PacketsFromSeries([]float64{-3, 10.4, 1500.6}, PacketFeature(SignedSizes, 3), 1)
	if err != nil {
		t.Fatal(err)
	}
	sizes := []float64{pk[0].Size, pk[1].Size, pk[2].Size}
	if !slices.Equal(sizes, []float64{MinFrame, MinFrame, 1501}) || pk[0].Dir != Down || pk[1].Dir != Up {
		t.Errorf("packets %+v: want sizes 54, 54, 1501 and directions down, up, up", pk)
	}
	pk, err = PacketsFromSeries([]float64{20}, BinnedBytes(1, 1, 0), 1)
	if err != nil || len(pk) != 1 || pk[0].Size != MinFrame || pk[0].Dir != Down {
		t.Errorf("a 20-byte bin gave %+v, %v: want one 54-byte packet, down (both directions)", pk, err)
	}
	for _, bad := range []struct {
		s []float64
		f Feature
	}{
		{[]float64{1, 2}, PacketFeature(Values, 2)},
		{[]float64{math.NaN()}, PacketFeature(Sizes, 1)},
		{[]float64{math.Inf(1)}, BinnedBytes(1, 1, 0)},
	} {
		if _, err := PacketsFromSeries(bad.s, bad.f, 1); err == nil {
			t.Errorf("%v of %v: no error", bad.s, bad.f)
		}
	}
	if _, err := PacketsFromSeries([]float64{1}, PacketFeature(Sizes, 1), 0); err == nil {
		t.Error("step 0: no error")
	}
}
