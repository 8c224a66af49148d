package baselines_test

import (
	"os"
	"testing"

	"github.com/gomlx/compute"

	"github.com/netdiffus/netdiffus/nblib/baselines"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// benchmarkStep times one GAN training step (one discriminator and one generator update) of preset
// mode on WW-shaped data (550 daily values, 3 classes, 72 training series) on the backend named by
// GOMLX_BACKEND (default "go"; e.g. "onnx:/abs/path/libonnxruntime.so.1").
func benchmarkStep(b *testing.B, mode string) {
	config := os.Getenv("GOMLX_BACKEND")
	if config == "" {
		config = "go"
	}
	backend, err := compute.NewWithConfig(config)
	if err != nil {
		b.Fatal(err)
	}
	cfg, err := preset.DoppelGANger(mode)
	if err != nil {
		b.Fatal(err)
	}
	cfg.BatchSize = min(cfg.BatchSize, 72)
	ds := baselines.TinySeries(36, 550, 1)
	ds.Traces = ds.Traces[:72]
	cfg, data, err := baselines.Encode(cfg, ds)
	if err != nil {
		b.Fatal(err)
	}
	tr, err := baselines.New(backend, cfg, data.Meta)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tr.TrainStep(data); err != nil { // compile
		b.Fatal(err)
	}
	b.ResetTimer()
	for range b.N {
		if _, err := tr.TrainStep(data); err != nil {
			b.Fatal(err)
		}
	}
	g, d := tr.NumParameters()
	b.ReportMetric(float64(g), "gen-params")
	b.ReportMetric(float64(d), "disc-params")
}

func BenchmarkTrainStepSmoke(b *testing.B) { benchmarkStep(b, "smoke") }
func BenchmarkTrainStepCPU(b *testing.B)   { benchmarkStep(b, "cpu") }
