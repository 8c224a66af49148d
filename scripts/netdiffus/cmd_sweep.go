package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/pipeline"
)

func init() {
	register(command{name: "sample-sweep", summary: "FID, synthetic-only accuracy and near-copy share of each sampler at 10 to 50 network calls, for a trained model", run: runSampleSweep})
}

const sampleSweepUsage = `sample-sweep -model DIR [-dataset NAME [-group G]] [-calls 10,18,25,50] [-only LABELS] [-preset P] [-set ...]

Draws from the model in DIR with DDPM-1000, DDPM-50 (trailing) and, at each budget of network calls,
Heun on Karras steps (deterministic and with churn 10) and DPM-Solver++(2M) on Karras and trailing
steps, and prints per sampler: FID (all synthetic images, matched to the test set's size, and the
floor: real test vs real training), the accuracy on the real test images of each classifier trained on
the synthetic images only (Downstream.*), and the near-copy share (synthetic images nearer to a training
image of their class than the 5th percentile of the real test images' nearest-training distances).
The data is that of the model folder (pipeline.json's name, e.g. alexa or d1-netflix) unless -dataset
and -group name it. Sample.Clip, Sample.BatchSize and Sample.Seed come from the preset.`

func runSampleSweep(args []string) error {
	f := newRunFlags("sample-sweep", sampleSweepUsage)
	dataset := f.fs.String("dataset", "", "default dataset (d1, d2, d3, ww, alexa, ...); default: the model folder's")
	group := f.fs.String("group", "", "keep one group only, e.g. netflix (d1)")
	callsFlag := f.fs.String("calls", "10,18,25,50", "network-call budgets, comma-separated")
	only := f.fs.String("only", "", "run only the samplers whose label contains one of these comma-separated words (e.g. ddpm-50,dpmpp2m)")
	if err := f.parse(args); err != nil {
		return err
	}
	calls, err := parseCalls(*callsFlag)
	if err != nil {
		return err
	}
	m, p, err := openModel(f)
	if err != nil {
		return err
	}
	if *dataset == "" {
		*dataset, *group, _ = strings.Cut(m.Info.Data, "-")
	}
	if *dataset == "" {
		return fmt.Errorf("sample-sweep: the model folder %s names no data: pass -dataset (and -group)", f.model)
	}
	d, err := pipeline.LoadDefault(p, *dataset, *group)
	if err != nil {
		return err
	}
	entries := filterEntries(pipeline.SamplerSweepEntries(p.Sample, calls), *only)
	if len(entries) == 0 {
		return fmt.Errorf("sample-sweep: -only %q matches no sampler", *only)
	}
	b, err := sharedBackend()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var log io.Writer = os.Stderr
	if f.quiet {
		log = nil
	}
	fmt.Printf("%s, model %s at step %d (preset %s), %d training and %d test images\n", d.Name, f.model, m.Trainer.Steps(), p.Name, d.Train.Batch(), d.Test.Batch())
	rows, err := pipeline.SamplerSweep(ctx, b, p, d, m, entries, log)
	if werr := pipeline.WriteSweepTable(os.Stdout, rows); werr != nil && err == nil {
		err = werr
	}
	return err
}

// parseCalls reads a comma-separated list of positive call budgets.
func parseCalls(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-calls %q: %q is not a positive number of network calls", s, f)
		}
		out = append(out, n)
	}
	return out, nil
}

// filterEntries keeps the entries whose label contains one of the comma-separated words of only ("" keeps all).
func filterEntries(entries []pipeline.SweepEntry, only string) []pipeline.SweepEntry {
	if only == "" {
		return entries
	}
	var out []pipeline.SweepEntry
	for _, e := range entries {
		for _, w := range strings.Split(only, ",") {
			if w = strings.TrimSpace(w); w != "" && strings.Contains(e.Label, w) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}
