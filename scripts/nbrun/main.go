// Command nbrun executes NetDiffus-Go notebooks headless with the GoNB kernel and reports on them: the
// main job of the project (scripts/run-notebooks calls it after scripts/setup).
//
//	go run ./scripts/nbrun [-mode smoke|cpu|full] [-out out] [-timeout 30m] [notebook.ipynb ...]
//
// Each notebook runs in its own folder through `jupyter nbconvert --execute --allow-errors`; the executed
// copy goes to OUT/notebooks, the kernel's log to OUT/logs, and figures (written by nblib) to OUT/figures.
// Every rich output of an executed copy gets a plain-text fallback, and the copy is signed with
// Jupyter's notary (`jupyter trust`; -trust=false leaves it unsigned), so `jupyter notebook out/notebooks`
// shows every chart and caption without a manual trust step.
// The run fails when any notebook fails to execute or holds an error output. The mode reaches the
// notebooks as NETDIFFUS_MODE and the figure folder as NETDIFFUS_OUT.
package main

import (
	"flag"
	"fmt"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"os"
	"path/filepath"
	"sort"
	"time"
)

type result struct {
	notebook string
	status   string // "ok" or "FAILED"
	detail   string
	seconds  float64
}

func main() {
	modeFlag := flag.String("mode", preset.Smoke, "run preset (nblib/preset): smoke (CI, minutes; alias quick), cpu (about 30 min per dataset on 2 cores) or full (the paper's scale, for a GPU)")
	out := flag.String("out", "out", "output folder for executed notebooks, logs and figures")
	timeout := flag.Duration("timeout", 30*time.Minute, "time limit per cell")
	trust := flag.Bool("trust", true, "sign the executed notebooks (jupyter trust) so this user's Jupyter opens them trusted and draws their charts")
	flag.Parse()
	canonical, err := preset.Canonical(*modeFlag)
	if err != nil {
		fatalf("-mode: %v", err)
	}
	mode := &canonical
	notebooks := flag.Args()
	if len(notebooks) == 0 {
		notebooks, _ = filepath.Glob("notebooks/*.ipynb")
		sort.Strings(notebooks)
	}
	if len(notebooks) == 0 {
		fatalf("no notebooks given and none found in notebooks/")
	}
	outAbs, err := filepath.Abs(*out)
	if err != nil {
		fatalf("%v", err)
	}
	for _, sub := range []string{"notebooks", "logs", "figures"} {
		if err := os.MkdirAll(filepath.Join(outAbs, sub), 0o755); err != nil {
			fatalf("%v", err)
		}
	}
	var signer func(string) error
	if *trust {
		signer = sign
	}
	var results []result
	for _, nb := range notebooks {
		fmt.Printf("running %s (%s mode) ...\n", nb, *mode)
		r := run(nb, outAbs, *mode, *timeout, signer)
		if r.detail != "" {
			fmt.Printf("  %s: %s\n", r.status, r.detail)
		}
		results = append(results, r)
	}
	failed := printTable(os.Stdout, results)
	printFigures(filepath.Join(outAbs, "figures"))
	if failed > 0 {
		fmt.Printf("%d of %d notebooks failed; logs in %s\n", failed, len(results), filepath.Join(outAbs, "logs"))
		os.Exit(1)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "nbrun: "+format+"\n", args...)
	os.Exit(2)
}

func printFigures(dir string) {
	entries, _ := os.ReadDir(dir)
	fmt.Printf("figures in %s: %d\n", dir, len(entries))
	for _, e := range entries {
		fmt.Printf("  %s\n", e.Name())
	}
}
