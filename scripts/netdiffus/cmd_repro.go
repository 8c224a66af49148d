package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/netdiffus/netdiffus/nblib/plots"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/repro"
)

func init() {
	register(command{name: "repro", summary: "one figure or table of the paper (table1, fig6, fig8, table3, ...) as its notebook runs it", run: runRepro})
}

// reproFlags are the flags of `netdiffus repro`.
type reproFlags struct {
	fs             *flag.FlagSet
	mode           string
	force          bool
	writeReference bool
	list           bool
	verdicts       bool
	stale          bool
	update         bool
	plan           bool
	quiet          bool
	sets           setList
}

func newReproFlags() *reproFlags {
	f := &reproFlags{fs: flag.NewFlagSet("repro", flag.ContinueOnError)}
	f.fs.StringVar(&f.mode, "mode", "smoke", "preset: smoke (alias quick), cpu or full")
	f.fs.BoolVar(&f.force, "force", false, "recompute the cached result (trained models are reused)")
	f.fs.BoolVar(&f.writeReference, "write-reference", false, "store the result as the item's reference (cpu mode only, no -set)")
	f.fs.BoolVar(&f.list, "list", false, "list the figures and tables (and the variance run) and exit")
	f.fs.BoolVar(&f.verdicts, "verdicts", false, "print the verdicts on every stored cpu reference and exit (runs nothing)")
	f.fs.BoolVar(&f.update, "update", false, "with -verdicts: rewrite the stored-verdict block of "+repro.VerdictsPage+" instead of printing it")
	f.fs.BoolVar(&f.stale, "stale", false, "print the items (and the variance run) whose stored cpu reference is missing or no longer matches today's cpu preset, one a line, and exit (scripts/regenerate-references runs them)")
	f.fs.BoolVar(&f.quiet, "quiet", false, "no progress lines")
	f.fs.BoolVar(&f.plan, "plan", false, "print the item's model trainings (cache key and command for netdiffus train-plan) and exit; NAME all: every item's, each model once")
	f.fs.Var(&f.sets, "set", "override one preset field, e.g. -set Downstream.Epochs=5 (repeatable)")
	f.fs.Usage = func() {
		fmt.Fprintf(f.fs.Output(), "usage: netdiffus repro NAME [-mode smoke|cpu|full] [-force] [-write-reference] [-set Path=value]\n       netdiffus repro NAME|all -plan [-mode smoke|cpu|full] [-set Path=value]\n       netdiffus repro -list\n       netdiffus repro -verdicts [-update]\n       netdiffus repro -stale\n\nflags:\n")
		f.fs.PrintDefaults()
	}
	return f
}

// parse accepts the flags before or after NAME and returns NAME ("" with -list).
func (f *reproFlags) parse(args []string) (string, error) {
	if err := f.fs.Parse(args); err != nil {
		return "", err
	}
	rest := f.fs.Args()
	if (f.list || f.verdicts || f.stale) && len(rest) == 0 {
		return "", nil
	}
	if len(rest) == 0 {
		f.fs.Usage()
		return "", errors.New("repro: name a figure or table (netdiffus repro -list shows them)")
	}
	name := rest[0]
	if err := f.fs.Parse(rest[1:]); err != nil {
		return "", err
	}
	if extra := f.fs.Args(); len(extra) > 0 {
		return "", fmt.Errorf("repro: unexpected arguments %q after %s", extra, name)
	}
	return name, nil
}

func runRepro(args []string) error {
	f := newReproFlags()
	name, err := f.parse(args)
	if err != nil {
		return err
	}
	if f.list {
		for _, it := range repro.Items() {
			fmt.Printf("%-8s %s\n", it.Name, it.Title)
		}
		fmt.Printf("%-8s %s\n", repro.VariancePlan, repro.VarianceTitle)
		return nil
	}
	if f.update && !f.verdicts {
		return errors.New("repro: -update goes with -verdicts (netdiffus repro -verdicts -update)")
	}
	if f.verdicts {
		if !f.update {
			return repro.WriteStoredVerdicts(os.Stdout)
		}
		changed, err := repro.UpdateVerdictsPage()
		if err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "%s: stored verdicts %s\n", repro.VerdictsPage, map[bool]string{true: "rewritten", false: "already current"}[changed])
		return nil
	}
	if f.stale {
		for _, name := range repro.StaleReferences() {
			fmt.Println(name)
		}
		return nil
	}
	p, err := f.preset()
	if err != nil {
		return err
	}
	if f.plan {
		return printPlan(name, p, f)
	}
	if name == repro.AllItems {
		return errors.New("repro: all goes with -plan (netdiffus repro all -plan); run the items one at a time, or every notebook with scripts/run-notebooks")
	}
	var log io.Writer = os.Stderr
	if f.quiet {
		log = io.Discard
	}
	if name == repro.VariancePlan {
		return reproVariance(p, f, log)
	}
	it, err := repro.ItemNamed(name)
	if err != nil {
		return err
	}
	commit, start := gitCommit(), time.Now() // the code that runs, even if the checkout changes meanwhile
	res, err := it.Run(p, f.force, log)
	if err != nil {
		return err
	}
	fmt.Printf("%s, preset %s (%s)\n\n", it.Title, p.Name, time.Since(start).Round(time.Second))
	ref, meta, err := it.Stored()
	if err != nil { // a stale reference does not hide this run's result (ref and meta are nil)
		fmt.Fprintln(os.Stderr, "the stored reference is left out:", err)
	}
	fmt.Println(repro.ReferenceNote(meta))
	fmt.Println()
	header, rows := it.Compare(res, ref)
	fmt.Print(plots.Markdown(header, rows))
	fmt.Println()
	it.WriteVerdicts(os.Stdout, res, ref)
	if !f.writeReference {
		return nil
	}
	path, err := repro.WriteReference(it.Name, it.Config(p), res, commit, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "reference written to %s\n", path)
	return nil
}

// reproVariance runs the evidence protocol's variance run (repro.VarianceFor: its datasets and seeds)
// under p, prints its table beside the stored reference's and, with -write-reference, stores it.
// `netdiffus variance` runs the same with other datasets, seeds or splits.
func reproVariance(p preset.Preset, f *reproFlags, log io.Writer) error {
	commit, start := gitCommit(), time.Now()
	c := repro.VarianceFor(p)
	r, err := repro.ModelVariance(c, f.force, log)
	if err != nil {
		return err
	}
	fmt.Printf("Model variance, preset %s (%s): %d models per dataset; within-model intervals are 95%% bootstrap, between-model intervals 95%% t over the models\n\n",
		p.Name, time.Since(start).Round(time.Second), len(c.Seeds))
	fmt.Print(plots.Markdown(r.Table()))
	stored, meta, err := repro.StoredVariance()
	if err != nil {
		fmt.Fprintln(os.Stderr, "the stored reference is left out:", err)
	}
	if stored != nil {
		fmt.Printf("\nStored reference (the %s preset, commit %s, %s):\n\n", meta.Preset, meta.Commit, meta.Date)
		fmt.Print(plots.Markdown(stored.Table()))
	}
	if !f.writeReference {
		return nil
	}
	path, err := repro.WriteReference(repro.VariancePlan, c, r, commit, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "reference written to %s\n", path)
	return nil
}

// preset resolves -mode and -set; a reference must be the plain reference preset.
func (f *reproFlags) preset() (preset.Preset, error) {
	p, err := preset.Named(f.mode)
	if err != nil {
		return p, err
	}
	if f.writeReference && (p.Name != repro.ReferencePreset || len(f.sets) > 0) {
		return p, fmt.Errorf("repro: -write-reference stores the %s preset unchanged: use -mode %s and no -set", repro.ReferencePreset, repro.ReferencePreset)
	}
	if err := p.SetAll(f.sets); err != nil {
		return p, err
	}
	return p, p.Validate()
}

// referenceFolder is where the stored references live in the checkout (repro.ReferenceDir's default).
const referenceFolder = "results-reference"

// gitCommit names the checked-out commit ("-dirty" with uncommitted changes to tracked files), or
// "unknown". The stored references themselves (results-reference/) do not count: regenerating them one
// item after another rewrites them, and the code that made the next one is still the commit's.
func gitCommit() string {
	out, err := exec.Command("git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	commit := strings.TrimSpace(string(out))
	status := exec.Command("git", "status", "--porcelain", "--untracked-files=no", "--", ":/", ":(top,exclude)"+referenceFolder)
	if st, err := status.Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		commit += "-dirty"
	}
	return commit
}
