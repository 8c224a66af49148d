package backend

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// GPUEnv is what a process needs to run XLA on CUDA from an installed JAX: the PJRT CUDA plugin, and
// the folders of the NVIDIA libraries that pip installed beside it (nvidia/*/lib: cuBLAS, cuDNN, the
// CUDA runtime, ...), which the dynamic loader must see through LD_LIBRARY_PATH when the plugin loads.
type GPUEnv struct {
	Plugin   string   // the PJRT CUDA plugin
	LibDirs  []string // NVIDIA library folders, the plugin's own site-packages first
	Searched []string // where the plugin was looked for
}

// EnvNVIDIALibs names extra NVIDIA library folders (":"-separated) that FindGPUEnv puts first.
const EnvNVIDIALibs = "NETDIFFUS_NVIDIA_LIBS"

// FindGPUEnv finds the PJRT CUDA plugin as the backend choice does ($NETDIFFUS_PJRT_CUDA_PLUGIN, go-xla's
// folders, then jax_plugins/xla_cuda*/xla_cuda_plugin.so under every site-packages root, with
// $NETDIFFUS_SITE_PACKAGES first) and the nvidia/*/lib folders under the same roots ($NETDIFFUS_NVIDIA_LIBS
// first). No plugin is an error listing where it looked and how to point at one.
func FindGPUEnv(p Probe) (GPUEnv, error) {
	plugin, searched := findCUDAPlugin(p)
	env := GPUEnv{Plugin: plugin, Searched: searched}
	if plugin == "" {
		return env, fmt.Errorf("no PJRT CUDA plugin found (looked in %s): install jax with jax-cuda13-plugin (or 12), "+
			"add its site-packages to %s, or set %s to the plugin's absolute path",
			strings.Join(searched, ", "), EnvSitePackages, EnvCUDAPlugin)
	}
	roots := sitePackageRoots(p)
	if i := strings.Index(plugin, "/jax_plugins/"); i > 0 {
		roots = append([]string{plugin[:i]}, roots...)
	}
	seen := map[string]bool{}
	add := func(dir string) {
		if dir != "" && !seen[dir] {
			seen[dir] = true
			env.LibDirs = append(env.LibDirs, dir)
		}
	}
	for _, dir := range strings.FieldsFunc(p.Getenv(EnvNVIDIALibs), func(r rune) bool { return r == ':' }) {
		add(dir)
	}
	for _, root := range roots {
		dirs := p.Glob(filepath.Join(root, "nvidia/*/lib"))
		sort.Strings(dirs)
		for _, d := range dirs {
			add(d)
		}
	}
	return env, nil
}

// Shell returns POSIX shell lines that export the environment: GOMLX_BACKEND=xla:<plugin>,
// NETDIFFUS_PJRT_CUDA_PLUGIN and LD_LIBRARY_PATH (the library folders before any existing value).
func (e GPUEnv) Shell() string {
	var b strings.Builder
	fmt.Fprintf(&b, "export %s=%s\n", EnvBackend, shellQuote("xla:"+e.Plugin))
	fmt.Fprintf(&b, "export %s=%s\n", EnvCUDAPlugin, shellQuote(e.Plugin))
	if len(e.LibDirs) > 0 {
		fmt.Fprintf(&b, "export LD_LIBRARY_PATH=%s${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\n", shellQuote(strings.Join(e.LibDirs, ":")))
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
