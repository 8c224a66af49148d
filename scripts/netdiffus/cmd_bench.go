package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/bench"
)

func init() {
	register(command{name: "bench", summary: "time training and sampling of a preset's model on this backend (JSON and a summary line), -twin beside PyTorch", run: runBench})
}

func runBench(args []string) error {
	f := newRunFlags("bench", "bench [-preset smoke|cpu|full] [-set Path=value] [-steps N] [-twin]\n\n"+
		"Trains the preset's U-Net for -steps steps on random images of its shape (after one compiling step),\n"+
		"times -calls network calls and one sampled batch with the preset's sampler, and prints the result as\n"+
		"JSON on standard output and a one-line summary on standard error.")
	steps := f.fs.Int("steps", 200, "timed training steps (after the compiling one)")
	calls := f.fs.Int("calls", 10, "timed network calls (after the compiling one)")
	batch := f.fs.Int("sample-batch", 0, "images per network call and per sampled batch (0: Sample.BatchSize)")
	twin := f.fs.Bool("twin", false, "also run the PyTorch twin (nblib/diffusion/unet/testdata/unet_torch.py) on the same device and shapes")
	python := f.fs.String("python", "", "interpreter for -twin (default $NETDIFFUS_PYTHON, else python3)")
	script := f.fs.String("twin-script", "", "the twin (default unet_torch.py beside the binary, else the repository's)")
	twinSteps := f.fs.Int("twin-steps", 10, "timed steps of the twin")
	threads := f.fs.Int("twin-threads", 2, "torch CPU threads of the twin (on cpu)")
	if err := f.parse(args); err != nil {
		return err
	}
	if f.isSet("model") {
		return fmt.Errorf("bench trains a throw-away model in memory: -model is not used")
	}
	p, err := f.resolve(nil)
	if err != nil {
		return err
	}
	if *steps < 1 || *calls < 1 || *batch < 0 {
		return fmt.Errorf("-steps (%d) and -calls (%d) must be >= 1 and -sample-batch (%d) >= 0", *steps, *calls, *batch)
	}
	b, choice, err := backend.Shared()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	opt := bench.Options{TrainSteps: *steps, Calls: *calls, SampleBatch: *batch}
	res, err := bench.Run(ctx, b, p, opt)
	if err != nil {
		return err
	}
	res.Backend.Choice = choice.String()
	if *twin {
		bench.RunTwin(ctx, res, p.Model(res.Model.Classes).Net, bench.TwinOptions{Python: *python, Script: *script, Steps: *twinSteps, Threads: *threads})
	}
	out, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	fmt.Println(string(out))
	fmt.Fprintln(os.Stderr, res.Summary())
	return nil
}
