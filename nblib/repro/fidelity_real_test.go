package repro

// Opt-in fidelity measurements on real traffic (issue 15). Nothing here runs unless NETDIFFUS_FIDELITY
// is set, and each test skips when ../shared/datasets lacks the data:
//
//	NETDIFFUS_FIDELITY=train NETDIFFUS_FIDELITY_DATA=alexa \
//	  go test -count=1 -timeout 0 -run TestFidelityRealTrain -v ./nblib/repro/
//	NETDIFFUS_FIDELITY=eval NETDIFFUS_FIDELITY_DATA=alexa NETDIFFUS_FIDELITY_SAMPLERS=ddpm50t,ddim50 \
//	  go test -count=1 -timeout 0 -run TestFidelityRealEval -v ./nblib/repro/
//
// NETDIFFUS_FIDELITY_PERCLASS=n samples n images per class instead of as many as the class has
// training images. With NETDIFFUS_FIDELITY_PIXTOL=0.05 the eval fails a sampler whose synthetic pixel mean or standard
// deviation (pixels in [0, 1]) is more than 0.05 from the real training images'.
//
// Both phases run on the pipeline API (pipeline.Data built with pipeline.ImageArray, pipeline.Train,
// SampleWithWarning and Measure), so the numbers are those a pipeline run reports: FID, KID and the
// per-class FID with their floors and size-matched values, the decoded series' trace fidelity and the
// downstream accuracies. NETDIFFUS_FIDELITY=probe prints the model's x_0 predictions from noised real
// images and from pure noise; NETDIFFUS_FIDELITY=oracle replaces its predictions at the noisiest steps
// by the mean image (TestFidelityRealOracle).
//
// The model (the cpu preset's: preset.UNet32 at 32x32, v prediction, 2000 steps; see fidelityPreset for
// the overrides) is checkpointed under NETDIFFUS_FIDELITY_DIR (default
// $TMPDIR/netdiffus-fidelity/<data>), so training resumes and every sampler is compared on one trained
// model. Data: alexa = vcfp-alexa, the first 24 voice commands (signed packet sizes of the first 300
// packets, the project's D3 feature; 8 training and 2 test traces per command); pensieve =
// pensieve-bw, cooked_traces for training and cooked_test_traces for testing, bytes per second over
// the first 256 s, classes the transport mode.

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

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/preset"
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

// imageData images the chosen rows of series (with their labels) for a size x size model.
func imageData(series [][]float64, labels, rows []int, size int) (diffusion.Array, []int, error) {
	s, y := make([][]float64, len(rows)), make([]int, len(rows))
	for k, i := range rows {
		s[k], y[k] = series[i], labels[i]
	}
	x, err := pipeline.ImageArray(s, size)
	return x, y, err
}

// loadRealFidelity reads and images one real dataset (see the file comment).
func loadRealFidelity(t *testing.T, data string, size int) *pipeline.Data {
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
		r := &pipeline.Data{Name: "vcfp-alexa", Classes: ds.Classes[:k], SeriesLen: 300}
		if r.Train, r.TrainY, err = imageData(keep, labels, split.Train, size); err != nil {
			t.Fatal(err)
		}
		if r.Test, r.TestY, err = imageData(keep, labels, split.Test, size); err != nil {
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
		r := &pipeline.Data{Name: "pensieve-bw", Classes: classes, SeriesLen: 256}
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
		if r.Train, r.TrainY, err = imageData(trs, trY, rows(trY), size); err != nil {
			t.Fatal(err)
		}
		if r.Test, r.TestY, err = imageData(tes, teY, rows(teY), size); err != nil {
			t.Fatal(err)
		}
		return r
	}
	t.Fatalf("NETDIFFUS_FIDELITY_DATA=%q: use alexa or pensieve", data)
	return nil
}

// fidelityPreset is the cpu preset as it stands (its U-Net, learning rate, prediction, sampler and
// five classifiers), with these overrides: NETDIFFUS_FIDELITY_STEPS training steps (default the
// preset's 2000), NETDIFFUS_FIDELITY_LR, NETDIFFUS_FIDELITY_PRED (eps or v), and
// NETDIFFUS_FIDELITY_CLASSIFIERS (comma-separated); checkpoints every 250 steps (3 kept) and PCA-64
// features.
func fidelityPreset() preset.Preset {
	p := preset.CPUPreset()
	if v, err := strconv.ParseFloat(os.Getenv("NETDIFFUS_FIDELITY_LR"), 64); err == nil {
		p.Train.LearningRate = v
	}
	if v := os.Getenv("NETDIFFUS_FIDELITY_PRED"); v != "" {
		p.Train.Prediction = diffusion.Prediction(v)
	}
	p.Train.Steps = int64(envInt("NETDIFFUS_FIDELITY_STEPS", int(p.Train.Steps)))
	p.Train.CheckpointEvery, p.Train.Keep, p.Train.ReportEvery = 250, 3, 50
	p.Measure.PCAComponents = 64
	if v := os.Getenv("NETDIFFUS_FIDELITY_CLASSIFIERS"); v != "" {
		p.Downstream.Classifiers = strings.Split(v, ",")
	}
	return p
}

func TestFidelityRealTrain(t *testing.T) {
	fidelityPhase(t, "train")
	data := fidelityData()
	r := loadRealFidelity(t, data, 32)
	t.Logf("%s: %d classes, %d training and %d test images", data, len(r.Classes), r.Train.Batch(), r.Test.Batch())
	b, _, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	dir := fidelityDir(data)
	m, err := pipeline.Train(context.Background(), b, fidelityPreset(), dir, r.Train, r.TrainY,
		pipeline.ModelInfo{Data: r.Name, Classes: r.Classes}, pipeline.TrainOptions{Log: os.Stdout})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("trained to step %d in %s", m.Trainer.Steps(), dir)
}

// samplerSpec parses "ddim50", "ddim50e1" (eta 1), "ddpm250", with optional suffixes "t" (trailing
// spacing) or "l" (linspace spacing), then "g<scale>" (guidance, used above 1), e.g. "ddim50tg2", into
// the sample settings of the pipeline (x0 clipped, batch 64, seed 1).
func samplerSpec(s string) (preset.Sample, error) {
	cfg := preset.Sample{Clip: true, BatchSize: 64, Seed: 1}
	if i := strings.Index(s, "g"); i > 0 {
		g, err := strconv.ParseFloat(s[i+1:], 64)
		if err != nil {
			return cfg, err
		}
		cfg.Guidance, s = g, s[:i]
	}
	if strings.HasSuffix(s, "t") {
		cfg.Spacing, s = diffusion.Trailing, strings.TrimSuffix(s, "t")
	} else if strings.HasSuffix(s, "l") {
		cfg.Spacing, s = diffusion.Linspace, strings.TrimSuffix(s, "l")
	}
	if i := strings.Index(s, "e"); i > 4 {
		e, err := strconv.ParseFloat(s[i+1:], 64)
		if err != nil {
			return cfg, err
		}
		cfg.Eta, s = e, s[:i]
	}
	switch {
	case strings.HasPrefix(s, "ddim"):
		cfg.Sampler = diffusion.DDIM
	case strings.HasPrefix(s, "ddpm"):
		cfg.Sampler = diffusion.DDPM
	default:
		return cfg, fmt.Errorf("sampler %q: want ddimN or ddpmN", s)
	}
	n, err := strconv.Atoi(s[4:])
	cfg.Steps = n
	return cfg, err
}

// TestSamplerSpec pins the codes of NETDIFFUS_FIDELITY_SAMPLERS (it runs without opting in).
func TestSamplerSpec(t *testing.T) {
	for _, tc := range []struct {
		code string
		want preset.Sample
	}{
		{"ddim50", preset.Sample{Sampler: diffusion.DDIM, Steps: 50}},
		{"ddim50e1t", preset.Sample{Sampler: diffusion.DDIM, Steps: 50, Eta: 1, Spacing: diffusion.Trailing}},
		{"ddpm250l", preset.Sample{Sampler: diffusion.DDPM, Steps: 250, Spacing: diffusion.Linspace}},
		{"ddim50tg2", preset.Sample{Sampler: diffusion.DDIM, Steps: 50, Spacing: diffusion.Trailing, Guidance: 2}},
	} {
		got, err := samplerSpec(tc.code)
		tc.want.Clip, tc.want.BatchSize, tc.want.Seed = true, 64, 1
		if err != nil || got != tc.want {
			t.Errorf("samplerSpec(%q) = %+v, %v; want %+v", tc.code, got, err, tc.want)
		}
	}
	for _, bad := range []string{"euler50", "ddimx", "ddim50gx"} {
		if _, err := samplerSpec(bad); err == nil {
			t.Errorf("samplerSpec(%q) accepted", bad)
		}
	}
}

func TestFidelityRealEval(t *testing.T) {
	fidelityPhase(t, "eval")
	data := fidelityData()
	r := loadRealFidelity(t, data, 32)
	b, _, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	m, err := pipeline.Open(b, envOr("NETDIFFUS_FIDELITY_CKPT", fidelityDir(data)))
	if err != nil {
		t.Fatal(err)
	}
	p := fidelityPreset()
	real, err := pipeline.Images("real training images", r.Train)
	if err != nil {
		t.Fatal(err)
	}
	rm, rs := pipeline.PixelMoments(real)
	t.Logf("%s at step %d: %d train, %d test images; real pixel mean %.4f std %.4f", data, m.Trainer.Steps(), r.Train.Batch(), r.Test.Batch(), rm, rs)
	counts := pipeline.SampleCounts(envInt("NETDIFFUS_FIDELITY_PERCLASS", 0), r.TrainY, len(r.Classes))
	for _, spec := range strings.Split(envOr("NETDIFFUS_FIDELITY_SAMPLERS", "ddpm50t,ddim50"), ",") {
		sc, err := samplerSpec(spec)
		if err != nil {
			t.Fatal(err)
		}
		sc.Raw = os.Getenv("NETDIFFUS_FIDELITY_RAW") != ""
		start := time.Now()
		x, y, warn, err := pipeline.SampleWithWarning(context.Background(), m, sc, counts, nil)
		if err != nil {
			t.Fatal(err)
		}
		if warn != "" {
			t.Log(warn)
		}
		secs := time.Since(start).Seconds()
		meas, err := pipeline.Measure(b, p, r, x, y)
		if err != nil {
			t.Fatal(err)
		}
		syn, err := pipeline.Images("synthetic images", x)
		if err != nil {
			t.Fatal(err)
		}
		sm, ss := pipeline.PixelMoments(syn)
		perClass := "n/a (" + meas.FloorNote + ")"
		if meas.FloorNote == "" {
			perClass = fmt.Sprintf("%.4g (floor %.4g on %d a class)", meas.ClassFIDMatchedMean, meas.ClassFIDFloorMean, meas.ClassFIDRows)
		}
		line := fmt.Sprintf("%-10s %6.0fs FID %.4g (floor %.4g, matched %.4g on %d) KID (unbiased; may be negative) %.4g (floor %.4g, matched %.4g) classFID %s "+
			"W1 %s ACF %s disc %s pixel mean %.4f std %.4f (real %.4f %.4f)",
			spec, secs, meas.FID, meas.FIDFloor, meas.FIDMatched, r.Test.Batch(), meas.KID, meas.KIDFloor, meas.KIDMatched, perClass,
			meas.Traces.Marginal, meas.Traces.Autocorrelation, meas.Traces.Discriminative, sm, ss, rm, rs)
		for _, c := range p.Downstream.Classifiers {
			acc := map[string]float64{}
			for _, s := range meas.Accuracy {
				if s.Classifier == c {
					acc[s.Scenario] = s.AccMean
				}
			}
			line += fmt.Sprintf(" | %s ori %.3f syn %.3f o+s %.3f", c, acc["original"], acc["synth"], acc["ori+synth"])
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
	x0 := r.Train
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
			eps, err := den(xt, steps, r.TrainY)
			if err != nil {
				t.Fatal(err)
			}
			m, sd := meanPix(s.PredictX0FromEps(xt, steps, eps))
			fmt.Printf("PROBE %s t=%4d abar=%.2e %-11s predicted x0 (clamped) mean pixel %.4f, sd of image means %.4f\n", data, step, s.AlphasCumprod[step], src, m, sd)
		}
	}
}

// TestFidelityRealOracle tests where a trained model goes wrong by replacing its prediction, at every
// step whose abar is below a threshold, with the eps implied by x_0 = the mean training image (of the
// example's class with ":c", of all classes with ":g"), and printing the pixel mean and spread of the
// DDPM-50 trailing samples (2 per class). NETDIFFUS_FIDELITY_ORACLE lists threshold:kind pairs
// (default "0:c,0.001:c,0.01:c,0.01:g"; threshold 0 is the model alone). On the 1200-step eps model of
// issue 15 (real 0.663 / 0.109) it gave 0.553 / 0.242 alone, 0.609 / 0.190 at 0.001 and 0.638 / 0.133
// at 0.01: most of the brightness bias comes from the model's x_0 at the noisiest steps.
func TestFidelityRealOracle(t *testing.T) {
	fidelityPhase(t, "oracle")
	r := loadRealFidelity(t, fidelityData(), 32)
	b, _, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := unet.Resume(b, envOr("NETDIFFUS_FIDELITY_CKPT", fidelityDir(fidelityData())))
	if err != nil {
		t.Fatal(err)
	}
	den, err := tr.Denoiser(true)
	if err != nil {
		t.Fatal(err)
	}
	s, per, k := tr.Schedule, r.Train.ExampleSize(), len(r.Classes)
	classMean, allMean := make([][]float64, k), make([]float64, per)
	counts := pipeline.Counts(r.TrainY, k)
	for i, y := range r.TrainY {
		if classMean[y] == nil {
			classMean[y] = make([]float64, per)
		}
		for j, v := range r.Train.Example(i) {
			classMean[y][j] += float64(v) / float64(counts[y])
			allMean[j] += float64(v) / float64(len(r.TrainY))
		}
	}
	moments := func(x diffusion.Array) string {
		im, err := pipeline.Images("images", x)
		if err != nil {
			t.Fatal(err)
		}
		m, sd := pipeline.PixelMoments(im)
		return fmt.Sprintf("pixel mean %.4f std %.4f", m, sd)
	}
	fmt.Printf("ORACLE real %s\n", moments(r.Train))
	two := make([]int, k)
	for c := range two {
		two[c] = 2
	}
	for _, spec := range strings.Split(envOr("NETDIFFUS_FIDELITY_ORACLE", "0:c,0.001:c,0.01:c,0.01:g"), ",") {
		thr, kind, _ := strings.Cut(spec, ":")
		below, err := strconv.ParseFloat(thr, 64)
		if err != nil {
			t.Fatalf("NETDIFFUS_FIDELITY_ORACLE %q: %v", spec, err)
		}
		oracle := func(xt diffusion.Array, ts []int, labels []int) (diffusion.Array, error) {
			eps, err := den(xt, ts, labels)
			if err != nil {
				return eps, err
			}
			for i, st := range ts {
				ab := s.AlphasCumprod[st]
				if ab >= below {
					continue
				}
				x0 := allMean
				if kind == "c" {
					x0 = classMean[labels[i]]
				}
				for j := range per {
					eps.Data[i*per+j] = float32((float64(xt.Data[i*per+j]) - math.Sqrt(ab)*x0[j]) / math.Sqrt(1-ab))
				}
			}
			return eps, nil
		}
		net := tr.Config.Net
		x, _, err := s.SampleClasses(context.Background(), oracle, two, diffusion.SampleConfig{Sampler: diffusion.DDPM, Steps: 50,
			Spacing: diffusion.Trailing, Variance: net.Variance(), ExampleShape: net.ExampleShape(), Seed: 1, ClipDenoised: true})
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range x.Data {
			x.Data[i] = pixels.Quantise(v)
		}
		fmt.Printf("ORACLE %s below abar %s: %s\n", map[string]string{"c": "class mean", "g": "global mean"}[kind], thr, moments(x))
	}
}
