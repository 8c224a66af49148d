package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Options size a benchmark; a zero field takes its default.
type Options struct {
	TrainSteps  int // timed training steps after the compiling one (default 200)
	Calls       int // timed denoiser calls after the compiling one (default 10)
	SampleBatch int // images per denoiser call and per sampled batch (default p.Sample.BatchSize, else 64)
	Classes     int // classes of the model (default 4)
	Seed        uint64
}

func (o Options) withDefaults(p preset.Preset) Options {
	if o.TrainSteps <= 0 {
		o.TrainSteps = 200
	}
	if o.Calls <= 0 {
		o.Calls = 10
	}
	if o.SampleBatch <= 0 {
		o.SampleBatch = p.Sample.BatchSize
	}
	if o.SampleBatch <= 0 {
		o.SampleBatch = 64
	}
	if o.Classes <= 0 {
		o.Classes = 4
	}
	return o
}

// Result is what Run measured; its JSON is the output of `netdiffus bench` (field names are the schema).
type Result struct {
	Preset  string       `json:"preset"`
	Backend BackendInfo  `json:"backend"`
	Model   ModelInfo    `json:"model"`
	Train   TrainTiming  `json:"train"`
	Sample  SampleTiming `json:"sample"`
	Memory  Memory       `json:"memory"`
	Twin    *Twin        `json:"twin,omitempty"`
}

// BackendInfo names the backend and its first device.
type BackendInfo struct {
	Name        string `json:"name"`             // GoMLX's short name: xla, onnx, go
	Description string `json:"description"`      // the backend's own description (plugin, threads)
	Devices     int    `json:"devices"`          // devices the backend has
	Device      string `json:"device"`           // description of device 0
	Choice      string `json:"choice,omitempty"` // nblib/backend's one-line reason, when the caller gives it
}

// ModelInfo is the benchmarked network.
type ModelInfo struct {
	Size       int  `json:"size"`
	Channels   int  `json:"channels"`
	Classes    int  `json:"classes"`
	LearnSigma bool `json:"learn_sigma"`
	Params     int  `json:"params"`
}

// TrainTiming is the training measurement.
type TrainTiming struct {
	Batch          int     `json:"batch"`   // the global batch
	Devices        int     `json:"devices"` // devices each step is split across (Train.Devices)
	Steps          int     `json:"steps"`   // timed steps (after the compiling one)
	CompileSeconds float64 `json:"compile_seconds"`
	Seconds        float64 `json:"seconds"`
	ImagesPerSec   float64 `json:"images_per_sec"`
	LastLoss       float64 `json:"last_loss"`
}

// SampleTiming is the sampling measurement.
type SampleTiming struct {
	Batch            int     `json:"batch"`
	Sampler          string  `json:"sampler"`
	ReverseSteps     int     `json:"reverse_steps"`
	CompileSeconds   float64 `json:"compile_seconds"` // first denoiser call
	Calls            int     `json:"calls"`
	CallSeconds      float64 `json:"call_seconds"`        // the timed calls together
	CallImagesPerSec float64 `json:"call_images_per_sec"` // images through the network per second
	Seconds          float64 `json:"seconds"`             // one sampled batch, every reverse step
	ImagesPerSec     float64 `json:"images_per_sec"`      // finished images per second
}

// Memory is the peak memory seen.
type Memory struct {
	HostPeakBytes   int64  `json:"host_peak_bytes"`             // peak resident set of the process
	DevicePeakBytes int64  `json:"device_peak_bytes,omitempty"` // peak GPU memory in use (nvidia-smi), 0 when unknown
	DeviceNote      string `json:"device_note"`                 // how the device figure was obtained, or why there is none
}

// Run benchmarks p's model on b (see the package documentation).
func Run(ctx context.Context, b compute.Backend, p preset.Preset, opt Options) (*Result, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	opt = opt.withDefaults(p)
	cfg := p.Model(opt.Classes)
	res := &Result{Preset: p.Name, Backend: describe(b),
		Model: ModelInfo{Size: cfg.Net.Size, Channels: cfg.Net.ModelChannels, Classes: opt.Classes, LearnSigma: cfg.Net.LearnSigma}}
	mem := watchDeviceMemory(b)
	tr, err := unet.New(b, cfg)
	if err != nil {
		return nil, err
	}
	if res.Train.Devices, err = tr.SetDevices(p.Train.Devices); err != nil {
		return nil, err
	}
	devices := res.Train.Devices
	if res.Train, err = timeTraining(ctx, tr, cfg, opt); err != nil {
		return nil, err
	}
	res.Train.Devices = devices
	res.Model.Params = tr.NumParameters()
	if res.Sample, err = timeSampling(ctx, tr, p.Sample, opt); err != nil {
		return nil, err
	}
	res.Memory = mem.stop()
	return res, nil
}

func describe(b compute.Backend) BackendInfo {
	info := BackendInfo{Name: b.Name(), Description: b.Description(), Devices: b.NumDevices()}
	if info.Devices > 0 {
		info.Device = b.DeviceDescription(0)
	}
	return info
}

// randomBatch returns n random examples of the model's shape in [-1, 1] and labels in [0, classes).
func randomBatch(net unet.NetConfig, n, classes int, rng *rand.Rand) (diffusion.Array, []int) {
	x := diffusion.NewArray(append([]int{n}, net.ExampleShape()...)...)
	for i := range x.Data {
		x.Data[i] = float32(2*rng.Float64() - 1)
	}
	y := make([]int, n)
	for i := range y {
		y[i] = rng.IntN(classes)
	}
	return x, y
}

func timeTraining(ctx context.Context, tr *unet.Trainer, cfg unet.Config, opt Options) (TrainTiming, error) {
	rng := rand.New(rand.NewPCG(opt.Seed, 1))
	x, y := randomBatch(cfg.Net, cfg.Train.BatchSize, opt.Classes, rng)
	t := TrainTiming{Batch: cfg.Train.BatchSize, Steps: opt.TrainSteps}
	start := time.Now()
	if _, err := tr.TrainStep(x, y); err != nil {
		return t, fmt.Errorf("bench: first training step: %w", err)
	}
	t.CompileSeconds = time.Since(start).Seconds()
	start = time.Now()
	for i := range opt.TrainSteps {
		if err := ctx.Err(); err != nil {
			return t, fmt.Errorf("bench: training stopped after %d of %d steps: %w", i, opt.TrainSteps, err)
		}
		r, err := tr.TrainStep(x, y)
		if err != nil {
			return t, fmt.Errorf("bench: training step %d: %w", i+2, err)
		}
		t.LastLoss = r.Loss
	}
	t.Seconds = time.Since(start).Seconds()
	t.ImagesPerSec = float64(opt.TrainSteps*t.Batch) / t.Seconds
	return t, nil
}

func timeSampling(ctx context.Context, tr *unet.Trainer, s preset.Sample, opt Options) (SampleTiming, error) {
	net := tr.Config.Net
	den, err := tr.Denoiser(tr.Config.Train.EMADecay > 0)
	if err != nil {
		return SampleTiming{}, err
	}
	reverse := s.Steps
	if reverse <= 0 {
		reverse = tr.Schedule.Steps()
	}
	st := SampleTiming{Batch: opt.SampleBatch, Sampler: string(s.Sampler), ReverseSteps: reverse, Calls: opt.Calls}
	rng := rand.New(rand.NewPCG(opt.Seed, 2))
	x, y := randomBatch(net, opt.SampleBatch, opt.Classes, rng)
	t := make([]int, opt.SampleBatch)
	for i := range t {
		t[i] = rng.IntN(tr.Schedule.Steps())
	}
	start := time.Now()
	if _, err := den(x, t, y); err != nil {
		return st, fmt.Errorf("bench: first denoiser call: %w", err)
	}
	st.CompileSeconds = time.Since(start).Seconds()
	start = time.Now()
	for range opt.Calls {
		if _, err := den(x, t, y); err != nil {
			return st, fmt.Errorf("bench: denoiser call: %w", err)
		}
	}
	st.CallSeconds = time.Since(start).Seconds()
	st.CallImagesPerSec = float64(opt.Calls*opt.SampleBatch) / st.CallSeconds
	start = time.Now()
	_, _, err = tr.Schedule.SampleLabels(ctx, den, y, diffusion.SampleConfig{
		Sampler: s.Sampler, Steps: s.Steps, Spacing: s.Spacing, Eta: s.Eta, Variance: net.Variance(), ExampleShape: net.ExampleShape(),
		BatchSize: opt.SampleBatch, Seed: s.Seed, ClipDenoised: s.Clip})
	if err != nil {
		return st, fmt.Errorf("bench: sampling: %w", err)
	}
	st.Seconds = time.Since(start).Seconds()
	st.ImagesPerSec = float64(opt.SampleBatch) / st.Seconds
	return st, nil
}

// Summary is the one-line report.
func (r *Result) Summary() string {
	s := fmt.Sprintf("bench %s on %s (%s, %d device(s)): compile %.1f s; training %.1f images/s (batch %d on %d device(s)); "+
		"sampling %.1f images/s per network call, %.2f images/s per image (%s-%d, batch %d); peak host memory %s",
		r.Preset, r.Backend.Name, r.Backend.Device, r.Backend.Devices, r.Train.CompileSeconds, r.Train.ImagesPerSec, r.Train.Batch, r.Train.Devices,
		r.Sample.CallImagesPerSec, r.Sample.ImagesPerSec, r.Sample.Sampler, r.Sample.ReverseSteps, r.Sample.Batch, bytesText(r.Memory.HostPeakBytes))
	if r.Memory.DevicePeakBytes > 0 {
		s += ", peak GPU memory " + bytesText(r.Memory.DevicePeakBytes)
	}
	if r.Twin != nil {
		s += "; " + r.Twin.Summary()
	}
	return s
}

func bytesText(n int64) string {
	return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
}
