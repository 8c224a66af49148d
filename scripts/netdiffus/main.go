// Command netdiffus is the command-line face of the NetDiffus-Go library (nblib):
// imaging, data, training, sampling, evaluation and paper reproduction.
//
// Each subcommand lives in its own cmd_<name>.go file and registers itself in init.
//
//	netdiffus <command> [flags]
//	netdiffus help <command>
//
// # A thin shell over the library
//
// A command parses flags, calls the library and prints what it returns; what it computes, a notebook
// can compute the same way. So the command imports only the library's entry points: nblib/pipeline
// (data, training, sampling, measuring, writing samples), nblib/preset, nblib/backend, nblib/repro,
// nblib/baselines, nblib/plots and nblib/bench; the data model and readers (datasets, nblib/traffic,
// nblib/traffic/trafficio); and internal/valid, internal/outputs and internal/atomicfile for its
// flags and files. It never imports nblib/eval/... or nblib/diffusion/...: measuring is
// pipeline.Measure whatever form the images come in, and samples leave through pipeline.WriteSamples.
//
// nblib/gasf is imported directly: it is the imaging stage itself (series in, images and their
// normalisation out, no model and no measurement), and `netdiffus image` exposes its parameters one
// flag each and writes its PNG/NPY outputs; a pipeline wrapper would only forward them.
// TestImportsOnlyEntryPoints checks the rule over the non-test files, naming each file and import
// that breaks it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"sort"
)

// command is one netdiffus subcommand.
type command struct {
	name    string
	summary string                    // one line, shown by `netdiffus help`
	run     func(args []string) error // args exclude the command name
}

var commands = map[string]command{}

// register adds a subcommand; called from init in each cmd_*.go file.
func register(c command) {
	if _, dup := commands[c.name]; dup {
		panic("netdiffus: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: netdiffus <command> [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(os.Stderr, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(os.Stderr, "\nRun 'netdiffus <command> -h' for a command's flags.")
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	if os.Args[1] == "help" && len(os.Args) == 2 || os.Args[1] == "-h" || os.Args[1] == "--help" {
		usage()
		return
	}
	name, args := os.Args[1], os.Args[2:]
	if name == "help" {
		name, args = os.Args[2], []string{"-h"}
	}
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "netdiffus: unknown command %q\n\n", name)
		usage()
		os.Exit(2)
	}
	os.Exit(runCommand(c, args))
}

// runCommand runs one command and returns the process exit status: 0 on success, -h or -print-config, else 1.
func runCommand(c command, args []string) int {
	err := c.run(args)
	switch {
	case err == nil, errors.Is(err, errPrinted), errors.Is(err, flag.ErrHelp):
		return 0
	}
	fmt.Fprintf(os.Stderr, "netdiffus %s: %v\n", c.name, err)
	return 1
}
