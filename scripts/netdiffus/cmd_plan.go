package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/repro"
)

func init() {
	register(command{name: "train-plan", summary: "train one model of a repro plan (netdiffus repro NAME -plan lists them): one job of a sweep", run: runTrainPlan})
}

// printPlan is `netdiffus repro NAME -plan`: one line per model training, its cache key and the exact
// command that trains it, tab-separated (scripts/sweep reads them; '#' lines are comments).
func printPlan(name string, p preset.Preset, f *reproFlags) error {
	jobs, err := repro.Plan(name, p)
	if err != nil {
		return err
	}
	status := make([]string, len(jobs))
	count := map[string]int{}
	for i, j := range jobs {
		status[i] = j.Status()
		count[status[i]]++
	}
	fmt.Printf("# %s under preset %s: %d model trainings, %d done, %d trained with samples to draw; run each (scripts/sweep runs them in parallel or as a Slurm array),\n",
		name, p.Name, len(jobs), count["done"], count["trained"])
	then := "netdiffus repro " + name + planFlags(f)
	if name == repro.AllItems {
		then = "netdiffus repro NAME" + planFlags(f) // one item at a time; scripts/regenerate-references for the cpu references
	}
	fmt.Printf("# then `%s` reads them from the cache (NETDIFFUS_RESULTS=%s)\n", then, repro.ResultsDir())
	for i, j := range jobs {
		note := ""
		if status[i] != "" {
			note = " (" + status[i] + ")"
		}
		fmt.Printf("%s\tnetdiffus train-plan %s%s\t# %s%s\n", j.Key, j.Key, planFlags(f), j.What, note)
	}
	return nil
}

// planFlags repeats the preset flags of a plan, shell-quoted, so every job resolves the same keys.
func planFlags(f *reproFlags) string {
	s := " -mode " + shellWord(f.mode)
	for _, v := range f.sets {
		s += " -set " + shellWord(v)
	}
	return s
}

// shellWord quotes s for a POSIX shell when it holds anything but safe characters.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-=/,:+") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func runTrainPlan(args []string) error {
	fs := flag.NewFlagSet("train-plan", flag.ContinueOnError)
	mode := fs.String("mode", "smoke", "preset: smoke (alias quick), cpu or full (the plan's)")
	var sets setList
	fs.Var(&sets, "set", "override one preset field (the plan's, repeatable)")
	quiet := fs.Bool("quiet", false, "no progress lines")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: netdiffus train-plan KEY [-mode smoke|cpu|full] [-set Path=value]...\n\n"+
			"Trains the model KEY of a plan (netdiffus repro NAME -plan prints the keys and these commands) and caches\n"+
			"its synthetic images under $NETDIFFUS_RESULTS; a finished one is left as it is.\n\nflags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) == 0 {
		fs.Usage()
		return errors.New("train-plan: name a model key (netdiffus repro NAME -plan lists them)")
	}
	key := rest[0]
	if err := fs.Parse(rest[1:]); err != nil {
		return err
	}
	if extra := fs.Args(); len(extra) > 0 {
		return fmt.Errorf("train-plan: unexpected arguments %q after %s", extra, key)
	}
	p, err := preset.Named(*mode)
	if err != nil {
		return err
	}
	if err := p.SetAll(sets); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	job, err := repro.FindJob(key, p)
	if err != nil {
		return err
	}
	var log io.Writer = os.Stderr
	if *quiet {
		log = io.Discard
	}
	fmt.Fprintf(log, "train-plan %s: %s (%s)\n", job.Key, job.What, job.Item)
	if err := job.Run(log); err != nil {
		return err
	}
	fmt.Printf("%s: done (%s)\n", job.Key, job.What)
	return nil
}
