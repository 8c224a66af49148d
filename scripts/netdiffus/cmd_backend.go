package main

import (
	"flag"
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/backend"
)

func init() {
	register(command{name: "backend", summary: "print the GoMLX backend chosen and why, then run a one-step training check", run: runBackend})
}

func runBackend(args []string) error {
	fs := flag.NewFlagSet("backend", flag.ContinueOnError)
	steps := fs.Int("steps", 10, "SGD steps of the conv check (the first one includes compilation)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, choice, err := backend.New()
	if err != nil {
		return err
	}
	fmt.Println(choice)
	fmt.Printf("  %s\n", b.Description())
	res, err := backend.Check(b, *steps)
	if err != nil {
		return err
	}
	fmt.Printf("  %s\n", res)
	return nil
}
