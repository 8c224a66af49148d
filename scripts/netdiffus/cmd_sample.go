package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/netdiffus/netdiffus/internal/valid"

	"github.com/schollz/progressbar/v3"

	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

func init() {
	register(command{name: "sample", summary: "draw labelled synthetic images (or series) from a trained model", run: runSample})
}

func runSample(args []string) error {
	f := newRunFlags("sample", "sample -model DIR -out samples.npz [-per-class N] [-set Sample.Steps=50] [-png DIR]\n\n"+
		"Sampling settings (Sample.*) come from the model folder's preset unless -preset, -config or -set change them.")
	out := f.fs.String("out", "samples.npz", "NPZ output: \"images\" (uint8) or \"series\", \"labels\" and \"classes\", as netdiffus image writes")
	perClass := f.fs.Int("per-class", 0, "samples per class (0: Sample.PerClass, else as many as the class had training images); at most 1000000")
	pngDir := f.fs.String("png", "", "also write PNGs into this folder")
	if err := f.parse(args); err != nil {
		return err
	}
	if err := valid.Int("-per-class", int64(*perClass), 0, preset.MaxPerClass); err != nil {
		return err
	}
	g := f.outputs()
	if err := g.File(*out); err != nil {
		return err
	}
	if *pngDir != "" {
		if err := g.Folder(*pngDir); err != nil {
			return err
		}
	}
	m, p, err := openModel(f)
	if err != nil {
		return err
	}
	ex, err := drawSamples(f, m, p, *perClass)
	if err != nil {
		return err
	}
	if err := pipeline.WriteSamples(*out, *pngDir, ex); err != nil {
		return err
	}
	fmt.Printf("%d samples of %d classes (%s, %d steps, guidance %g); wrote %s\n", ex.X.Batch(), len(m.Info.Classes), p.Sample.Sampler, p.Sample.Steps, p.Sample.Guidance, *out)
	return nil
}

// openModel resolves the preset (starting from the model folder's) and opens the model in -model.
func openModel(f *runFlags) (*pipeline.Model, preset.Preset, error) {
	base, err := modelPreset(f.model)
	if err != nil {
		return nil, preset.Preset{}, err
	}
	p, err := f.resolve(base)
	if err != nil {
		return nil, p, err
	}
	b, err := sharedBackend()
	if err != nil {
		return nil, p, err
	}
	m, err := pipeline.Open(b, f.model)
	if err != nil {
		return nil, p, err
	}
	if base != nil || f.setsNet() {
		have := m.Config()
		asked := p.Model(have.Net.NumClasses)
		asked.Train = have.Train
		if diff := pipeline.ConfigDiff(have, asked); len(diff) > 0 {
			return nil, p, fmt.Errorf("-model %s was trained with another network (%s): sampling cannot change Net.*; drop those -preset/-set/-config values",
				f.model, strings.Join(diff, "; "))
		}
	}
	return m, p, nil
}

// drawSamples samples the model with the preset's settings and a progress bar unless -quiet; Ctrl-C
// stops it.
func drawSamples(f *runFlags, m *pipeline.Model, p preset.Preset, perClass int) (pipeline.Examples, error) {
	if perClass <= 0 {
		perClass = p.Sample.PerClass
	}
	counts := m.Info.Counts
	switch {
	case perClass > 0:
		counts = pipeline.SampleCounts(perClass, nil, len(m.Info.Classes))
	case len(counts) == 0: // a folder trained by unet alone
		counts = pipeline.SampleCounts(10, nil, len(m.Info.Classes))
	}
	total, each := int64(0), int64(4)
	for _, c := range counts {
		total += int64(c)
	}
	for _, d := range m.Config().Net.ExampleShape() {
		each *= int64(d)
	}
	if err := valid.Alloc(fmt.Sprintf("%d samples", total), total, each); err != nil {
		return pipeline.Examples{}, err
	}
	return sampleCounts(f, m, p, counts)
}

// sampleCounts draws counts[c] samples of class c, with the model's class names.
func sampleCounts(f *runFlags, m *pipeline.Model, p preset.Preset, counts []int) (pipeline.Examples, error) {
	var bar *progressbar.ProgressBar
	progress := func(done, total int) {
		if f.quiet {
			return
		}
		if bar == nil {
			bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionShowCount(),
				progressbar.OptionSetDescription("denoising"), progressbar.OptionThrottle(500*time.Millisecond))
		}
		_ = bar.Set(done)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	x, labels, warning, err := pipeline.SampleWithWarning(ctx, m, p.Sample, counts, progress)
	if bar != nil {
		_ = bar.Finish()
	}
	if warning != "" {
		fmt.Fprintln(os.Stderr, "warning:", warning)
	}
	return pipeline.Examples{X: x, Labels: labels, Classes: m.Info.Classes}, err
}
