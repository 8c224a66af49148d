package features

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// scaledTraces draws n traces per class of length 100: a class shape (a sine of the class's period
// with noise) times a scale of the trace's own (log-normal around the class's base), or times the
// fixed scale shared[c] when shared is given: what a generator with one scale per class makes.
func scaledTraces(rng *rand.Rand, n int, shared []float64) ([][]float64, []int) {
	var out [][]float64
	var y []int
	for c, base := range []float64{500, 1200} {
		for range n {
			scale := base * math.Exp(0.6*rng.NormFloat64())
			if shared != nil {
				scale = shared[c]
			}
			tr := make([]float64, 100)
			for k := range tr {
				tr[k] = scale * (1.2 + math.Sin(2*math.Pi*float64(k)/float64(8+8*c)) + 0.3*rng.NormFloat64())
			}
			out = append(out, tr)
			y = append(y, c)
		}
	}
	return out, y
}

// The trace measures tell a generator that draws each trace's scale (as the real process does) from
// one that returns the right shapes with a shared per-class scale (the class's mean): the shared one's
// within-class volume distance is at least 2.5 times its floor and 1.5 times the faithful one's, its
// value JSD at least 5 times its floor; the faithful generator stays within 2.5 times the floor on both.
// Tolerances: over seeds 24 to 27 the shared/floor ratios were 2.8 to 3.8 (volume) and 7.5 to 13.6
// (JSD), shared/faithful volume 2.0 to 5.6, and the faithful/floor ratios at most 2.1; the margins
// leave room for the floors' scatter at 40 test traces per class.
func TestRealTracesDetectSharedClassScale(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 24))
	train, trainY := scaledTraces(rng, 60, nil)
	test, testY := scaledTraces(rng, 40, nil)
	faithful, faithfulY := scaledTraces(rng, 40, nil)
	mean := []float64{0, 0}
	for i, tr := range train { // the class mean of the scales, read back from the traces' means (1.2 x scale)
		s := 0.0
		for _, v := range tr {
			s += v
		}
		mean[trainY[i]] += s / float64(len(tr)) / 1.2 / 60
	}
	shared, sharedY := scaledTraces(rng, 40, mean)
	good, err := MeasureRealTraces(train, trainY, test, testY, faithful, faithfulY, TraceConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	bad, err := MeasureRealTraces(train, trainY, test, testY, shared, sharedY, TraceConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("faithful: volume %v, value EMD %v, JSD %v, discriminative %v", good.VolumeEMD, good.ValueEMD, good.ValueJSD, good.Discriminative)
	t.Logf("shared:   volume %v, value EMD %v, JSD %v, discriminative %v", bad.VolumeEMD, bad.ValueEMD, bad.ValueJSD, bad.Discriminative)
	if bad.VolumeEMD.Value < 2.5*bad.VolumeEMD.Floor || bad.VolumeEMD.Value < 1.5*good.VolumeEMD.Value {
		t.Errorf("shared per-class scale: volume EMD %v, faithful %v: not detected", bad.VolumeEMD, good.VolumeEMD)
	}
	if bad.ValueJSD.Value < 5*bad.ValueJSD.Floor {
		t.Errorf("shared per-class scale: value JSD %v: not detected", bad.ValueJSD)
	}
	if good.VolumeEMD.Value > 2.5*good.VolumeEMD.Floor || good.ValueJSD.Value > 2.5*good.ValueJSD.Floor {
		t.Errorf("faithful generator: volume EMD %v, value JSD %v: more than 2.5 times the floor", good.VolumeEMD, good.ValueJSD)
	}
}

// Traces of another length (an image side's 16 values against 100) are measured, not refused; their
// length distance is the difference of the lengths.
func TestRealTracesOfOtherLength(t *testing.T) {
	rng := rand.New(rand.NewPCG(24, 25))
	train, trainY := scaledTraces(rng, 10, nil)
	test, testY := scaledTraces(rng, 10, nil)
	short := make([][]float64, len(test))
	for i, tr := range test {
		short[i] = tr[:16]
	}
	r, err := MeasureRealTraces(train, trainY, test, testY, short, testY, TraceConfig{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if r.Lengths != [3]int{100, 100, 16} || r.LengthEMD.Value != 84 || r.LengthEMD.Floor != 0 || r.MaxLag != 8 {
		t.Errorf("lengths %v, length EMD %v, lags %d: want 100 100 16, 84 (floor 0), 8", r.Lengths, r.LengthEMD, r.MaxLag)
	}
	if _, err := MeasureRealTraces(train, trainY, test[:3], testY[:3], short, testY, TraceConfig{}); err == nil {
		t.Error("3 real test traces: no error")
	}
}

// Synthetic traces of the right values but a fixed length of 16 against real traces of 100 values:
// the length distance says so, in values.
func ExampleMeasureRealTraces() {
	rng := rand.New(rand.NewPCG(1, 2))
	train, trainY := scaledTraces(rng, 10, nil)
	test, testY := scaledTraces(rng, 10, nil)
	short := make([][]float64, len(test))
	for i, tr := range test {
		short[i] = tr[:16]
	}
	r, _ := MeasureRealTraces(train, trainY, test, testY, short, testY, TraceConfig{Seed: 1})
	fmt.Printf("length EMD %.0f values (floor %.0f)\n", r.LengthEMD.Value, r.LengthEMD.Floor)
	// Output: length EMD 84 values (floor 0)
}
