package backend

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gomlx/compute"
)

// fakeProbe builds a Probe over an in-memory environment and set of files.
func fakeProbe(env map[string]string, files ...string) Probe {
	have := map[string]bool{}
	for _, f := range files {
		have[f] = true
	}
	return Probe{
		Getenv: func(k string) string { return env[k] },
		Exists: func(p string) bool { return have[p] },
		Glob: func(pattern string) []string {
			var m []string
			for _, f := range files {
				if ok, _ := filepath.Match(pattern, f); ok {
					m = append(m, f)
				}
			}
			return m
		},
		HomeDir:     "/home/u",
		ProjectRoot: "/repo",
	}
}

const (
	driver     = "/proc/driver/nvidia/version"
	projectORT = "/repo/" + ORTRelPath
	userORT    = "/home/u/.local/lib/onnxruntime/libonnxruntime.so"
	jaxPlugin  = "/usr/local/lib/python3.12/dist-packages/jax_plugins/xla_cuda13/xla_cuda_plugin.so"
	goxlaCUDA  = "/usr/local/lib/go-xla/pjrt_c_api_cuda_plugin.so"
)

func TestCandidates(t *testing.T) {
	tests := []struct {
		name  string
		env   map[string]string
		files []string
		want  []string // Config of each candidate, in order
	}{
		{"nothing installed: Go only", nil, nil, []string{"go"}},
		{"project ORT", nil, []string{projectORT}, []string{"onnx:" + projectORT, "go"}},
		{"user ORT", nil, []string{userORT}, []string{"onnx:" + userORT, "go"}},
		{"env ORT wins over project ORT", map[string]string{EnvORTLibrary: "/opt/ort.so"}, []string{"/opt/ort.so", projectORT},
			[]string{"onnx:/opt/ort.so", "go"}},
		{"jax CUDA plugin and driver", nil, []string{driver, jaxPlugin, projectORT},
			[]string{"xla:" + jaxPlugin, "onnx:" + projectORT, "go"}},
		{"go-xla CUDA plugin preferred over jax's", nil, []string{driver, jaxPlugin, goxlaCUDA},
			[]string{"xla:" + goxlaCUDA, "go"}},
		{"plugin without a driver is skipped", nil, []string{jaxPlugin, projectORT}, []string{"onnx:" + projectORT, "go"}},
		{"driver without a plugin", nil, []string{driver}, []string{"go"}},
		{"NETDIFFUS_PJRT_CUDA_PLUGIN", map[string]string{EnvCUDAPlugin: "/x/cuda.so"}, []string{driver, "/x/cuda.so"},
			[]string{"xla:/x/cuda.so", "go"}},
		{"PJRT_PLUGIN_LIBRARY_PATH replaces go-xla's folders", map[string]string{EnvPJRTPaths: "/p1:/p2"},
			[]string{driver, goxlaCUDA, "/p2/pjrt_c_api_cuda_plugin.so"}, []string{"xla:/p2/pjrt_c_api_cuda_plugin.so", "go"}},
		{"explicit go ignores everything else", map[string]string{EnvBackend: "go"}, []string{driver, jaxPlugin, projectORT},
			[]string{"go"}},
		{"explicit onnx finds the library", map[string]string{EnvBackend: "onnx"}, []string{projectORT}, []string{"onnx:" + projectORT}},
		{"explicit onnx with session options", map[string]string{EnvBackend: "onnx:intra_op_num_threads=2"}, []string{projectORT},
			[]string{"onnx:" + projectORT + ",intra_op_num_threads=2"}},
		{"explicit onnx path", map[string]string{EnvBackend: "onnx:/opt/o.so"}, []string{"/opt/o.so"}, []string{"onnx:/opt/o.so"}},
		{"explicit xla:cuda uses jax's plugin", map[string]string{EnvBackend: "xla:cuda"}, []string{jaxPlugin}, []string{"xla:" + jaxPlugin}},
		{"explicit xla plugin path", map[string]string{EnvBackend: "xla:/abs/p.so"}, []string{"/abs/p.so"}, []string{"xla:/abs/p.so"}},
		{"explicit xla:cpu in go-xla's folder", map[string]string{EnvBackend: "xla:cpu"}, []string{"/home/u/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so"},
			[]string{"xla:/home/u/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cands, err := Candidates(fakeProbe(tc.env, tc.files...))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cands {
				got = append(got, c.Config)
				if c.Reason == "" {
					t.Errorf("candidate %s has no reason", c.Config)
				}
			}
			if strings.Join(got, " | ") != strings.Join(tc.want, " | ") {
				t.Errorf("candidates\n got %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestExplicitErrors(t *testing.T) {
	tests := []struct {
		value   string
		files   []string
		mention []string // the error must name these, so the user knows what was looked for
	}{
		{"tpu", nil, []string{"unknown backend", "go, onnx"}},
		{"onnx", nil, []string{"no ONNX Runtime library", projectORT, userORT, "scripts/setup"}},
		{"onnx:/missing/libonnxruntime.so", nil, []string{"/missing/libonnxruntime.so does not exist"}},
		{"xla", nil, []string{"name a PJRT plugin"}},
		{"xla:cuda", nil, []string{"no PJRT CUDA plugin", goxlaCUDA, "jax_plugins", EnvCUDAPlugin}},
		{"xla:/abs/missing.so", nil, []string{"/abs/missing.so does not exist"}},
		{"xla:rocm", nil, []string{"pjrt_c_api_rocm_plugin.so not found", "/usr/local/lib/go-xla", "nothing is downloaded"}},
	}
	for _, tc := range tests {
		t.Run(tc.value, func(t *testing.T) {
			_, err := Candidates(fakeProbe(map[string]string{EnvBackend: tc.value}, tc.files...))
			if err == nil {
				t.Fatalf("GOMLX_BACKEND=%s: want an error", tc.value)
			}
			for _, m := range tc.mention {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
		})
	}
}

func TestReasonSaysWhatWasMissing(t *testing.T) {
	cands, _ := Candidates(fakeProbe(nil))
	r := cands[0].String()
	for _, m := range []string{"backend go", "no NVIDIA driver", "no ONNX Runtime library", projectORT} {
		if !strings.Contains(r, m) {
			t.Errorf("report %q does not mention %q", r, m)
		}
	}
}

func TestOpenFirstFallsBack(t *testing.T) {
	cands := []Choice{{Kind: XLA, Config: "xla:/p.so", Reason: "plugin found"}, {Kind: ONNX, Config: "onnx:/o.so", Reason: "ORT"}, {Kind: Go, Config: "go", Reason: "go"}}
	opened := []string{}
	open := func(config string) (compute.Backend, error) {
		opened = append(opened, config)
		if config == "go" {
			return nil, nil // a nil backend stands in for success here
		}
		return nil, errors.New("boom " + config)
	}
	_, c, err := openFirst(cands, open)
	if err != nil {
		t.Fatal(err)
	}
	if c.Kind != Go || len(opened) != 3 {
		t.Fatalf("opened %v, chose %v", opened, c)
	}
	for _, m := range []string{"xla:/p.so failed to open (boom xla:/p.so)", "onnx:/o.so failed to open"} {
		if !strings.Contains(c.Reason, m) {
			t.Errorf("reason %q lacks %q", c.Reason, m)
		}
	}
	if _, _, err := openFirst(cands[:1], open); err == nil || !strings.Contains(err.Error(), "no backend could be opened") {
		t.Errorf("all failing: got %v", err)
	}
}

func TestSafeOpenUnknownBackendIsAnError(t *testing.T) {
	if _, err := safeOpen("no-such-backend"); err == nil {
		t.Fatal("want an error for an unregistered backend")
	}
}
