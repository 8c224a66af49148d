package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestDeviceCheckHostHalf runs scripts/device-check as a user does, then the carried run.sh's discovery
// on a fake JAX install: the folder holds an amd64 Linux netdiffus, the twin and run.sh; run.sh finds the
// plugin and pip's NVIDIA library folders from NETDIFFUS_SITE_PACKAGES, takes an explicit
// NETDIFFUS_PJRT_CUDA_PLUGIN over the search, and without a plugin fails saying how to point at one.
func TestDeviceCheckHostHalf(t *testing.T) {
	if testing.Short() {
		t.Skip("builds netdiffus (-short)")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "carry")
	cmd := exec.Command(filepath.Join(root, "scripts/device-check"), "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/device-check: %v\n%s", err, b)
	}
	for _, name := range []string{"netdiffus", "run.sh", "unet_torch.py", "BUILD"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("carry folder: %v", err)
		}
	}
	f, err := elf.Open(filepath.Join(out, "netdiffus"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Machine != elf.EM_X86_64 || f.Type != elf.ET_EXEC && f.Type != elf.ET_DYN {
		t.Errorf("netdiffus is %v %v, want an x86-64 executable", f.Machine, f.Type)
	}
	f.Close()
	twin, _ := os.ReadFile(filepath.Join(out, "unet_torch.py"))
	if !strings.Contains(string(twin), "--net") {
		t.Error("unet_torch.py in the carry folder does not take --net")
	}

	site := filepath.Join(t.TempDir(), "venv/lib/python3.12/site-packages")
	plugin := filepath.Join(site, "jax_plugins/xla_cuda13/xla_cuda_plugin.so")
	libs := []string{filepath.Join(site, "nvidia/cu13/lib"), filepath.Join(site, "nvidia/cudnn/lib")}
	for _, d := range append(libs, filepath.Dir(plugin)) {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(plugin, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "pjrt_c_api_cuda_plugin.so")
	if err := os.WriteFile(other, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	discover := func(env ...string) (string, error) {
		c := exec.Command(filepath.Join(out, "run.sh"), "-discover")
		c.Env = append(cleanEnv(), env...)
		b, err := c.CombinedOutput()
		return string(b), err
	}
	got, err := discover("NETDIFFUS_SITE_PACKAGES=" + site)
	want := "export GOMLX_BACKEND='xla:" + plugin + "'\nexport NETDIFFUS_PJRT_CUDA_PLUGIN='" + plugin + "'\n" +
		"export LD_LIBRARY_PATH='" + libs[0] + ":" + libs[1] + "'${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}\n"
	if err != nil || got != want {
		t.Errorf("discovery on the fake tree: %v\n got %q\nwant %q", err, got, want)
	}
	got, err = discover("NETDIFFUS_SITE_PACKAGES="+site, "NETDIFFUS_PJRT_CUDA_PLUGIN="+other)
	if err != nil || !strings.Contains(got, "GOMLX_BACKEND='xla:"+other+"'") || !strings.Contains(got, libs[0]) {
		t.Errorf("explicit plugin: %v\n%s", err, got)
	}
	got, err = discover("NETDIFFUS_SITE_PACKAGES=" + filepath.Dir(site)) // no plugin there
	if err == nil || !strings.Contains(got, "no PJRT CUDA plugin found") || !strings.Contains(got, "NETDIFFUS_PJRT_CUDA_PLUGIN") {
		t.Errorf("no plugin: %v\n%s", err, got)
	}
}

// cleanEnv is the environment without the variables the discovery reads, so the host's own installs
// (a VIRTUAL_ENV, a plugin path) do not leak into the test.
func cleanEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch k {
		case "NETDIFFUS_PJRT_CUDA_PLUGIN", "NETDIFFUS_SITE_PACKAGES", "NETDIFFUS_NVIDIA_LIBS", "VIRTUAL_ENV", "PJRT_PLUGIN_LIBRARY_PATH", "HOME":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME=/nonexistent")
}
