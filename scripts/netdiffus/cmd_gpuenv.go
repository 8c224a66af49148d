package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/netdiffus/netdiffus/nblib/backend"
)

func init() {
	register(command{name: "gpu-env", summary: "print shell exports for XLA on CUDA from an installed JAX: the PJRT plugin and pip's NVIDIA library folders", run: runGPUEnv})
}

func runGPUEnv(args []string) error {
	fs := flag.NewFlagSet("gpu-env", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: eval \"$(netdiffus gpu-env)\"\n\n"+
			"Finds the PJRT CUDA plugin (%s, go-xla's folders, or %s under a site-packages folder:\n"+
			"%s first, e.g. the output of python3 -c 'import site; print(\":\".join(site.getsitepackages()))')\n"+
			"and the nvidia/*/lib folders of pip's NVIDIA packages (%s first), and prints exports of\n"+
			"GOMLX_BACKEND, %s and LD_LIBRARY_PATH. The loader reads LD_LIBRARY_PATH when a process\n"+
			"starts, so evaluate them in the shell that then runs netdiffus.\n",
			backend.EnvCUDAPlugin, backend.JAXPluginRel, backend.EnvSitePackages, backend.EnvNVIDIALibs, backend.EnvCUDAPlugin)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	env, err := backend.FindGPUEnv(backend.SystemProbe())
	if err != nil {
		return err
	}
	fmt.Print(env.Shell())
	if len(env.LibDirs) == 0 {
		fmt.Fprintln(os.Stderr, "gpu-env: no nvidia/*/lib folder found: the plugin must find the CUDA libraries on the system's library path")
	}
	return nil
}
