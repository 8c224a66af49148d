package protocols

import (
	"math"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/internal/synthdata"
	"github.com/netdiffus/netdiffus/nblib/gasf"
	"github.com/netdiffus/netdiffus/nblib/internal/testbackend"
)

// traces returns synthdata series as Traces.
func traces(seed uint64, k, n, l int, noise float64) Traces {
	x, y := synthdata.Series(seed, k, n, l, noise)
	out := Traces{Y: y}
	for i := range len(y) {
		out.Series = append(out.Series, append([]float64(nil), x.RawRowView(i)...))
	}
	return out
}

// GASFImages must hold gasf.Encode's 8-bit pixels / 255, and NormalisedSeries the per-trace min-max
// map; both are exact (the same float32 division, and one float64 subtraction and division).
func TestViews(t *testing.T) {
	tr := traces(1, 2, 3, 24, 0.1)
	im, err := GASFImages(tr.Series, 8)
	if err != nil {
		t.Fatal(err)
	}
	x, err := NormalisedSeries(tr.Series)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range tr.Series {
		img, err := gasf.Encode(s, gasf.DefaultParams(8))
		if err != nil {
			t.Fatal(err)
		}
		for j, p := range img.Pix {
			if got := im.Pixels.At(i, j); got != float64(float32(p)/255) {
				t.Fatalf("image %d pixel %d = %g, want %d/255", i, j, got, p)
			}
		}
		lo, hi := slicesMinMax(s)
		for j, v := range s {
			if want := (v - lo) / (hi - lo); x.At(i, j) != want {
				t.Fatalf("series %d step %d = %g, want %g", i, j, x.At(i, j), want)
			}
		}
	}
	if _, err := NormalisedSeries([][]float64{{1, 2}, {1}}); err == nil {
		t.Error("ragged series accepted")
	}
}

func slicesMinMax(s []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range s {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return
}

// Table 3 on cnn2: each fraction trains both views on the same number of traces, and on
// this easy 3-class problem both views learn (chance is 1/3; 0.6 leaves a wide margin for 4 epochs).
func TestSeriesVsImages(t *testing.T) {
	cfg := CPUConfig()
	cfg.Seeds, cfg.Fractions, cfg.Epochs, cfg.BatchSize = []uint64{1}, []float64{0.5, 1}, 4, 10
	train, test := traces(1, 3, 20, 32, 0.05), traces(2, 3, 10, 32, 0.05)
	pts, err := SeriesVsImages(cfg, testbackend.Go(t), train, test, 16)
	if err != nil {
		t.Fatal(err)
	}
	for i, rows := range []int{30, 60} {
		p := pts[i]
		if p.Series.TrainRows != rows || p.Images.TrainRows != rows {
			t.Errorf("fraction %g: %d series and %d image rows, want %d", p.Fraction, p.Series.TrainRows, p.Images.TrainRows, rows)
		}
		t.Logf("fraction %g: 1-D %.3f, 2-D %.3f", p.Fraction, p.Series.AccMean, p.Images.AccMean)
	}
	if pts[1].Series.AccMean < 0.6 || pts[1].Images.AccMean < 0.6 {
		t.Errorf("full-fraction accuracies 1-D %g, 2-D %g: a view did not learn", pts[1].Series.AccMean, pts[1].Images.AccMean)
	}
	short := traces(3, 3, 5, 16, 0.05)
	if _, err := SeriesVsImages(cfg, testbackend.Go(t), train, short, 16); err == nil || !strings.Contains(err.Error(), "length 32 but test traces 16") {
		t.Errorf("length mismatch: %v", err)
	}
}

// Table 2 with a perfect 2-D generator (the real generator, another seed) and a poor 1-D one (series
// four times noisier): the 2-D set must have the lower per-class FID and train a classifier at least
// as well.
func TestDiffusionDims(t *testing.T) {
	const size = 16
	realTr, realTe := traces(1, 3, 40, size, 0.05), traces(2, 3, 40, size, 0.05)
	good := traces(3, 3, 40, size, 0.05)
	poor := traces(4, 3, 40, size, 0.2)
	images := func(tr Traces) LabelledImages {
		im, err := GASFImages(tr.Series, size)
		if err != nil {
			t.Fatal(err)
		}
		return LabelledImages{Images: im, Y: tr.Y}
	}
	train, test := images(realTr), images(realTe)
	pca, err := features.FitPCA(train.Images, 8)
	if err != nil {
		t.Fatal(err)
	}
	res, err := DiffusionDims(nb, pca, train, test, poor, images(good), 0, []uint64{1})
	if err != nil {
		t.Fatal(err)
	}
	oneD, twoD := res.Sources[0], res.Sources[1]
	if oneD.Name != Diffusion1D || twoD.Name != Diffusion2D || oneD.OriSynth.TrainRows != 240 {
		t.Errorf("sources %s, %s; ori+synth rows %d", oneD.Name, twoD.Name, oneD.OriSynth.TrainRows)
	}
	t.Logf("FID 1-D %.3f ± %.3f, 2-D %.3f ± %.3f; synth acc 1-D %.3f, 2-D %.3f; original %.3f",
		oneD.FID.Mean, oneD.FID.Std, twoD.FID.Mean, twoD.FID.Std, oneD.Synth.AccMean, twoD.Synth.AccMean, res.Original.AccMean)
	if !(twoD.FID.Mean < oneD.FID.Mean) {
		t.Errorf("FID of the perfect generator %g not below the noisy one's %g", twoD.FID.Mean, oneD.FID.Mean)
	}
	if twoD.Synth.AccMean < oneD.Synth.AccMean {
		t.Errorf("synth accuracy: perfect generator %g < noisy %g", twoD.Synth.AccMean, oneD.Synth.AccMean)
	}
	big := traces(5, 3, 10, 2*size, 0.05)
	bigImages, err := GASFImages(big.Series, 2*size)
	if err != nil {
		t.Fatal(err)
	}
	wrong := LabelledImages{Images: bigImages, Y: big.Y}
	if _, err := DiffusionDims(nb, pca, train, test, poor, wrong, 0, []uint64{1}); err == nil || !strings.Contains(err.Error(), "resize") {
		t.Errorf("32x32 synthetic vs 16x16 real: %v", err)
	}
}
