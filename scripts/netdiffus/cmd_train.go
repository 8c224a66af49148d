package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/gomlx/compute"
	"github.com/schollz/progressbar/v3"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/dataio"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
)

func init() {
	register(command{name: "train", summary: "train the class-conditional diffusion model on GASF images or series", run: runTrain})
}

// netOverrides are command-line overrides of a preset; zero values keep the preset's.
type netOverrides struct {
	channels, resBlocks, heads, groups, batch, diffusionSteps int
	mult, attention, schedule                                 string
	lr, ema, clip, labelDropout                               float64
	seed                                                      uint64
}

func (o *netOverrides) register(fs *flag.FlagSet) {
	fs.IntVar(&o.channels, "channels", 0, "base channels (0: preset)")
	fs.IntVar(&o.resBlocks, "res-blocks", 0, "residual blocks per level (0: preset)")
	fs.IntVar(&o.heads, "heads", 0, "attention heads (0: preset)")
	fs.IntVar(&o.groups, "groups", 0, "group-norm groups (0: preset)")
	fs.IntVar(&o.batch, "batch", 0, "batch size (0: preset)")
	fs.IntVar(&o.diffusionSteps, "diffusion-steps", 0, "diffusion steps T (0: preset)")
	fs.StringVar(&o.mult, "mult", "", "channel multipliers, e.g. 1,1,2,3,4 (empty: preset)")
	fs.StringVar(&o.attention, "attention", "", "attention sizes, e.g. 16,8; 'none' for none (empty: preset)")
	fs.StringVar(&o.schedule, "schedule", "", "noise schedule: linear or cosine (empty: preset)")
	fs.Float64Var(&o.lr, "lr", 0, "learning rate (0: preset)")
	fs.Float64Var(&o.ema, "ema", -1, "EMA decay, 0 disables (negative: preset)")
	fs.Float64Var(&o.clip, "clip", -1, "gradient-norm clip, 0 disables (negative: preset)")
	fs.Float64Var(&o.labelDropout, "label-dropout", -1, "classifier-free guidance label dropout (negative: preset)")
	fs.Uint64Var(&o.seed, "seed", 0, "random seed (0: preset)")
}

func (o *netOverrides) apply(c *unet.Config) error {
	setInt := func(dst *int, v int) {
		if v > 0 {
			*dst = v
		}
	}
	setInt(&c.Net.ModelChannels, o.channels)
	setInt(&c.Net.NumResBlocks, o.resBlocks)
	setInt(&c.Net.NumHeads, o.heads)
	setInt(&c.Net.NormGroups, o.groups)
	setInt(&c.Train.BatchSize, o.batch)
	setInt(&c.Train.DiffusionSteps, o.diffusionSteps)
	if o.mult != "" {
		m, err := unet.ParseInts(o.mult)
		if err != nil {
			return err
		}
		c.Net.ChannelMult = m
	}
	switch o.attention {
	case "":
	case "none":
		c.Net.AttentionResolutions = nil
	default:
		a, err := unet.ParseInts(o.attention)
		if err != nil {
			return err
		}
		c.Net.AttentionResolutions = a
	}
	if o.schedule != "" {
		c.Train.Schedule = diffusion.ScheduleKind(o.schedule)
	}
	if o.lr > 0 {
		c.Train.LearningRate = o.lr
	}
	if o.ema >= 0 {
		c.Train.EMADecay = o.ema
	}
	if o.clip >= 0 {
		c.Train.GradClip = o.clip
	}
	if o.labelDropout >= 0 {
		c.Train.LabelDropout = o.labelDropout
		c.Net.NullClass = o.labelDropout > 0 || c.Net.NullClass
	}
	if o.seed > 0 {
		c.Train.Seed = o.seed
	}
	return c.Net.Validate()
}

func runTrain(args []string) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	data := fs.String("data", "", "NPZ with examples (in [0,1] or uint8) and integer \"labels\" (required)")
	key := fs.String("key", "images", "array of examples in the NPZ: [N,H,W] images or [N,L] series")
	preset := fs.String("preset", "quick", "configuration: quick, medium64, full or quick1d")
	out := fs.String("out", "diffusion-run", "checkpoint folder; training resumes from its newest checkpoint")
	steps := fs.Int64("steps", 0, "stop at this many total steps")
	budget := fs.Duration("time", 0, "stop after this much wall time, e.g. 10m")
	every := fs.Int("checkpoint-every", 500, "steps between checkpoints")
	keep := fs.Int("keep", 3, "checkpoints kept")
	var o netOverrides
	o.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" || (*steps <= 0 && *budget <= 0) {
		fs.Usage()
		return fmt.Errorf("-data and one of -steps or -time are required")
	}
	ds, err := dataio.LoadNPZ(*data, *key)
	if err != nil {
		return err
	}
	b, choice, err := backend.New()
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, choice)
	tr, err := openTrainer(b, *out, *preset, ds, &o)
	if err != nil {
		return err
	}
	shuffler, err := unet.NewShuffler(ds.X, ds.Labels, tr.Config.Train.BatchSize, tr.Config.Train.Seed+uint64(tr.Steps()))
	if err != nil {
		return err
	}
	cfgJSON, _ := json.Marshal(tr.Config)
	fmt.Fprintf(os.Stderr, "config %s\nstarting at step %d\n", cfgJSON, tr.Steps())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	bar := newStepBar(*steps, tr.Steps())
	last, err := tr.Run(ctx, shuffler, unet.RunConfig{MaxSteps: *steps, TimeBudget: *budget, ReportEvery: 10,
		CheckpointDir: *out, CheckpointEvery: *every, Keep: *keep,
		Progress: func(p unet.Progress) {
			_ = bar.Set64(p.Step)
			bar.Describe(fmt.Sprintf("loss %.4f  %.1f img/s", p.MeanLoss, p.ImagesPerSec))
		}})
	_ = bar.Finish()
	if err != nil {
		return err
	}
	fmt.Printf("step %d loss %.4f, %d weights; checkpoint %s\n", last.Step, last.Loss, tr.NumParameters(), last.Checkpoint)
	return nil
}

// openTrainer resumes from the newest checkpoint in dir, or starts the preset sized to the data.
func openTrainer(b compute.Backend, dir, preset string, ds dataio.Dataset, o *netOverrides) (*unet.Trainer, error) {
	if all, err := unet.Checkpoints(dir); err == nil && len(all) > 0 {
		fmt.Fprintf(os.Stderr, "resuming from %s (configuration flags ignored)\n", all[len(all)-1])
		return unet.Resume(b, dir)
	}
	shape := ds.X.Shape
	cfg, err := unet.Preset(preset, ds.NumClasses(), shape[1])
	if err != nil {
		return nil, err
	}
	if len(shape) == 4 {
		cfg.Net.Dims, cfg.Net.Size = 2, shape[1]
		if shape[1] != shape[2] {
			return nil, fmt.Errorf("images are %dx%d; the model needs square images", shape[1], shape[2])
		}
	} else {
		cfg.Net.Dims, cfg.Net.Size = 1, shape[1]
	}
	if err := o.apply(&cfg); err != nil {
		return nil, err
	}
	return unet.New(b, cfg)
}

func newStepBar(max, start int64) *progressbar.ProgressBar {
	if max <= 0 {
		max = -1 // time budget: spinner
	}
	bar := progressbar.NewOptions64(max, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(500*time.Millisecond))
	_ = bar.Set64(start)
	return bar
}
