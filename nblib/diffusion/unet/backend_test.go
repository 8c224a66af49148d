package unet

import (
	"fmt"
	"math"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/netdiffus/netdiffus/nblib/internal/testbackend"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute-onnx" // registers "onnx"
)

// repoRoot is the repository root relative to this package (for the project's ONNX Runtime).
const repoRoot = "../../.."

// ortBackend returns the project's ONNX Runtime backend (telemetry off, through nblib/backend), or
// skips the test.
func ortBackend(t testing.TB) compute.Backend { return testbackend.ORT(t, repoRoot) }

// TestTrainStepONNX runs training steps on ONNX Runtime and checks them against the Go backend.
// Random initialisers draw different numbers on different backends, so both start from one
// checkpoint (one Go-backend step) and then take 3 steps with the same batches: losses and gradient
// norms must agree to relative 1e-3 (float32 sums over a few thousand terms in different orders).
func TestTrainStepONNX(t *testing.T) {
	ort := ortBackend(t)
	for _, learnSigma := range []bool{false, true} {
		cfg := tiny()
		cfg.Net.LearnSigma = learnSigma
		t.Run(fmt.Sprintf("learnsigma=%v", learnSigma), func(t *testing.T) { compareBackends(t, cfg, goBackend(t), ort) })
	}
	t.Run("1d", func(t *testing.T) { compareBackends(t, tiny1D(), goBackend(t), ort) })
}

func compareBackends(t *testing.T, cfg Config, goB, ort compute.Backend) {
	x, labels := fixedBatch(cfg, 1)
	start, err := New(goBackend(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := start.TrainStep(x, labels); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := start.Save(dir, 1); err != nil {
		t.Fatal(err)
	}
	var results [2][]StepResult
	for i, b := range []compute.Backend{goB, ort} {
		tr, err := Resume(b, dir)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			r, err := tr.TrainStep(x, labels)
			if err != nil {
				t.Fatalf("%s: %v", b.Name(), err)
			}
			results[i] = append(results[i], r)
		}
		d, err := tr.Denoiser(true)
		if err != nil {
			t.Fatal(err)
		}
		eps, err := d(x, []int{1, 2, 3, 4}, labels)
		if err != nil {
			t.Fatalf("%s denoiser: %v", b.Name(), err)
		}
		if eps.Batch() != x.Batch() {
			t.Errorf("%s denoiser shape %v", b.Name(), eps.Shape)
		}
	}
	rel := func(a, b float64) float64 { return math.Abs(a-b) / math.Max(math.Abs(a), 1e-12) }
	for s := range results[0] {
		g, o := results[0][s], results[1][s]
		if rel(g.Loss, o.Loss) > 1e-3 || rel(g.GradNorm, o.GradNorm) > 1e-3 {
			t.Errorf("step %d: Go backend %+v, ONNX Runtime %+v", s+1, g, o)
		}
	}
}

// BenchmarkTrainStep32 times one training step of the 32x32 test model (batch 32, 32x32) on
// the backend named by GOMLX_BACKEND (default "go"; e.g. "onnx:/abs/path/libonnxruntime.so.1").
// It reports images/s and the process CPU time per step (cpu-ms/op, load-independent with one thread).
func BenchmarkTrainStep32(b *testing.B) {
	benchmarkTrainStep(b, model32(3))
}

func benchmarkTrainStep(b *testing.B, cfg Config) {
	config := os.Getenv("GOMLX_BACKEND")
	if config == "" {
		config = "go"
	}
	backend, err := compute.NewWithConfig(config)
	if err != nil {
		b.Fatal(err)
	}
	tr, err := New(backend, cfg)
	if err != nil {
		b.Fatal(err)
	}
	x, labels := fixedBatch(cfg, 1)
	if _, err := tr.TrainStep(x, labels); err != nil { // compile
		b.Fatal(err)
	}
	b.ResetTimer()
	cpu0 := processCPU()
	for range b.N {
		if _, err := tr.TrainStep(x, labels); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric((processCPU()-cpu0).Seconds()*1000/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(b.N*x.Batch())/b.Elapsed().Seconds(), "images/s")
	b.ReportMetric(float64(tr.NumParameters()), "params")
}

// processCPU returns the user+system CPU time of this process: with one ONNX Runtime thread it is
// the step's work, unaffected by other processes competing for the cores (unlike wall time).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSample32 times DDIM-50 and DDPM-1000 denoiser calls of the 32x32 test model (batch 32),
// reporting images/s for a full sampling run of each (from the per-call time).
func BenchmarkSample32(b *testing.B) {
	config := os.Getenv("GOMLX_BACKEND")
	if config == "" {
		config = "go"
	}
	backend, err := compute.NewWithConfig(config)
	if err != nil {
		b.Fatal(err)
	}
	cfg := model32(3)
	tr, err := New(backend, cfg)
	if err != nil {
		b.Fatal(err)
	}
	x, labels := fixedBatch(cfg, 1)
	if _, err := tr.TrainStep(x, labels); err != nil {
		b.Fatal(err)
	}
	d, err := tr.Denoiser(true)
	if err != nil {
		b.Fatal(err)
	}
	steps := make([]int, x.Batch())
	if _, err := d(x, steps, labels); err != nil { // compile
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := d(x, steps, labels); err != nil {
			b.Fatal(err)
		}
	}
	perCall := b.Elapsed().Seconds() / float64(b.N)
	b.ReportMetric(float64(x.Batch())/(50*perCall), "ddim50-images/s")
	b.ReportMetric(float64(x.Batch())/(1000*perCall), "ddpm1000-images/s")
}
