package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/netdiffus/netdiffus/internal/valid"
	"github.com/netdiffus/netdiffus/nblib/preset"

	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

func init() {
	register(command{name: "generate", summary: "synthetic traffic traces from a trained model (GASF inverse; CSV folder and NPZ)", run: runGenerate})
}

func runGenerate(args []string) error {
	f := newRunFlags("generate", "generate -model DIR -out DIR [-per-class N] [-unit]\n\n"+
		"Samples the model, decodes every sample to a series (the GASF inverse of its diagonal) and writes\n"+
		"DIR/traces/ (one CSV per trace, columns time,size,direction, one packet per value, and labels.csv)\n"+
		"and DIR/traces.npz (x: the series, y: labels, classes), the formats netdiffus data reads.")
	out := f.fs.String("out", "synthetic", "output folder")
	perClass := f.fs.Int("per-class", 0, "traces per class (0: Sample.PerClass, else as many as the class had training images)")
	unit := f.fs.Bool("unit", false, "keep series on [0, 1] instead of scaling each to its class's typical range in the training series (known to models trained from traces: netdiffus experiment and the notebooks; models trained on image files give [0, 1] series)")
	step := f.fs.Float64("step", 1, "time between values in the CSV traces, in (0, 1e9]")
	if err := f.parse(args); err != nil {
		return err
	}
	if err := valid.First(valid.Int("-per-class", int64(*perClass), 0, preset.MaxPerClass), valid.Positive("-step", *step, 1e9)); err != nil {
		return err
	}
	g := f.outputs()
	if err := valid.First(g.Folder(filepath.Join(*out, "traces")), g.File(filepath.Join(*out, "traces.npz"))); err != nil {
		return err
	}
	m, p, err := openModel(f)
	if err != nil {
		return err
	}
	x, labels, err := drawSamples(f, m, p, *perClass)
	if err != nil {
		return err
	}
	series, err := pipeline.Decode(x)
	if err != nil {
		return err
	}
	ranges := m.Info.Ranges
	if *unit {
		ranges = nil
	} else if ranges == nil && !f.quiet {
		fmt.Fprintln(os.Stderr, "the model folder holds no value ranges of the training series (it was trained on images): series stay on [0, 1]")
	}
	ds, feat, err := pipeline.Traces("synthetic-"+m.Info.Data, m.Info.Classes, series, labels, ranges, *step)
	if err != nil {
		return err
	}
	folder, npz := filepath.Join(*out, "traces"), filepath.Join(*out, "traces.npz")
	if err := trafficio.WriteCSVFolder(folder, ds); err != nil {
		return err
	}
	if err := trafficio.WriteNPZ(npz, ds, feat); err != nil {
		return err
	}
	fmt.Printf("%d synthetic traces of %d values, %d classes -> %s and %s\n", len(ds.Traces), feat.Length, len(ds.Classes), folder, npz)
	return nil
}
