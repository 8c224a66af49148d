// Package testbackend gives the tests of nblib the GoMLX backends to run on: the pure Go backend
// always, and ONNX Runtime (the project's CPU default) when the project's library is installed at
// <repository root>/.tools/onnxruntime/libonnxruntime.so.1 (scripts/setup puts it there).
package testbackend

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/gomlx/compute"
	"github.com/netdiffus/netdiffus/nblib/backend"
)

// Named is a backend with the short name its subtest runs under ("go" or "onnx").
type Named struct {
	Name    string
	Backend compute.Backend
}

var (
	mu     sync.Mutex
	opened = map[string]compute.Backend{}
)

// open returns one backend per configuration for the whole test binary (ORT sessions are costly).
func open(t testing.TB, config string) compute.Backend {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if b, ok := opened[config]; ok {
		return b
	}
	b, err := compute.NewWithConfig(config)
	if err != nil {
		t.Fatalf("opening backend %q: %v", config, err)
	}
	opened[config] = b
	return b
}

// Go returns the pure Go backend.
func Go(t testing.TB) compute.Backend { return open(t, "go") }

// ORTLibrary returns the project's ONNX Runtime library path, given the repository root relative to
// the test's package directory (e.g. "../../.." from nblib/eval/nn), or "" when it is not installed.
func ORTLibrary(repoRoot string) string {
	lib, err := filepath.Abs(filepath.Join(repoRoot, backend.ORTRelPath))
	if err != nil {
		return ""
	}
	if _, err := os.Stat(lib); err != nil {
		return ""
	}
	return lib
}

// ORT returns the ONNX Runtime backend, or skips the test with the path it looked for.
func ORT(t testing.TB, repoRoot string) compute.Backend {
	t.Helper()
	lib := ORTLibrary(repoRoot)
	if lib == "" {
		t.Skipf("ONNX Runtime not installed at %s (run scripts/setup): ONNX Runtime case not run",
			filepath.Join(repoRoot, backend.ORTRelPath))
	}
	return open(t, "onnx:"+lib)
}

// Run runs f as subtest "go" on the pure Go backend and as subtest "onnx" on ONNX Runtime (skipped
// with a message when the library is absent).
func Run(t *testing.T, repoRoot string, f func(t *testing.T, b compute.Backend)) {
	t.Run("go", func(t *testing.T) { f(t, Go(t)) })
	t.Run("onnx", func(t *testing.T) { f(t, ORT(t, repoRoot)) })
}
