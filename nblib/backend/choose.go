package backend

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/project"
)

// Kind names a family of GoMLX backends.
type Kind string

// The backends NetDiffus-Go knows how to choose.
const (
	XLA  Kind = "xla"  // XLA through a PJRT plugin (GPU)
	ONNX Kind = "onnx" // ONNX Runtime (CPU)
	Go   Kind = "go"   // GoMLX's pure Go backend
)

// Environment variables read by Choose.
const (
	EnvBackend       = "GOMLX_BACKEND"                   // explicit choice, GoMLX's own variable
	EnvCUDAPlugin    = "NETDIFFUS_PJRT_CUDA_PLUGIN"      // path to a PJRT CUDA plugin .so
	EnvPJRTPaths     = "PJRT_PLUGIN_LIBRARY_PATH"        // go-xla's plugin search folders (":"-separated)
	EnvORTLibrary    = "ONNXRUNTIME_SHARED_LIBRARY_PATH" // path to libonnxruntime.so
	EnvNoAutoInstall = "GOMLX_NO_AUTO_INSTALL"
	EnvSitePackages  = "NETDIFFUS_SITE_PACKAGES" // extra Python package folders searched first (":"-separated)
)

// ORTRelPath is where scripts/setup puts the ONNX Runtime library, relative to the repository root.
const ORTRelPath = ".tools/onnxruntime/libonnxruntime.so.1"

// Choice is a backend decision: what to open and why.
type Choice struct {
	Kind     Kind
	Config   string   // argument for compute.NewWithConfig, e.g. "onnx:/abs/libonnxruntime.so.1"
	Library  string   // the shared library or plugin used; empty for the Go backend
	Reason   string   // why this one, in words
	Searched []string // locations examined on the way, for reports and errors
}

// String is the one-line report notebooks print.
func (c Choice) String() string {
	s := fmt.Sprintf("backend %s", c.Kind)
	if c.Library != "" {
		s += " (" + c.Library + ")"
	}
	return s + ": " + c.Reason
}

// Probe is what the choice looks at: environment and files. SystemProbe reads the real machine;
// tests substitute fakes.
type Probe struct {
	Getenv      func(string) string
	Exists      func(path string) bool
	Glob        func(pattern string) []string
	HomeDir     string
	ProjectRoot string // repository root; "" when unknown
}

// SystemProbe returns a Probe over the real environment and file system.
func SystemProbe() Probe {
	home, _ := os.UserHomeDir()
	return Probe{
		Getenv: os.Getenv,
		Exists: func(p string) bool {
			_, err := os.Stat(p)
			return err == nil
		},
		Glob: func(pattern string) []string {
			m, _ := filepath.Glob(pattern)
			return m
		},
		HomeDir:     home,
		ProjectRoot: project.Root(),
	}
}

// Candidates lists the backends worth trying, best first, ending with the Go backend. With GOMLX_BACKEND
// set it returns that single, validated choice, or an error naming what was looked for.
func Candidates(p Probe) ([]Choice, error) {
	if explicit := strings.TrimSpace(p.Getenv(EnvBackend)); explicit != "" {
		c, err := explicitChoice(p, explicit)
		if err != nil {
			return nil, err
		}
		return []Choice{c}, nil
	}
	var out []Choice
	var notes []string
	if c, note := cudaCandidate(p); c != nil {
		out = append(out, *c)
	} else {
		notes = append(notes, note)
	}
	if c, note := ortCandidate(p); c != nil {
		c.Reason = joinNotes(append(notes, c.Reason))
		out = append(out, *c)
	} else {
		notes = append(notes, note)
	}
	out = append(out, Choice{Kind: Go, Config: "go",
		Reason: joinNotes(append(notes, "using the pure Go backend (slow: run scripts/setup for ONNX Runtime)"))})
	return out, nil
}

func joinNotes(notes []string) string { return strings.Join(notes, "; ") }

// cudaCandidate returns XLA on CUDA when a driver and a plugin are present, else nil and why not.
func cudaCandidate(p Probe) (*Choice, string) {
	plugin, searched := findCUDAPlugin(p)
	if !hasNVIDIADriver(p) {
		return nil, "no NVIDIA driver (/proc/driver/nvidia/version absent)"
	}
	if plugin == "" {
		return nil, "NVIDIA driver present but no PJRT CUDA plugin found (set " + EnvCUDAPlugin + ")"
	}
	return &Choice{Kind: XLA, Config: "xla:" + plugin, Library: plugin, Searched: searched,
		Reason: "NVIDIA driver and PJRT CUDA plugin found"}, ""
}

func hasNVIDIADriver(p Probe) bool {
	return p.Exists("/proc/driver/nvidia/version") || p.Exists("/dev/nvidiactl")
}

// findCUDAPlugin looks for a PJRT CUDA plugin and returns its path ("" if none) and the places searched.
func findCUDAPlugin(p Probe) (string, []string) {
	var searched []string
	if env := p.Getenv(EnvCUDAPlugin); env != "" {
		searched = append(searched, env)
		if p.Exists(env) {
			return env, searched
		}
	}
	for _, dir := range pjrtDirs(p) {
		path := filepath.Join(dir, "pjrt_c_api_cuda_plugin.so")
		searched = append(searched, path)
		if p.Exists(path) {
			return path, searched
		}
	}
	for _, pattern := range jaxPluginPatterns(p) {
		searched = append(searched, pattern)
		if m := p.Glob(pattern); len(m) > 0 {
			return m[len(m)-1], searched // the highest CUDA major version sorts last
		}
	}
	return "", searched
}

// pjrtDirs are go-xla's plugin folders: $PJRT_PLUGIN_LIBRARY_PATH, else its standard install locations.
func pjrtDirs(p Probe) []string {
	if env := p.Getenv(EnvPJRTPaths); env != "" {
		return strings.FieldsFunc(env, func(r rune) bool { return r == ':' })
	}
	var dirs []string
	if p.HomeDir != "" {
		dirs = append(dirs, filepath.Join(p.HomeDir, ".local/lib/go-xla"), filepath.Join(p.HomeDir, ".local/lib/go-xla/nvidia"))
	}
	return append(dirs, "/usr/local/lib/go-xla", "/usr/local/lib/go-xla/nvidia")
}

// jaxPluginPatterns are where pip and Debian put jax's CUDA PJRT plugin: under every site-packages root.
func jaxPluginPatterns(p Probe) []string {
	roots := sitePackageRoots(p)
	out := make([]string, len(roots))
	for i, r := range roots {
		out[i] = filepath.Join(r, JAXPluginRel)
	}
	return out
}

// JAXPluginRel is the jax CUDA plugin's path below a site-packages folder (jax-cuda12-plugin, jax-cuda13-plugin).
const JAXPluginRel = "jax_plugins/xla_cuda*/xla_cuda_plugin.so"

// sitePackageRoots are the Python package folders searched, as glob patterns, first first:
// $NETDIFFUS_SITE_PACKAGES (":"-separated, e.g. the site.getsitepackages() of the python3 that has jax),
// $VIRTUAL_ENV's, then the system's, conda's and the user's.
func sitePackageRoots(p Probe) []string {
	roots := []string{"/usr/lib/python3*/site-packages", "/usr/lib/python3/dist-packages",
		"/usr/local/lib/python3*/site-packages", "/usr/local/lib/python3*/dist-packages", "/opt/conda/lib/python3*/site-packages"}
	if p.HomeDir != "" {
		roots = append(roots, filepath.Join(p.HomeDir, ".local/lib/python3*/site-packages"),
			filepath.Join(p.HomeDir, ".pyenv/versions/*/lib/python3*/site-packages"))
	}
	if venv := p.Getenv("VIRTUAL_ENV"); venv != "" {
		roots = append([]string{filepath.Join(venv, "lib/python3*/site-packages")}, roots...)
	}
	if env := p.Getenv(EnvSitePackages); env != "" {
		roots = append(strings.FieldsFunc(env, func(r rune) bool { return r == ':' }), roots...)
	}
	return roots
}

// ortCandidate returns ONNX Runtime when its library is found, else nil and why not.
func ortCandidate(p Probe) (*Choice, string) {
	lib, searched := findORT(p)
	if lib == "" {
		return nil, "no ONNX Runtime library (looked in " + strings.Join(searched, ", ") + ")"
	}
	return &Choice{Kind: ONNX, Config: "onnx:" + lib, Library: lib, Searched: searched,
		Reason: "ONNX Runtime on CPU"}, ""
}

// findORT looks for libonnxruntime and returns its path ("" if none) and the places searched.
func findORT(p Probe) (string, []string) {
	var paths []string
	if env := p.Getenv(EnvORTLibrary); env != "" {
		paths = append(paths, env)
	}
	if p.ProjectRoot != "" {
		paths = append(paths, filepath.Join(p.ProjectRoot, ORTRelPath))
	}
	if p.HomeDir != "" {
		paths = append(paths, filepath.Join(p.HomeDir, ".local/lib/onnxruntime/libonnxruntime.so"))
	}
	for _, path := range paths {
		if p.Exists(path) {
			return path, paths
		}
	}
	return "", paths
}

// explicitChoice validates GOMLX_BACKEND.
func explicitChoice(p Probe, value string) (Choice, error) {
	name, config, _ := strings.Cut(value, ":")
	why := EnvBackend + "=" + value
	switch strings.ToLower(name) {
	case "go":
		return Choice{Kind: Go, Config: "go", Reason: "explicit " + why}, nil
	case "onnx", "onnxruntime":
		return explicitORT(p, config, why)
	case "xla", "stablehlo", "hlo", "shlo":
		return explicitXLA(p, config, why)
	}
	return Choice{}, fmt.Errorf("%s: unknown backend %q; use go, onnx[:<libonnxruntime.so>] or xla:<plugin>", why, name)
}

func explicitORT(p Probe, config, why string) (Choice, error) {
	lib := config
	if lib == "" || !strings.Contains(lib, "/") {
		var searched []string
		if lib, searched = findORT(p); lib == "" {
			return Choice{}, fmt.Errorf("%s: no ONNX Runtime library found (looked in %s); run scripts/setup or set %s",
				why, strings.Join(searched, ", "), EnvORTLibrary)
		}
		if config != "" {
			lib += "," + config // session options such as "intra_op_num_threads=2"
		}
	} else if path, _, _ := strings.Cut(lib, ","); !p.Exists(path) {
		return Choice{}, fmt.Errorf("%s: ONNX Runtime library %s does not exist; run scripts/setup or fix the path", why, path)
	}
	path, _, _ := strings.Cut(lib, ",")
	return Choice{Kind: ONNX, Config: "onnx:" + lib, Library: path, Reason: "explicit " + why}, nil
}

func explicitXLA(p Probe, config, why string) (Choice, error) {
	switch {
	case config == "":
		return Choice{}, fmt.Errorf("%s: name a PJRT plugin, e.g. xla:cuda, xla:cpu or xla:/abs/path/plugin.so", why)
	case filepath.IsAbs(config):
		if !p.Exists(config) {
			return Choice{}, fmt.Errorf("%s: PJRT plugin %s does not exist", why, config)
		}
		return Choice{Kind: XLA, Config: "xla:" + config, Library: config, Reason: "explicit " + why}, nil
	case config == "cuda":
		plugin, searched := findCUDAPlugin(p)
		if plugin == "" {
			return Choice{}, fmt.Errorf("%s: no PJRT CUDA plugin found (looked in %s); set %s to the plugin's path "+
				"(a jax CUDA install has jax_plugins/xla_cuda*/xla_cuda_plugin.so)", why, strings.Join(searched, ", "), EnvCUDAPlugin)
		}
		return Choice{Kind: XLA, Config: "xla:" + plugin, Library: plugin, Searched: searched, Reason: "explicit " + why}, nil
	}
	file := "pjrt_c_api_" + config + "_plugin.so"
	var searched []string
	for _, dir := range pjrtDirs(p) {
		path := filepath.Join(dir, file)
		searched = append(searched, path)
		if p.Exists(path) {
			return Choice{Kind: XLA, Config: "xla:" + path, Library: path, Reason: "explicit " + why}, nil
		}
	}
	return Choice{}, fmt.Errorf("%s: PJRT plugin %s not found (looked in %s); nothing is downloaded: install it or give its absolute path",
		why, file, strings.Join(searched, ", "))
}
