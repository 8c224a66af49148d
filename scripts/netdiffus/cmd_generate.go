package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/netdiffus/netdiffus/internal/valid"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

func init() {
	register(command{name: "generate", summary: "synthetic traffic traces from a trained model (full length in real units; CSV folder, NPZ, captures)", run: runGenerate})
}

func runGenerate(args []string) error {
	f := newRunFlags("generate", "generate -model DIR -out DIR [-per-class N] [-from samples.npz] [-to csv|pcap|pcapng] [-unit]\n\n"+
		"Samples the model (or decodes the samples of -from, drawn by netdiffus sample, without sampling) and\n"+
		"decodes every sample to a trace: with the model folder's decoder.json (written by netdiffus experiment\n"+
		"and the notebooks), as long as the real traces, in real units, each with a scale of its own (see the\n"+
		"pipeline package documentation); without it, the image side's values. Writes DIR/traces/ (one CSV per\n"+
		"trace, columns time,size,direction, and labels.csv) and DIR/traces.npz (x: the series, y: labels,\n"+
		"classes), the formats netdiffus data reads; -to pcap|pcapng also writes DIR/captures/, one capture per\n"+
		"trace between 192.168.1.20 (the device) and 203.0.113.10:443 (read back with the rule ip=192.168.1.20).")
	out := f.fs.String("out", "synthetic", "output folder")
	perClass := f.fs.Int("per-class", 0, "traces per class (0: Sample.PerClass, else as many as the class had training images)")
	from := f.fs.String("from", "", "decode the samples in this NPZ (netdiffus sample -out) instead of sampling the model")
	to := f.fs.String("to", "csv", "also write captures: csv (none), pcap or pcapng")
	unit := f.fs.Bool("unit", false, "keep series on [0, 1] at the image's resolution instead of decoding them to traces in real units")
	scale := f.fs.String("scale", "donor", "each trace's minimum and maximum: donor (one real training trace's pair of the class) or kde (drawn from a kernel density estimate of the class's pairs)")
	detail := f.fs.String("detail", "ar1", "each trace's values and within-bin detail: ar1 (generated: a fresh draw of the class's pooled values ordered by the sample plus an AR(1) residual) or donor (one real training trace's values, reordered: the audit flags these as near copies)")
	step := f.fs.Float64("step", 1, "seconds between the values of a per-packet series (binned series keep their bin width), in (0, 1e9]")
	if err := f.parse(args); err != nil {
		return err
	}
	if err := valid.First(valid.Int("-per-class", int64(*perClass), 0, preset.MaxPerClass), valid.Positive("-step", *step, 1e9)); err != nil {
		return err
	}
	format, err := captureFormat(*to)
	if err != nil {
		return err
	}
	var inputs []string
	if *from != "" {
		inputs = append(inputs, *from)
	}
	g := f.outputs(inputs...)
	claims := []error{g.Folder(filepath.Join(*out, "traces")), g.File(filepath.Join(*out, "traces.npz"))}
	if format != "" {
		claims = append(claims, g.Folder(filepath.Join(*out, "captures")))
	}
	if err := valid.First(claims...); err != nil {
		return err
	}
	mode, err := pipeline.ParseScaleMode(*scale)
	if err != nil {
		return fmt.Errorf("-scale %s: use donor or kde", *scale)
	}
	detailMode, err := pipeline.ParseDetailMode(*detail)
	if err != nil {
		return fmt.Errorf("-detail %s: use ar1 or donor", *detail)
	}
	info, samples, err := generateSamples(f, *from, *perClass)
	if err != nil {
		return err
	}
	ds, feat, note, err := pipeline.SyntheticTraces(f.model, info, samples.X, samples.Labels, pipeline.TraceOptions{Unit: *unit, Step: *step, Seed: info.Preset.Sample.Seed, Scale: mode, Detail: detailMode})
	if err != nil {
		return err
	}
	if format != "" && note != "" {
		return fmt.Errorf("-to %s needs traces in bytes, decoded with the model folder's %s: %s", format, pipeline.DecoderFile, note)
	}
	if note != "" && !f.quiet {
		fmt.Fprintln(os.Stderr, "note:", note)
	}
	if note == "" && !*unit && detailMode == pipeline.DetailDonor {
		fmt.Fprintf(os.Stderr, "privacy: -detail donor takes each trace's values from one real training trace (%s in %s holds them): the memorization audit flags them as near copies; do not share them, or the model folder, as private data\n",
			pipeline.DecoderFile, f.model)
	} else if note == "" && !*unit && !f.quiet {
		fmt.Fprintf(os.Stderr, "privacy: the values are drawn from the class's pooled training values (no trace copies one real trace); %s in %s holds real training traces: do not share the model folder as private data\n",
			pipeline.DecoderFile, f.model)
	}
	folder, npz := filepath.Join(*out, "traces"), filepath.Join(*out, "traces.npz")
	if err := trafficio.WriteCSVFolder(folder, ds); err != nil {
		return err
	}
	if err := trafficio.WriteNPZ(npz, ds, feat); err != nil {
		return err
	}
	fmt.Printf("%d synthetic traces (%v), %d classes -> %s and %s\n", len(ds.Traces), feat, len(ds.Classes), folder, npz)
	if format != "" {
		captures := filepath.Join(*out, "captures")
		if err := trafficio.WriteCaptureFolder(captures, ds, trafficio.DefaultEndpoints(), format); err != nil {
			return err
		}
		fmt.Printf("%d %s captures -> %s\n", len(ds.Traces), format, captures)
	}
	return nil
}

func captureFormat(to string) (trafficio.CaptureFormat, error) {
	if to == "csv" {
		return "", nil
	}
	format, err := trafficio.ParseCaptureFormat(to)
	if err != nil {
		return "", fmt.Errorf("-to %s: use csv, pcap or pcapng", to)
	}
	return format, nil
}

// generateSamples draws samples from the model, or reads them from the NPZ from; the model folder's
// description says how to decode them (a folder without one decodes the NPZ on [0, 1]).
func generateSamples(f *runFlags, from string, perClass int) (pipeline.ModelInfo, pipeline.Examples, error) {
	if from == "" {
		m, p, err := openModel(f)
		if err != nil {
			return pipeline.ModelInfo{}, pipeline.Examples{}, err
		}
		ex, err := drawSamples(f, m, p, perClass)
		m.Info.Preset.Sample.Seed = p.Sample.Seed
		return m.Info, ex, err
	}
	ex, err := pipeline.ReadExamples(from)
	if err != nil {
		return pipeline.ModelInfo{}, pipeline.Examples{}, err
	}
	info, ok, err := pipeline.ReadInfo(f.model)
	if err != nil {
		return info, pipeline.Examples{}, err
	}
	if !ok {
		if !f.quiet {
			fmt.Fprintf(os.Stderr, "note: %s has no %s: the samples of %s decode on [0, 1] with their own class names\n", f.model, pipeline.InfoFile, from)
		}
		return pipeline.ModelInfo{Data: filepath.Base(from), Classes: ex.Classes}, ex, nil
	}
	if len(ex.Classes) > 0 && !slices.Equal(ex.Classes, info.Classes) {
		return info, pipeline.Examples{}, fmt.Errorf("%s holds classes %v, the model in %s %v: decode samples with the model that drew them", from, ex.Classes, f.model, info.Classes)
	}
	return info, ex, nil
}
