package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/netdiffus/netdiffus/internal/outputs"
	"github.com/netdiffus/netdiffus/internal/valid"

	"github.com/netdiffus/netdiffus/nblib/preset"
)

// errPrinted ends a command after -print-config printed the configuration.
var errPrinted = errors.New("configuration printed")

// setList collects repeated -set flags.
type setList []string

func (s *setList) String() string     { return strings.Join(*s, " ") }
func (s *setList) Set(v string) error { *s = append(*s, v); return nil }

// runFlags are the flags every pipeline command shares, with one name per concept:
// -preset, -set, -config, -print-config, -model (the model folder) and -quiet.
type runFlags struct {
	fs          *flag.FlagSet
	preset      string
	sets        setList
	config      string
	printConfig bool
	model       string
	quiet       bool
	force       bool
}

// newRunFlags makes a flag set for command name with the shared flags; usage is printed above them.
func newRunFlags(name, usage string) *runFlags {
	f := &runFlags{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	f.fs.StringVar(&f.preset, "preset", "", "run preset: smoke (alias quick), cpu or full (default: smoke, or the model folder's)")
	f.fs.Var(&f.sets, "set", "override one preset field, e.g. -set Net.Size=16 -set Train.Steps=5 (repeatable; see -print-config for the names)")
	f.fs.StringVar(&f.config, "config", "", "JSON file of preset fields to override (the layout -print-config prints)")
	f.fs.BoolVar(&f.printConfig, "print-config", false, "print the effective configuration as JSON and exit")
	f.fs.StringVar(&f.model, "model", "diffusion-run", "model folder: checkpoints, loss curve and pipeline.json")
	f.fs.BoolVar(&f.quiet, "quiet", false, "no progress bars or progress lines")
	f.fs.BoolVar(&f.force, "force", false, "replace existing output files (never an input)")
	f.fs.Usage = func() {
		fmt.Fprintf(f.fs.Output(), "usage: netdiffus %s\n\nflags:\n", usage)
		f.fs.PrintDefaults()
	}
	return f
}

// parse parses args; a positional argument left over is an error.
func (f *runFlags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	return valid.NoArgs(f.fs)
}

// outputs returns the output guard of a run reading inputs (and the model folder).
func (f *runFlags) outputs(inputs ...string) *outputs.Guard {
	return outputs.New(f.force, append(inputs, f.model)...)
}

// setsNet reports whether -preset, -config or a -set of a Net field may have changed the network.
func (f *runFlags) setsNet() bool {
	for _, s := range f.sets {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "net.") {
			return true
		}
	}
	return f.preset != "" || f.config != ""
}

// resolve returns the effective preset: -preset (else base, else smoke), then -config, then each -set
// in order. With -print-config it prints it and returns errPrinted.
func (f *runFlags) resolve(base *preset.Preset) (preset.Preset, error) {
	var p preset.Preset
	var err error
	switch {
	case f.preset != "":
		p, err = preset.Named(f.preset)
	case base != nil:
		p = *base
	default:
		p = preset.SmokePreset()
	}
	if err != nil {
		return p, err
	}
	if f.config != "" {
		if err := p.Load(f.config); err != nil {
			return p, err
		}
	}
	if err := p.SetAll(f.sets); err != nil {
		return p, err
	}
	if err := p.Validate(); err != nil {
		return p, err
	}
	if f.printConfig {
		os.Stdout.Write(append(p.JSON(), '\n'))
		return p, errPrinted
	}
	return p, nil
}

// isSet reports whether the flag name was given.
func (f *runFlags) isSet(name string) bool {
	set := false
	f.fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}
