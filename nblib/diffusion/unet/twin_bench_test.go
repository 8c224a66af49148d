package unet

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/internal/testbackend"
)

// BenchmarkTwin times the 32x32 test model on ONNX Runtime beside its PyTorch twin (testdata/unet_torch.py)
// at 1 and 2 threads: the training step (batch 32, 32x32) and one forward pass (batch 64). The two
// run interleaved, UNET_TWIN_ROUNDS rounds (default 3) of UNET_TWIN_STEPS timed calls each (default
// 5), and the minimum per-call time of each side over the rounds is compared: go-ms, torch-ms and
// their ratio (below 1: faster than PyTorch), for wall time and for process CPU time (cpu-ratio;
// with one thread it is unaffected by other processes waiting for the cores, though not by their
// use of the caches). It needs Debian's python3-torch (1.13); the interpreter is UNET_TWIN_PYTHON,
// else python3 on PATH or /usr/bin/python3, whichever imports torch. Run it with -benchtime 1x:
//
//	go test ./nblib/diffusion/unet -run '^$' -bench Twin -benchtime 1x
func BenchmarkTwin(b *testing.B) {
	lib := testbackend.ORTLibrary(repoRoot)
	if lib == "" {
		b.Skip("ONNX Runtime not installed (run scripts/setup): no twin comparison")
	}
	python := twinPython()
	if python == "" {
		b.Skip("no python3 with torch (apt-get install python3-torch, or set UNET_TWIN_PYTHON): no twin comparison")
	}
	rounds, steps := envInt(b, "UNET_TWIN_ROUNDS", 3), envInt(b, "UNET_TWIN_STEPS", 5)
	for _, forward := range []bool{false, true} {
		for _, threads := range []int{1, 2} {
			name := fmt.Sprintf("step/threads=%d", threads)
			if forward {
				name = fmt.Sprintf("forward/threads=%d", threads)
			}
			b.Run(name, func(b *testing.B) {
				backend, err := compute.NewWithConfig(fmt.Sprintf("onnx:%s,intra_op_num_threads=%d", lib, threads))
				if err != nil {
					b.Fatal(err)
				}
				call := goTwinCall(b, backend, forward)
				args := []string{"testdata/unet_torch.py", "--preset", "unet32", "--threads", strconv.Itoa(threads),
					"--steps", strconv.Itoa(steps)}
				if forward {
					args = append(args, "--forward", "--batch", "64")
				}
				goWall, goCPU, torchWall, torchCPU := math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1)
				for r := range rounds {
					w, c := timeCalls(b, call, steps)
					goWall, goCPU = math.Min(goWall, w), math.Min(goCPU, c)
					tw, tc := runTwin(b, python, args)
					torchWall, torchCPU = math.Min(torchWall, tw), math.Min(torchCPU, tc)
					b.Logf("round %d: go %.1f ms (cpu %.1f), torch %.1f ms (cpu %.1f)", r+1, w, c, tw, tc)
				}
				b.ReportMetric(goWall, "go-ms")
				b.ReportMetric(torchWall, "torch-ms")
				b.ReportMetric(goWall/torchWall, "ratio")
				b.ReportMetric(goCPU/torchCPU, "cpu-ratio")
			})
		}
	}
}

// goTwinCall returns one compiled call of the 32x32 test model on backend: a training step on a batch of
// 32, or a forward pass (the EMA denoiser) on a batch of 64.
func goTwinCall(b *testing.B, backend compute.Backend, forward bool) func() error {
	cfg := model32(3)
	tr, err := New(backend, cfg)
	if err != nil {
		b.Fatal(err)
	}
	x, labels := fixedBatch(cfg, 1)
	if _, err := tr.TrainStep(x, labels); err != nil { // compiles the step, creates the weights
		b.Fatal(err)
	}
	call := func() error { _, err := tr.TrainStep(x, labels); return err }
	if forward {
		cfg.Train.BatchSize = 64
		x, labels = fixedBatch(cfg, 2)
		d, err := tr.Denoiser(true)
		if err != nil {
			b.Fatal(err)
		}
		steps := make([]int, x.Batch())
		call = func() error { _, err := d(x, steps, labels); return err }
	}
	if err := call(); err != nil { // compile
		b.Fatal(err)
	}
	return call
}

// timeCalls runs call n times and returns the mean wall and process-CPU milliseconds per call.
func timeCalls(b *testing.B, call func() error, n int) (wall, cpu float64) {
	t0, c0 := time.Now(), processCPU()
	for range n {
		if err := call(); err != nil {
			b.Fatal(err)
		}
	}
	return float64(time.Since(t0).Microseconds()) / 1000 / float64(n), (processCPU() - c0).Seconds() * 1000 / float64(n)
}

var twinLine = regexp.MustCompile(`([0-9.]+) ms/step, [0-9.]+ images/s, cpu ([0-9.]+) ms/step`)

// runTwin runs the PyTorch twin and returns its wall and CPU milliseconds per call.
func runTwin(b *testing.B, python string, args []string) (wall, cpu float64) {
	out, err := exec.Command(python, args...).CombinedOutput()
	if err != nil {
		b.Fatalf("%s %v: %v\n%s", python, args, err, out)
	}
	m := twinLine.FindSubmatch(out)
	if m == nil {
		b.Fatalf("%s %v printed no timing line:\n%s", python, args, out)
	}
	wall, _ = strconv.ParseFloat(string(m[1]), 64)
	cpu, _ = strconv.ParseFloat(string(m[2]), 64)
	return wall, cpu
}

// twinPython returns an interpreter that imports torch, or "".
func twinPython() string {
	candidates := []string{"python3", "/usr/bin/python3"}
	if p := os.Getenv("UNET_TWIN_PYTHON"); p != "" {
		candidates = []string{p}
	}
	for _, p := range candidates {
		if exec.Command(p, "-c", "import torch").Run() == nil {
			return p
		}
	}
	return ""
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: want a positive integer", name, v)
	}
	return n
}
