package unet

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/netdiffus/netdiffus/internal/ckptdir"
)

// FuzzCheckpointMetadata feeds arbitrary GoMLX checkpoint JSON, .bin data and trainer.json to the
// validation Resume runs before loading: it must never panic, and whatever it accepts claims exactly
// the bytes present.
func FuzzCheckpointMetadata(f *testing.F) {
	f.Add([]byte(`{"Variables":[{"ParameterName":"a","Dimensions":[2,2],"DType":"Float32","Pos":0,"Length":16}],"BinFormat":"uncompressed"}`), make([]byte, 16), []byte(`{"config":{},"step":1}`))
	f.Add([]byte(`{"Variables":[{"ParameterName":"a","Dimensions":[100000,100000],"DType":"Float32","Pos":0,"Length":40000000000}],"BinFormat":"uncompressed"}`), make([]byte, 16), []byte(`{}`))
	f.Add([]byte(`{"Variables":[{"ParameterName":"a","Dimensions":[-1,4],"DType":"Int64","Pos":0,"Length":-32}],"BinFormat":"gzip"}`), []byte(ckptdir.GoMLXBinHeader+"\x1f\x8b"), []byte(`{"config":{"Net":{"Size":100000}}}`))
	f.Fuzz(func(t *testing.T, meta, bin, state []byte) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "checkpoint-n0000001-20260101-000000-step-00000001.json"), meta, 0o644)
		os.WriteFile(filepath.Join(dir, "checkpoint-n0000001-20260101-000000-step-00000001.bin"), bin, 0o644)
		os.WriteFile(filepath.Join(dir, stateFile), state, 0o644)
		readState(dir)
		if err := ckptdir.ValidateGoMLX(dir, maxVariablesJSON); err == nil && len(bin) > 1<<20 {
			t.Fatalf("accepted %d bytes", len(bin))
		}
	})
}
