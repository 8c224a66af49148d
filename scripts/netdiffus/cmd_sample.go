package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/dataio"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
)

func init() {
	register(command{name: "sample", summary: "generate labelled synthetic images or series from a trained diffusion model", run: runSample})
}

func runSample(args []string) error {
	fs := flag.NewFlagSet("sample", flag.ContinueOnError)
	ckpt := fs.String("checkpoint", "diffusion-run", "checkpoint folder (or a folder of them: the newest is used)")
	perClass := fs.Int("per-class", 100, "samples per class (balanced); ignored when -counts is set")
	countsFlag := fs.String("counts", "", "samples per class, comma-separated, e.g. 50,100,0")
	sampler := fs.String("sampler", "ddim", "ddim or ddpm")
	steps := fs.Int("steps", 50, "reverse steps (ddpm: 0 means all T)")
	eta := fs.Float64("eta", 0, "DDIM eta (0: deterministic)")
	guidance := fs.Float64("guidance", 0, "classifier-free guidance scale (0: off; needs a model trained with label dropout)")
	batch := fs.Int("batch", 64, "images per network call")
	seed := fs.Uint64("seed", 1, "random seed")
	raw := fs.Bool("raw", false, "use the raw weights instead of the EMA weights")
	out := fs.String("out", "samples.npz", "NPZ output: \"images\" (or \"series\" for 1-D models) in [0,1], \"labels\", and decoded \"series\" with -series")
	pngDir := fs.String("png", "", "also write PNGs into this folder")
	series := fs.Bool("series", false, "also decode 2-D GASF samples to 1-D series (diagonal inverse)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, choice, err := backend.New()
	if err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, choice)
	tr, err := unet.Resume(b, *ckpt)
	if err != nil {
		return err
	}
	counts, err := sampleCounts(*countsFlag, *perClass, max(tr.Config.Net.NumClasses, 1))
	if err != nil {
		return err
	}
	opt := sampleOptions{sampler: diffusion.SamplerKind(*sampler), steps: *steps, eta: *eta, guidance: *guidance, batch: *batch, seed: *seed, raw: *raw}
	if opt.sampler == diffusion.DDPM && *steps == 50 && !flagSet(fs, "steps") {
		opt.steps = 0 // DDPM defaults to all T steps
	}
	x, labels, elapsed, err := drawSamples(tr, counts, opt)
	if err != nil {
		return err
	}
	var decoded [][]float64
	if *series && tr.Config.Net.Dims == 2 {
		if decoded, err = dataio.DecodeSeries(x); err != nil {
			return err
		}
	}
	key := "images"
	if tr.Config.Net.Dims == 1 {
		key = "series"
	}
	if err := dataio.SaveNPZ(*out, key, x, labels, decoded); err != nil {
		return err
	}
	if *pngDir != "" && tr.Config.Net.Dims == 2 {
		if err := dataio.SavePNGs(*pngDir, x, labels); err != nil {
			return err
		}
	}
	fmt.Printf("%d samples (%v) in %v, %.2f samples/s; wrote %s\n", x.Batch(), counts, elapsed.Round(time.Millisecond),
		float64(x.Batch())/elapsed.Seconds(), *out)
	return nil
}

// sampleCounts parses -counts or spreads perClass over every class.
func sampleCounts(list string, perClass, classes int) ([]int, error) {
	if list != "" {
		c, err := unet.ParseInts(list)
		if err != nil {
			return nil, err
		}
		if len(c) > classes {
			return nil, fmt.Errorf("-counts lists %d classes; the model has %d", len(c), classes)
		}
		return c, nil
	}
	c := make([]int, classes)
	for i := range c {
		c[i] = perClass
	}
	return c, nil
}

func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// sampleOptions are the sampling flags shared by `sample` and `eval -model`.
type sampleOptions struct {
	sampler  diffusion.SamplerKind
	steps    int
	eta      float64
	guidance float64
	batch    int
	seed     uint64
	raw      bool // raw weights instead of EMA
}

// drawSamples draws counts[c] samples of class c from tr with a progress bar on stderr; Ctrl-C stops it.
func drawSamples(tr *unet.Trainer, counts []int, o sampleOptions) (diffusion.Array, []int, time.Duration, error) {
	d, err := tr.Denoiser(!o.raw && tr.Config.Train.EMADecay > 0)
	if err != nil {
		return diffusion.Array{}, nil, 0, err
	}
	if o.guidance > 0 {
		if !tr.Config.Net.NullClass {
			return diffusion.Array{}, nil, 0, fmt.Errorf("-guidance needs a model trained with label dropout (this one has no null class)")
		}
		d = diffusion.Guided(d, o.guidance, tr.Config.Net.NullLabel())
	}
	var bar *progressbar.ProgressBar
	cfg := diffusion.SampleConfig{Sampler: o.sampler, Steps: o.steps, Eta: o.eta, Variance: tr.Config.Net.Variance(),
		ExampleShape: tr.Config.Net.ExampleShape(), BatchSize: o.batch, Seed: o.seed, ClipDenoised: true,
		Progress: func(done, total int) {
			if bar == nil {
				bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionShowCount(),
					progressbar.OptionSetDescription("denoising"), progressbar.OptionThrottle(500*time.Millisecond))
			}
			_ = bar.Set(done)
		}}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	x, labels, err := tr.Schedule.SampleClasses(ctx, d, counts, cfg)
	if bar != nil {
		_ = bar.Finish()
	}
	return x, labels, time.Since(start), err
}
