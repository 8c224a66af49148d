package backend

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// telemetryChildEnv makes TestTelemetryChildHelper train a tiny model on ONNX Runtime.
const telemetryChildEnv = "NETDIFFUS_TELEMETRY_CHILD"

// TestTelemetryChildHelper is the child process of TestNoTelemetryStore; it skips otherwise.
func TestTelemetryChildHelper(t *testing.T) {
	if os.Getenv(telemetryChildEnv) == "" {
		t.Skip("helper process for TestNoTelemetryStore")
	}
	b, choice, err := New()
	if err != nil || choice.Kind != ONNX {
		t.Fatalf("backend %v: %v", choice, err)
	}
	cfg := preset.UNet32(2)
	cfg.Net.Size, cfg.Net.ModelChannels, cfg.Net.NormGroups, cfg.Net.AttentionResolutions = 8, 8, 4, nil
	cfg.Train.BatchSize = 2
	tr, err := unet.New(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	x := diffusion.NewArray(4, 8, 8, 1)
	sh, err := unet.NewShuffler(x, []int{0, 1, 0, 1}, 2, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background(), sh, unet.RunConfig{MaxSteps: 2}); err != nil {
		t.Fatal(err)
	}
}

// filesUnder lists the files below dir, relative to it.
func filesUnder(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// TestNoTelemetryStore trains two steps on ONNX Runtime in a child process whose HOME and
// XDG_CACHE_HOME are empty temporary folders: with the project's settings no file may appear there
// (ONNX Runtime's telemetry keeps its device id and event queue under
// $XDG_CACHE_HOME/Microsoft/DeveloperTools/.onnxruntime). A control run that opts back in with
// ORT_DISABLE_TELEMETRY=0 must create that store, which shows the check can fail.
func TestNoTelemetryStore(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	if _, err := os.Stat(filepath.Join("..", "..", ORTRelPath)); err != nil {
		t.Skipf("ONNX Runtime not installed at %s (run the project's setup): %v", ORTRelPath, err)
	}
	lib, _ := filepath.Abs(filepath.Join("..", "..", ORTRelPath))
	run := func(t *testing.T, extra ...string) []string {
		home := t.TempDir()
		cache := filepath.Join(home, "cache")
		cmd := exec.Command(os.Args[0], "-test.run", "^TestTelemetryChildHelper$", "-test.count=1")
		var env []string
		for _, e := range os.Environ() {
			if !strings.HasPrefix(e, "HOME=") && !strings.HasPrefix(e, "XDG_CACHE_HOME=") && !strings.HasPrefix(e, EnvDisableTelemetry+"=") {
				env = append(env, e)
			}
		}
		cmd.Env = append(env, "HOME="+home, "XDG_CACHE_HOME="+cache, telemetryChildEnv+"=1", "GOMLX_BACKEND=onnx:"+lib)
		cmd.Env = append(cmd.Env, extra...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
		return filesUnder(home)
	}
	if files := run(t); len(files) != 0 {
		t.Errorf("a training run with telemetry off left %v under HOME/XDG_CACHE_HOME", files)
	}
	control := run(t, EnvDisableTelemetry+"=0")
	found := false
	for _, f := range control {
		found = found || strings.Contains(f, ".onnxruntime")
	}
	if !found {
		t.Logf("control run with telemetry on left %v: this ONNX Runtime build keeps no store, so the check above is vacuous here", control)
	} else {
		t.Logf("control run with telemetry on created %v", control)
	}
}
