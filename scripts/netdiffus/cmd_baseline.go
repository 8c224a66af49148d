package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/netdiffus/netdiffus/internal/valid"
	"github.com/netdiffus/netdiffus/nblib/preset"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/baselines"
)

func init() {
	register(command{name: "baseline", summary: "train and sample the GAN baselines (DoppelGANger-style, NetShare-style)", run: runBaseline})
}

const baselineUsage = `usage: netdiffus baseline <train|sample> [flags]

  train   train a DoppelGANger-style GAN (-gan doppelganger, one-feature series such as WW) or its
          NetShare-style configuration (-gan netshare, packet traces such as D3: size, direction,
          gap) on traces in any input format of 'netdiffus data'; checkpoints go to -out and a
          later run with more -steps resumes from them
  sample  draw -n series per class from a trained model and write them with the data writers
          (npz for series and packets, longcsv or folder for packet traces)
Run 'netdiffus baseline <subcommand> -h' for its flags.`

func runBaseline(args []string) error {
	return baselineMain(args, os.Stdout)
}

func baselineMain(args []string, log io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintln(os.Stderr, baselineUsage)
		return nil
	}
	switch args[0] {
	case "train":
		return baselineTrain(args[1:], log)
	case "sample":
		return baselineSample(args[1:], log)
	}
	return fmt.Errorf("unknown baseline subcommand %q\n\n%s", args[0], baselineUsage)
}

// ganOverrides are command-line overrides of a preset; zero values keep the preset's.
type ganOverrides struct {
	steps                                       int64
	batch, sampleLen, units, discUnits, discLay int
	lr                                          float64
	seed                                        uint64
}

func (o *ganOverrides) register(fs *flag.FlagSet) {
	fs.Int64Var(&o.steps, "steps", 0, "total training steps (0: preset)")
	fs.IntVar(&o.batch, "batch", 0, "batch size (0: preset)")
	fs.IntVar(&o.sampleLen, "sample-len", 0, "steps per LSTM cell (0: preset)")
	fs.IntVar(&o.units, "units", 0, "LSTM units and attribute-generator width (0: preset)")
	fs.IntVar(&o.discUnits, "disc-units", 0, "discriminator width (0: preset)")
	fs.IntVar(&o.discLay, "disc-layers", 0, "discriminator hidden layers (0: preset)")
	fs.Float64Var(&o.lr, "lr", 0, "Adam learning rate (0: preset)")
	fs.Uint64Var(&o.seed, "gan-seed", 0, "GAN random seed: weights, noise, batch order (0: preset)")
}

// check refuses negative, NaN or oversized overrides (0 keeps the preset's value).
func (o *ganOverrides) check() error {
	return valid.First(
		valid.Int("-steps", o.steps, 0, 1<<40),
		valid.Int("-batch", int64(o.batch), 0, 1<<16),
		valid.Int("-sample-len", int64(o.sampleLen), 0, 1<<16),
		valid.Int("-units", int64(o.units), 0, 1<<14),
		valid.Int("-disc-units", int64(o.discUnits), 0, 1<<14),
		valid.Int("-disc-layers", int64(o.discLay), 0, 64),
		valid.Float("-lr", o.lr, 0, 10),
	)
}

func (o *ganOverrides) apply(c *baselines.Config) {
	for _, s := range []struct {
		dst *int
		v   int
	}{{&c.BatchSize, o.batch}, {&c.SampleLen, o.sampleLen}, {&c.GenUnits, o.units}, {&c.AttrUnits, o.units},
		{&c.DiscUnits, o.discUnits}, {&c.DiscLayers, o.discLay}} {
		if s.v > 0 {
			*s.dst = s.v
		}
	}
	if o.steps > 0 {
		c.Steps = o.steps
	}
	if o.lr > 0 {
		c.LearningRate = o.lr
	}
	if o.seed > 0 {
		c.Seed = o.seed
	}
}

func baselineTrain(args []string, log io.Writer) error {
	fs := flag.NewFlagSet("baseline train", flag.ContinueOnError)
	gan := fs.String("gan", "doppelganger", "generator: doppelganger or netshare")
	mode := fs.String("mode", "smoke", "preset size: smoke, cpu or full")
	out := fs.String("out", "baseline-run", "checkpoint folder; training resumes from its newest checkpoint")
	group := fs.String("group", "", "keep only this group of the traces (e.g. google of D3)")
	frac := fs.Float64("train-fraction", 1, "train on the first fraction of each class (as the experiments split); 1: all")
	var in inputFlags
	in.register(fs)
	var o ganOverrides
	o.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := valid.First(valid.NoArgs(fs), o.check(), in.check(), valid.Enum("-gan", *gan, "doppelganger", "netshare"),
		valid.Enum("-mode", *mode, "smoke", "cpu", "full")); err != nil {
		return err
	}
	cfg, err := preset.GAN(*gan, *mode)
	if err != nil {
		return err
	}
	o.apply(&cfg)
	ds, rep, err := in.read()
	if err != nil {
		return err
	}
	rep.Print(log, 5)
	if *group != "" {
		if ds = ds.Filter(*group); len(ds.Traces) == 0 {
			return fmt.Errorf("-group %q: no traces in that group", *group)
		}
	}
	if *frac <= 0 || *frac > 1 {
		return fmt.Errorf("-train-fraction %g: want (0, 1]", *frac)
	}
	if *frac < 1 {
		ds, _ = baselines.SplitReal(ds, *frac, in.seed)
	}
	b, choice, err := backend.Shared()
	if err != nil {
		return err
	}
	fmt.Fprintln(log, choice)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	fmt.Fprintf(log, "%s on %s: %d traces, %d classes, %d steps -> %s\n", cfg.Name, ds.Name, len(ds.Traces), len(ds.Classes), cfg.Steps, *out)
	tr, _, err := baselines.Train(ctx, b, cfg, ds, *out, log)
	if err != nil {
		return err
	}
	g, d := tr.NumParameters()
	fmt.Fprintf(log, "trained %d steps (%d generator and %d discriminator weights); checkpoint in %s\n", tr.Steps(), g, d, *out)
	return nil
}

func baselineSample(args []string, log io.Writer) error {
	fs := flag.NewFlagSet("baseline sample", flag.ContinueOnError)
	modelDir := fs.String("model", "baseline-run", "checkpoint folder written by 'baseline train'")
	n := fs.Int("n", 10, "series per class")
	seed := fs.Uint64("seed", 1, "sampling seed")
	to := fs.String("to", "npz", "output format: npz (feature series, labels, class names), longcsv or folder (packet traces)")
	out := fs.String("out", "", "output file or folder (required)")
	force := fs.Bool("force", false, "replace an existing output (never the model's files)")
	var feat featureFlags
	feat.register(fs, "npz feature (default: the training data's)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := valid.First(valid.NoArgs(fs), feat.check(), valid.Int("-n", int64(*n), 1, preset.MaxPerClass),
		valid.Enum("-to", *to, "npz", "longcsv", "folder")); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("sample: -out is required")
	}
	if err := claimOutput(*to, *out, *force, *modelDir); err != nil {
		return err
	}
	b, choice, err := backend.Shared()
	if err != nil {
		return err
	}
	fmt.Fprintln(log, choice)
	tr, err := baselines.Resume(b, *modelDir)
	if err != nil {
		return err
	}
	// a packet series holds up to 3 features (size, direction, gap) per step, as float64 and as packets
	if err := valid.Alloc(fmt.Sprintf("-n %d for %d classes of %d steps", *n, tr.Config.NumClasses, tr.Config.Length),
		int64(*n)*int64(tr.Config.NumClasses), 64*int64(tr.Config.Length)); err != nil {
		return err
	}
	counts := make([]int, tr.Config.NumClasses)
	for c := range counts {
		counts[c] = *n
	}
	ds, err := tr.Sample(counts, *seed, tr.Config.Name)
	if err != nil {
		return err
	}
	if err := write(ds, *to, *out, feat); err != nil {
		return err
	}
	fmt.Fprintf(log, "wrote %d series (%d per class, %d classes) from %s at step %d to %s\n", len(ds.Traces), *n, len(counts), *modelDir, tr.Steps(), *out)
	return nil
}
