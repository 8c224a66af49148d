package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/internal/npy"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/pixels"
)

// TestEvalSameImagesEitherForm: eval measures through pipeline.Measure whatever form the images come
// in, so the same images give the same report, byte for byte: drawn by -model, read from the NPZ
// archives of netdiffus image and sample, or read from .npy files (uint8 images and int64 labels, the
// real ones split as eval splits the NPZ). The floors, intervals and audit are in all three.
func TestEvalSameImagesEitherForm(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	mustRun(t, "data", "generate", "-name", "ww", "-out", at("ww.npz"))
	mustRun(t, "image", "-in", at("ww.npz"), "-out", at("images"), "-size", "16", "-quiet")
	model := at("model")
	mustRun(t, "train", "-data", at("images/ww.npz"), "-model", model, "-preset", "smoke", "-set", "Train.Steps=2", "-quiet")
	// The .npy forms name their classes class0, class1, ...; so does this copy of the real NPZ.
	real, err := pipeline.ReadExamples(at("images/ww.npz"))
	if err != nil {
		t.Fatal(err)
	}
	for c := range real.Classes {
		real.Classes[c] = fmt.Sprintf("class%d", c)
	}
	if err := pipeline.WriteExamples(at("real.npz"), real); err != nil {
		t.Fatal(err)
	}
	settings := []string{"-set", "Sample.Steps=2", "-set", "Downstream.Classifiers=nb", "-quiet"}
	fromModel := mustRun(t, append([]string{"eval", "-real", at("real.npz"), "-model", model}, settings...)...)

	data, err := pipeline.SplitData("real", real, 0.8) // the smoke preset's Data.TrainFraction
	if err != nil {
		t.Fatal(err)
	}
	perClass := pipeline.Counts(data.TrainY, len(data.Classes))[0]
	mustRun(t, append([]string{"sample", "-model", model, "-out", at("samples.npz"), "-per-class", fmt.Sprint(perClass), "-quiet"}, settings[:2]...)...)
	samples, err := pipeline.ReadExamples(at("samples.npz"))
	if err != nil {
		t.Fatal(err)
	}
	for c := range samples.Classes {
		samples.Classes[c] = fmt.Sprintf("class%d", c)
	}
	if err := pipeline.WriteExamples(at("samples.npz"), samples); err != nil {
		t.Fatal(err)
	}
	fromNPZ := mustRun(t, append([]string{"eval", "-real", at("real.npz"), "-synth", at("samples.npz")}, settings...)...)

	writeNPY(t, at("train.npy"), at("train-labels.npy"), data.Train.Shape, data.Train.Data, data.TrainY)
	writeNPY(t, at("test.npy"), at("test-labels.npy"), data.Test.Shape, data.Test.Data, data.TestY)
	writeNPY(t, at("synth.npy"), at("synth-labels.npy"), samples.X.Shape, samples.X.Data, samples.Labels)
	fromNPY := mustRun(t, append([]string{"eval", "-real", at("train.npy"), "-real-labels", at("train-labels.npy"),
		"-test", at("test.npy"), "-test-labels", at("test-labels.npy"), "-synth", at("synth.npy"), "-synth-labels", at("synth-labels.npy")}, settings...)...)

	for _, want := range []string{"FID excess over fresh real data", "memorization audit (images", "ori+synth", "per-class FID"} {
		if !strings.Contains(fromNPY, want) {
			t.Errorf("eval of .npy files lacks %q:\n%s", want, fromNPY)
		}
	}
	if fromNPZ != fromModel {
		t.Errorf("eval -synth samples.npz differs from eval -model of the same draws:\n%s\n--- -model:\n%s", fromNPZ, fromModel)
	}
	if fromNPY != fromNPZ {
		t.Errorf("eval of .npy files differs from eval of the NPZ archives of the same images:\n%s\n--- NPZ:\n%s", fromNPY, fromNPZ)
	}

	// Without -test, the .npy images are split as the NPZ is: the same report again.
	writeNPY(t, at("all.npy"), at("all-labels.npy"), real.X.Shape, real.X.Data, real.Labels)
	split := mustRun(t, append([]string{"eval", "-real", at("all.npy"), "-real-labels", at("all-labels.npy"),
		"-synth", at("synth.npy"), "-synth-labels", at("synth-labels.npy")}, settings...)...)
	if split != fromNPZ {
		t.Errorf("eval of one .npy real file differs from eval of the NPZ:\n%s\n--- NPZ:\n%s", split, fromNPZ)
	}
	// -features reaches Measure from either form: raw pixels here, and the encoder CNN, which needs the backend.
	npyArgs := []string{"eval", "-real", at("train.npy"), "-real-labels", at("train-labels.npy"), "-test", at("test.npy"), "-test-labels", at("test-labels.npy"),
		"-synth", at("synth.npy"), "-synth-labels", at("synth-labels.npy")}
	rawNPY := mustRun(t, append(append(npyArgs, "-features", "raw"), settings...)...)
	rawNPZ := mustRun(t, append([]string{"eval", "-real", at("real.npz"), "-synth", at("samples.npz"), "-features", "raw"}, settings...)...)
	if !strings.Contains(rawNPY, "\nfeatures raw\n") || rawNPY != rawNPZ || rawNPY == fromNPY {
		t.Errorf("eval -features raw: .npy and NPZ reports differ, or do not say raw, or equal the PCA report:\n%s\n--- NPZ:\n%s", rawNPY, rawNPZ)
	}
	if enc := mustRun(t, append(append(npyArgs, "-features", "encoder"), settings...)...); !strings.Contains(enc, "\nfeatures encoder-") {
		t.Errorf("eval -features encoder does not measure on the encoder:\n%s", enc)
	}
	wantError(t, "label both image sets or neither", "eval", "-real", at("train.npy"), "-real-labels", at("train-labels.npy"), "-synth", at("synth.npy"))
	wantError(t, "label both image files or neither", "eval", "-real", at("train.npy"), "-real-labels", at("train-labels.npy"), "-test", at("test.npy"), "-synth", at("synth.npy"), "-synth-labels", at("synth-labels.npy"))
	wantError(t, "are for .npy inputs", "eval", "-real", at("real.npz"), "-synth", at("samples.npz"), "-real-labels", at("train-labels.npy"))
	wantError(t, "-traces needs NPZ inputs", "eval", "-real", at("train.npy"), "-synth", at("synth.npy"), "-traces", at("ww.npz"))
	wantError(t, "holds 72 labels for the 18 images", "eval", "-real", at("train.npy"), "-real-labels", at("train-labels.npy"), "-test", at("test.npy"), "-test-labels", at("train-labels.npy"), "-synth", at("synth.npy"), "-synth-labels", at("synth-labels.npy"))
}

// writeNPY writes model-range images as a uint8 .npy [N, H, W] and their labels as an int64 .npy.
func writeNPY(t *testing.T, images, labels string, shape []int, x []float32, y []int) {
	t.Helper()
	if err := npy.WriteFile(images, pixels.ModelToBytes(x), shape[0], shape[1], shape[2]); err != nil {
		t.Fatal(err)
	}
	l := make([]int64, len(y))
	for i, v := range y {
		l[i] = int64(v)
	}
	if err := npy.WriteFile(labels, l, len(l)); err != nil {
		t.Fatal(err)
	}
}
