package bench

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// tinySmoke is the smoke preset with a 5-step sampler, so a benchmark takes seconds.
func tinySmoke(t *testing.T) preset.Preset {
	t.Helper()
	p := preset.SmokePreset()
	p.Sample.Steps = 5
	return p
}

// TestRunSmoke benchmarks the smoke model for a few steps and checks every measured figure is a
// positive, finite number consistent with the counts (images/s = steps · batch / seconds).
func TestRunSmoke(t *testing.T) {
	b, _, err := backend.Shared()
	if err != nil {
		t.Fatal(err)
	}
	p := tinySmoke(t)
	r, err := Run(context.Background(), b, p, Options{TrainSteps: 3, Calls: 2, SampleBatch: 8})
	if err != nil {
		t.Fatal(err)
	}
	if r.Preset != "smoke" || r.Model.Size != 16 || r.Model.Classes != 4 || r.Model.Params <= 0 || r.Backend.Devices < 1 {
		t.Errorf("result header: %+v %+v", r.Model, r.Backend)
	}
	if r.Train.Batch != 32 || r.Train.Steps != 3 || r.Sample.Batch != 8 || r.Sample.Calls != 2 || r.Sample.ReverseSteps != 5 || r.Sample.Sampler != "ddpm" {
		t.Errorf("counts: %+v %+v", r.Train, r.Sample)
	}
	for name, v := range map[string]float64{"train compile": r.Train.CompileSeconds, "train seconds": r.Train.Seconds,
		"train images/s": r.Train.ImagesPerSec, "loss": r.Train.LastLoss, "sample compile": r.Sample.CompileSeconds,
		"call seconds": r.Sample.CallSeconds, "call images/s": r.Sample.CallImagesPerSec, "sample seconds": r.Sample.Seconds,
		"sample images/s": r.Sample.ImagesPerSec, "host memory": float64(r.Memory.HostPeakBytes)} {
		if !(v > 0) || math.IsInf(v, 0) {
			t.Errorf("%s = %v, want a positive finite number", name, v)
		}
	}
	if got, want := r.Train.ImagesPerSec, 3*32/r.Train.Seconds; math.Abs(got-want) > 1e-9*want {
		t.Errorf("train images/s %v, want steps·batch/seconds = %v", got, want)
	}
	if got, want := r.Sample.ImagesPerSec, 8/r.Sample.Seconds; math.Abs(got-want) > 1e-9*want {
		t.Errorf("sample images/s %v, want batch/seconds = %v", got, want)
	}
	if r.Memory.DevicePeakBytes != 0 || r.Memory.DeviceNote == "" {
		t.Errorf("memory on a CPU backend: %+v", r.Memory)
	}
	if s := r.Summary(); !strings.Contains(s, "bench smoke on ") || !strings.Contains(s, "images/s per network call") {
		t.Errorf("summary: %s", s)
	}
}

// TestResultJSONSchema pins the JSON field names of `netdiffus bench` (scripts read them).
func TestResultJSONSchema(t *testing.T) {
	r := Result{Backend: BackendInfo{Choice: "c"}, Twin: &Twin{Skipped: "x"}} // omitempty fields set
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	got := SchemaKeys(b)
	want := []string{"backend", "backend.choice", "backend.description", "backend.device", "backend.devices", "backend.name",
		"memory", "memory.device_note", "memory.host_peak_bytes",
		"model", "model.channels", "model.classes", "model.learn_sigma", "model.params", "model.size", "preset",
		"sample", "sample.batch", "sample.call_images_per_sec", "sample.call_seconds", "sample.calls", "sample.compile_seconds",
		"sample.images_per_sec", "sample.reverse_steps", "sample.sampler", "sample.seconds",
		"train", "train.batch", "train.compile_seconds", "train.devices", "train.images_per_sec", "train.last_loss", "train.seconds", "train.steps",
		"twin", "twin.skipped"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("JSON keys\n got %q\nwant %q", got, want)
	}
}

func TestParseMiB(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{{"1234\n", 1234 << 20, true}, {" 7 \n8\n", 7 << 20, true}, {"[N/A]", 0, false}, {"-3", 0, false}, {"", 0, false}} {
		got, ok := parseMiB([]byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("parseMiB(%q) = %d, %v; want %d, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestTwinDevice(t *testing.T) {
	for _, tc := range []struct {
		b    BackendInfo
		want string
	}{
		{BackendInfo{Name: "xla", Description: "xla:cuda - /x/xla_cuda_plugin.so [1 device(s)]", Device: "NVIDIA H100"}, "cuda"},
		{BackendInfo{Name: "xla", Description: "xla:cpu - pjrt_c_api_cpu_plugin.so", Device: "cpu"}, "cpu"},
		{BackendInfo{Name: "onnxruntime", Description: "ONNX Runtime (CPU)", Device: "CPU"}, "cpu"},
	} {
		if got := twinDevice(tc.b); got != tc.want {
			t.Errorf("twinDevice(%+v) = %s, want %s", tc.b, got, tc.want)
		}
	}
}

// fakePython writes an executable standing in for python3: `-c "import torch"` exits with importCode,
// and the twin call prints its arguments and then report.
func fakePython(t *testing.T, importCode int, report string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "python3")
	script := "#!/bin/sh\nif [ \"$1\" = -c ]; then echo 'ModuleNotFoundError: No module named torch' >&2; exit " +
		map[bool]string{true: "0", false: "1"}[importCode == 0] + "; fi\necho \"args: $*\" >&2\necho '" + report + "'\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestTwinWithFakePython runs the twin plumbing with a stand-in interpreter: the ratio is Go's images/s
// over the twin's, the command passes the network as JSON, the batch and the device; a missing torch
// and a report that is not JSON are skips with their reasons.
func TestTwinWithFakePython(t *testing.T) {
	p := tinySmoke(t)
	net := p.Model(4).Net
	script := filepath.Join(t.TempDir(), "unet_torch.py")
	if err := os.WriteFile(script, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	r := &Result{Backend: BackendInfo{Name: "onnxruntime"}, Train: TrainTiming{Batch: 32, ImagesPerSec: 60}}
	ok := fakePython(t, 0, `{"torch": "2.11.0", "device": "cpu", "batch": 32, "params": 190689, "ms_per_step": 400, "images_per_sec": 80}`)
	RunTwin(context.Background(), r, net, TwinOptions{Python: ok, Script: script})
	tw := r.Twin
	if tw.Skipped != "" || tw.ImagesPerSec != 80 || tw.Torch != "2.11.0" || tw.Params != 190689 || math.Abs(tw.Ratio-0.75) > 1e-12 {
		t.Fatalf("twin: %+v", tw)
	}
	cmd := strings.Join(tw.Command, " ")
	netJSON, _ := json.Marshal(net)
	for _, want := range []string{"--net " + string(netJSON), "--batch 32", "--device cpu", "--json", script} {
		if !strings.Contains(cmd, want) {
			t.Errorf("command %q lacks %q", cmd, want)
		}
	}
	if !strings.Contains(r.Summary(), "Go/PyTorch 0.75") {
		t.Errorf("summary: %s", r.Summary())
	}

	for _, tc := range []struct {
		python, want string
	}{
		{fakePython(t, 1, ""), "cannot import torch: ModuleNotFoundError"},
		{fakePython(t, 0, "torch 2.11 cpu: 400 ms/step"), "not its JSON report"},
		{"/nonexistent/python3", "no /nonexistent/python3 on PATH"},
	} {
		r := &Result{Train: TrainTiming{Batch: 32, ImagesPerSec: 60}}
		RunTwin(context.Background(), r, net, TwinOptions{Python: tc.python, Script: script})
		if r.Twin == nil || !strings.Contains(r.Twin.Skipped, tc.want) || r.Twin.Ratio != 0 {
			t.Errorf("python %s: twin %+v, want a skip mentioning %q", tc.python, r.Twin, tc.want)
		}
	}
}

// SchemaKeys lists the dotted key paths of a JSON object's first two levels, sorted.
func SchemaKeys(b []byte) []string {
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil
	}
	var out []string
	for k, v := range m {
		out = append(out, k)
		if sub, ok := v.(map[string]any); ok {
			for k2 := range sub {
				out = append(out, k+"."+k2)
			}
		}
	}
	sort.Strings(out)
	return out
}
