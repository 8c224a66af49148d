package backend

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestFindGPUEnvFake(t *testing.T) {
	const site = "/venv/lib/python3.12/site-packages"
	plugin := site + "/jax_plugins/xla_cuda13/xla_cuda_plugin.so"
	files := []string{plugin, site + "/nvidia/cu13/lib", site + "/nvidia/cudnn/lib", "/home/u/.local/lib/python3.12/site-packages/nvidia/nccl/lib"}
	for _, tc := range []struct {
		name       string
		env        map[string]string
		files      []string
		wantPlugin string
		wantLibs   []string
		wantErr    string
	}{
		{"site-packages named", map[string]string{EnvSitePackages: site}, files, plugin,
			[]string{site + "/nvidia/cu13/lib", site + "/nvidia/cudnn/lib", "/home/u/.local/lib/python3.12/site-packages/nvidia/nccl/lib"}, ""},
		{"virtualenv found by itself", map[string]string{"VIRTUAL_ENV": "/venv"}, files, plugin,
			[]string{site + "/nvidia/cu13/lib", site + "/nvidia/cudnn/lib", "/home/u/.local/lib/python3.12/site-packages/nvidia/nccl/lib"}, ""},
		{"plugin elsewhere, extra libraries first", map[string]string{EnvCUDAPlugin: "/opt/p.so", EnvNVIDIALibs: "/opt/cuda/lib64", EnvSitePackages: site},
			append(files, "/opt/p.so"), "/opt/p.so",
			[]string{"/opt/cuda/lib64", site + "/nvidia/cu13/lib", site + "/nvidia/cudnn/lib", "/home/u/.local/lib/python3.12/site-packages/nvidia/nccl/lib"}, ""},
		{"no plugin", nil, files[1:], "", nil, "set NETDIFFUS_PJRT_CUDA_PLUGIN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, err := FindGPUEnv(fakeProbe(tc.env, tc.files...))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || env.Plugin != tc.wantPlugin || !reflect.DeepEqual(env.LibDirs, tc.wantLibs) {
				t.Errorf("got %+v, %v; want plugin %s libs %v", env, err, tc.wantPlugin, tc.wantLibs)
			}
		})
	}
}

// TestGPUEnvShellOnDisk lays out a fake pip install on disk, finds it through the real file system and
// evaluates the shell lines in sh: the variables come out exactly, quotes and spaces included.
func TestGPUEnvShellOnDisk(t *testing.T) {
	site := filepath.Join(t.TempDir(), "it's a site", "site-packages")
	plugin := filepath.Join(site, "jax_plugins/xla_cuda13/xla_cuda_plugin.so")
	for _, d := range []string{filepath.Dir(plugin), filepath.Join(site, "nvidia/cublas/lib"), filepath.Join(site, "nvidia/cudnn/lib")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(plugin, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv(EnvSitePackages, site)
	t.Setenv(EnvCUDAPlugin, "")
	t.Setenv(EnvNVIDIALibs, "")
	env, err := FindGPUEnv(SystemProbe())
	if err != nil {
		t.Fatal(err)
	}
	libs := filepath.Join(site, "nvidia/cublas/lib") + ":" + filepath.Join(site, "nvidia/cudnn/lib")
	if env.Plugin != plugin || strings.Join(env.LibDirs, ":") != libs {
		t.Fatalf("found %+v", env)
	}
	want := "xla:" + plugin + "\n" + plugin + "\n" + libs + ":/old\n"
	cmd := exec.Command("sh", "-c", env.Shell()+`printf '%s\n%s\n%s\n' "$GOMLX_BACKEND" "$NETDIFFUS_PJRT_CUDA_PLUGIN" "$LD_LIBRARY_PATH"`)
	cmd.Env = append(os.Environ(), "LD_LIBRARY_PATH=/old")
	if out, err := cmd.Output(); err != nil || string(out) != want {
		t.Errorf("shell gave %q, %v; want %q", out, err, want)
	}
}
