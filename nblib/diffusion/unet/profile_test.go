package unet

import (
	"os"
	"testing"

	onnxbackend "github.com/gomlx/compute-onnx"
)

// TestExportStepONNX writes the 32x32 training-step graph as an ONNX model to the file named by
// UNET_EXPORT_ONNX, for profiling it outside Go (per-node timings with ONNX Runtime's profiler).
func TestExportStepONNX(t *testing.T) {
	path := os.Getenv("UNET_EXPORT_ONNX")
	if path == "" {
		t.Skip("set UNET_EXPORT_ONNX=/path/model.onnx to export the 32x32 training step")
	}
	b, ok := ortBackend(t).(*onnxbackend.Backend)
	if !ok {
		t.Fatal("not an ONNX Runtime backend")
	}
	b.SetKeepModelProto(true)
	cfg := model32(3)
	tr, err := New(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	x, labels := fixedBatch(cfg, 1)
	if _, err := tr.TrainStep(x, labels); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := onnxbackend.SaveModel(b, tr.graph.Executable(), f, nil, nil); err != nil {
		t.Fatal(err)
	}
}
