package repro

// Opt-in fidelity measurements on real traffic (issue 15). Nothing here runs unless NETDIFFUS_FIDELITY
// is set, and each test skips when ../shared/datasets lacks the data:
//
//	NETDIFFUS_FIDELITY=train NETDIFFUS_FIDELITY_DATA=alexa NETDIFFUS_FIDELITY_STEPS=1500 \
//	  go test -count=1 -timeout 0 -run TestFidelityRealTrain -v ./nblib/repro/
//	NETDIFFUS_FIDELITY=eval NETDIFFUS_FIDELITY_DATA=alexa NETDIFFUS_FIDELITY_SAMPLERS=ddim50,ddpm250 \
//	  go test -count=1 -timeout 0 -run TestFidelityRealEval -v ./nblib/repro/
//
// With NETDIFFUS_FIDELITY_PIXTOL=0.05 the eval fails a sampler whose synthetic pixel mean or standard
// deviation (pixels in [0, 1]) is more than 0.05 from the real training images'.
//
// The model (unet.Quick: 32x32 images, the cpu preset's U-Net) is checkpointed under
// NETDIFFUS_FIDELITY_DIR (default $TMPDIR/netdiffus-fidelity/<data>), so training resumes and every
// sampler is compared on one trained model. Data: alexa = vcfp-alexa, the first 24 voice commands
// (signed packet sizes of the first 300 packets, the project's D3 feature; 8 training and 2 test
// traces per command); pensieve = pensieve-bw, cooked_traces for training and cooked_test_traces for
// testing, bytes per second over the first 256 s, classes the transport mode.

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

const sharedDatasets = "../../../shared/datasets"

func fidelityPhase(t *testing.T, phase string) {
	t.Helper()
	if os.Getenv("NETDIFFUS_FIDELITY") != phase {
		t.Skipf("opt-in measurement: set NETDIFFUS_FIDELITY=%s", phase)
	}
}

func fidelityData() string {
	if d := os.Getenv("NETDIFFUS_FIDELITY_DATA"); d != "" {
		return d
	}
	return "alexa"
}

func fidelityDir(data string) string {
	if d := os.Getenv("NETDIFFUS_FIDELITY_DIR"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "netdiffus-fidelity", data)
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

// loadRealFidelity reads and images one real dataset (see the file comment).
func loadRealFidelity(t *testing.T, data string, size int) *realImages {
	t.Helper()
	switch data {
	case "alexa":
		dir := filepath.Join(sharedDatasets, "vcfp-alexa")
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("real dataset %s not present (%v)", dir, err)
		}
		ds, _, err := trafficio.ReadCSVFolder(filepath.Join(dir, "trace_csv"), trafficio.FolderOptions{Labels: filepath.Join(dir, "labels.csv")})
		if err != nil {
			t.Fatal(err)
		}
		series, err := ds.Series(traffic.PacketFeature(traffic.SignedSizes, 300))
		if err != nil {
			t.Fatal(err)
		}
		k := envInt("NETDIFFUS_FIDELITY_CLASSES", 24)
		var keep [][]float64
		var labels []int
		for i, y := range ds.Labels() {
			if y < k {
				keep, labels = append(keep, series[i]), append(labels, y)
			}
		}
		split := traffic.SplitPerClass(labels, 0.8, traffic.FirstInOrder, 1)
		r := &realImages{classes: ds.Classes[:k], imageSize: size, seriesLn: 300}
		if r.train, r.trainY, err = imageArray(keep, labels, split.Train, size); err != nil {
			t.Fatal(err)
		}
		if r.test, r.testY, err = imageArray(keep, labels, split.Test, size); err != nil {
			t.Fatal(err)
		}
		return r
	case "pensieve":
		dir := filepath.Join(sharedDatasets, "pensieve-bw")
		if _, err := os.Stat(dir); err != nil {
			t.Skipf("real dataset %s not present (%v)", dir, err)
		}
		f := traffic.Feature{Kind: traffic.Values, Length: 256, Bin: 1}
		read := func(sub string) (*traffic.Dataset, [][]float64) {
			ds, _, err := trafficio.ReadThroughput(filepath.Join(dir, sub), trafficio.ThroughputOptions{})
			if err != nil {
				t.Fatal(err)
			}
			s, err := ds.Series(f)
			if err != nil {
				t.Fatal(err)
			}
			return ds, s
		}
		trds, trs := read("cooked_traces")
		teds, tes := read("cooked_test_traces")
		classes := trds.Classes
		index := map[string]int{}
		for i, c := range classes {
			index[c] = i
		}
		remap := func(ds *traffic.Dataset) []int {
			out := make([]int, len(ds.Traces))
			for i, tr := range ds.Traces {
				c, ok := index[tr.Label]
				if !ok {
					c = -1
				}
				out[i] = c
			}
			return out
		}
		r := &realImages{classes: classes, imageSize: size, seriesLn: 256}
		var err error
		trY, teY := remap(trds), remap(teds)
		rows := func(y []int) []int {
			var out []int
			for i, c := range y {
				if c >= 0 {
					out = append(out, i)
				}
			}
			return out
		}
		if r.train, r.trainY, err = imageArray(trs, trY, rows(trY), size); err != nil {
			t.Fatal(err)
		}
		if r.test, r.testY, err = imageArray(tes, teY, rows(teY), size); err != nil {
			t.Fatal(err)
		}
		return r
	}
	t.Fatalf("NETDIFFUS_FIDELITY_DATA=%q: use alexa or pensieve", data)
	return nil
}

// fidelityModel is the cpu preset's model: unet.Quick with the lr from NETDIFFUS_FIDELITY_LR (e2-4 default).
func fidelityModel(classes int) unet.Config {
	m := unet.Quick(classes)
	if v, err := strconv.ParseFloat(os.Getenv("NETDIFFUS_FIDELITY_LR"), 64); err == nil {
		m.Train.LearningRate = v
	}
	return m
}

func TestFidelityRealTrain(t *testing.T) {
	fidelityPhase(t, "train")
	data := fidelityData()
	r := loadRealFidelity(t, data, 32)
	t.Logf("%s: %d classes, %d training and %d test images", data, len(r.classes), r.train.Batch(), r.test.Batch())
	b, _, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	dir := fidelityDir(data)
	var tr *unet.Trainer
	if ck, err := unet.Checkpoints(dir); err == nil && len(ck) > 0 {
		if tr, err = unet.Resume(b, dir); err != nil {
			t.Fatal(err)
		}
	} else if tr, err = unet.New(b, fidelityModel(len(r.classes))); err != nil {
		t.Fatal(err)
	}
	sh, err := unet.NewShuffler(r.train, r.trainY, tr.Config.Train.BatchSize, tr.Config.Train.Seed+uint64(tr.Steps()))
	if err != nil {
		t.Fatal(err)
	}
	steps := int64(envInt("NETDIFFUS_FIDELITY_STEPS", 1500))
	last, err := tr.Run(context.Background(), sh, unet.RunConfig{MaxSteps: steps, ReportEvery: 50, CheckpointDir: dir, CheckpointEvery: 250, Keep: 3,
		Progress: func(p unet.Progress) {
			fmt.Printf("step %5d loss %.4f %.1f img/s %s\n", p.Step, p.MeanLoss, p.ImagesPerSec, p.Elapsed.Round(time.Second))
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trained to step %d, checkpoint %s", last.Step, last.Checkpoint)
}

// samplerSpec parses "ddim50", "ddim50e1" (eta 1), "ddpm250", with optional suffixes "t" (trailing
// spacing) or "l" (linspace spacing), then "g<scale>" (guidance), e.g. "ddim50tg2".
func samplerSpec(s string) (diffusion.SampleConfig, float64, error) {
	cfg := diffusion.SampleConfig{ClipDenoised: true}
	guidance := 1.0
	if i := strings.Index(s, "g"); i > 0 {
		g, err := strconv.ParseFloat(s[i+1:], 64)
		if err != nil {
			return cfg, 0, err
		}
		guidance, s = g, s[:i]
	}
	if strings.HasSuffix(s, "t") {
		cfg.Spacing, s = diffusion.Trailing, strings.TrimSuffix(s, "t")
	} else if strings.HasSuffix(s, "l") {
		cfg.Spacing, s = diffusion.Linspace, strings.TrimSuffix(s, "l")
	}
	if i := strings.Index(s, "e"); i > 4 {
		e, err := strconv.ParseFloat(s[i+1:], 64)
		if err != nil {
			return cfg, 0, err
		}
		cfg.Eta, s = e, s[:i]
	}
	switch {
	case strings.HasPrefix(s, "ddim"):
		cfg.Sampler = diffusion.DDIM
	case strings.HasPrefix(s, "ddpm"):
		cfg.Sampler = diffusion.DDPM
	default:
		return cfg, 0, fmt.Errorf("sampler %q: want ddimN or ddpmN", s)
	}
	n, err := strconv.Atoi(s[4:])
	cfg.Steps = n
	return cfg, guidance, err
}

func TestFidelityRealEval(t *testing.T) {
	fidelityPhase(t, "eval")
	data := fidelityData()
	r := loadRealFidelity(t, data, 32)
	b, _, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := unet.Resume(b, envOr("NETDIFFUS_FIDELITY_CKPT", fidelityDir(data)))
	if err != nil {
		t.Fatal(err)
	}
	den, warn, err := tr.DenoiserWithWarning(os.Getenv("NETDIFFUS_FIDELITY_RAW") == "")
	if err != nil {
		t.Fatal(err)
	}
	if warn != "" {
		t.Log(warn)
	}
	real, _ := toImages("real training images", r.train, 32)
	test, _ := toImages("real test images", r.test, 32)
	pca, err := features.FitPCA(real, min(64, real.Len()-1))
	if err != nil {
		t.Fatal(err)
	}
	fr, _ := pca.Extract(real)
	ft, _ := pca.Extract(test)
	floor, _ := fid.Frechet(fr, ft)
	kidFloor, _ := fid.KID(fr, ft)
	rm, rs := pixelMeanStd(real.Pixels)
	t.Logf("%s at step %d: %d train, %d test images; FID floor (train vs test) %.3f, KID floor %.4f; real pixel mean %.4f std %.4f",
		data, tr.Steps(), real.Len(), test.Len(), floor, kidFloor, rm, rs)
	counts := make([]int, len(r.classes))
	for _, y := range r.trainY {
		counts[y]++
	}
	classifiers := strings.Split(envOr("NETDIFFUS_FIDELITY_CLASSIFIERS", "rf,gbt"), ",")
	dcfg := quickDownstream()
	original := protocols.Dataset{X: real.Pixels, Y: r.trainY}
	testDS := protocols.Dataset{X: test.Pixels, Y: r.testY}
	for _, spec := range strings.Split(envOr("NETDIFFUS_FIDELITY_SAMPLERS", "ddim50,ddpm250"), ",") {
		sc, g, err := samplerSpec(spec)
		if err != nil {
			t.Fatal(err)
		}
		sc.ExampleShape, sc.BatchSize, sc.Seed, sc.Variance = tr.Config.Net.ExampleShape(), 64, 1, tr.Config.Net.Variance()
		d := den
		if g != 1 {
			d = diffusion.Guided(den, g, tr.Config.Net.NullLabel())
		}
		start := time.Now()
		x, y, err := tr.Schedule.SampleClasses(context.Background(), d, counts, sc)
		if err != nil {
			t.Fatal(err)
		}
		secs := time.Since(start).Seconds()
		syn, _ := toImages("synthetic", quantise(x), 32)
		fs, _ := pca.Extract(syn)
		f, err := fid.FrechetWithFloor(fr, ft, fs, 1)
		if err != nil {
			t.Fatal(err)
		}
		k, err := fid.KIDWithFloor(fr, ft, fs, 1)
		if err != nil {
			t.Fatal(err)
		}
		perClass := "n/a"
		if per, err := fid.PerClassWithFloor(fr, r.trainY, ft, r.testY, fs, y, 0, fid.Frechet); err != nil {
			t.Logf("per-class FID: %v", err)
		} else {
			perClass = per.Mean().String()
		}
		sm, ss := pixelMeanStd(syn.Pixels)
		line := fmt.Sprintf("%-10s %6.0fs FID %s KID %s (may be negative) classFID %s pixel mean %.4f std %.4f (real %.4f %.4f)",
			spec, secs, f, k, perClass, sm, ss, rm, rs)
		for _, name := range classifiers {
			fac, err := dcfg.Factory(name, b, protocols.ImageShape(32))
			if err != nil {
				t.Fatal(err)
			}
			res, err := protocols.Scenarios(fac, original, protocols.Dataset{X: syn.Pixels, Y: y}, testDS, dcfg.Seeds)
			if err != nil {
				t.Fatal(err)
			}
			line += fmt.Sprintf(" | %s ori %.3f syn %.3f o+s %.3f", name, res[protocols.Original].AccMean,
				res[protocols.Synthetic].AccMean, res[protocols.OriginalSynth].AccMean)
		}
		fmt.Println("RESULT", data, line)
		if tol := envFloat("NETDIFFUS_FIDELITY_PIXTOL", 0); tol > 0 && (math.Abs(sm-rm) > tol || math.Abs(ss-rs) > tol) {
			t.Errorf("%s: synthetic pixel mean %.4f std %.4f, real %.4f %.4f: beyond the tolerance %.3g", spec, sm, ss, rm, rs, tol)
		}
	}
}

func envFloat(name string, def float64) float64 {
	if v, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return v
	}
	return def
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func pixelMeanStd(x *mat.Dense) (mean, std float64) {
	raw := x.RawMatrix()
	n := 0.0
	for i := range raw.Rows {
		for _, v := range raw.Data[i*raw.Stride : i*raw.Stride+raw.Cols] {
			mean += v
			std += v * v
			n++
		}
	}
	mean /= n
	return mean, math.Sqrt(max(std/n-mean*mean, 0))
}

// TestFidelityRealProbe asks the trained model for its x_0 prediction at a range of steps, from
// noised real training images and from pure noise, and prints the mean pixel (in [0, 1]) of each:
// where the two disagree at the first reverse step, the sampler starts from a brightness the model
// never saw (the signal left at t < T - 1 is not in the pure-noise start).
func TestFidelityRealProbe(t *testing.T) {
	fidelityPhase(t, "probe")
	data := fidelityData()
	r := loadRealFidelity(t, data, 32)
	b, _, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := unet.Resume(b, envOr("NETDIFFUS_FIDELITY_CKPT", fidelityDir(data)))
	if err != nil {
		t.Fatal(err)
	}
	den, err := tr.Denoiser(true)
	if err != nil {
		t.Fatal(err)
	}
	s := tr.Schedule
	x0 := r.train
	n := x0.Batch()
	rng := rand.New(rand.NewPCG(5, 5))
	meanPix := func(a diffusion.Array) (mean, sdOfImageMeans float64) {
		per := a.ExampleSize()
		var ms []float64
		for i := range a.Batch() {
			m := 0.0
			for _, v := range a.Example(i) {
				m += (math.Max(-1, math.Min(1, float64(v))) + 1) / 2
			}
			ms = append(ms, m/float64(per))
		}
		for _, m := range ms {
			mean += m
		}
		mean /= float64(len(ms))
		for _, m := range ms {
			sdOfImageMeans += (m - mean) * (m - mean)
		}
		return mean, math.Sqrt(sdOfImageMeans / float64(len(ms)))
	}
	rm, rsd := meanPix(x0)
	fmt.Printf("PROBE %s real: mean pixel %.4f, sd of image means %.4f\n", data, rm, rsd)
	for _, step := range []int{999, 996, 990, 980, 950, 900, 700, 500, 200, 50} {
		steps := make([]int, n)
		for i := range steps {
			steps[i] = step
		}
		noise := diffusion.NewArray(x0.Shape...)
		noise.FillNormal(rng)
		for _, src := range []string{"noised-real", "pure-noise"} {
			xt := s.QSample(x0, steps, noise)
			if src == "pure-noise" {
				xt = noise
			}
			eps, err := den(xt, steps, r.trainY)
			if err != nil {
				t.Fatal(err)
			}
			m, sd := meanPix(s.PredictX0FromEps(xt, steps, eps))
			fmt.Printf("PROBE %s t=%4d abar=%.2e %-11s predicted x0 (clamped) mean pixel %.4f, sd of image means %.4f\n", data, step, s.AlphasCumprod[step], src, m, sd)
		}
	}
}
