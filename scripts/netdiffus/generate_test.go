package main

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

// generate -from decodes the samples of a file without sampling (the traces are those samples,
// decoded: as many, of the same classes), says why it falls back to the image side on a model folder
// without decoder.json, and refuses captures of such traces and samples of other classes.
func TestGenerateFromSamples(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	mustRun(t, "data", "generate", "-name", "ww", "-out", at("ww.npz"))
	mustRun(t, "image", "-in", at("ww.npz"), "-out", at("images"), "-size", "16", "-quiet")
	model := at("model")
	mustRun(t, "train", "-data", at("images/ww.npz"), "-model", model, "-preset", "smoke", "-set", "Train.Steps=2", "-quiet")
	mustRun(t, "sample", "-model", model, "-out", at("samples.npz"), "-per-class", "3", "-set", "Sample.Steps=2", "-quiet")
	out := mustRun(t, "generate", "-model", model, "-from", at("samples.npz"), "-out", at("synthetic"))
	if want := "9 synthetic traces (size x16), 3 classes"; !strings.Contains(out, want) {
		t.Errorf("generate -from: %q, want %q", out, want)
	}
	samples, err := pipeline.ReadExamples(at("samples.npz"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := pipeline.Decode(samples.X)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := trafficio.ReadNPZ(at("synthetic/traces.npz"), trafficio.ArrayOptions{})
	if err != nil || len(got.Traces) != len(want) {
		t.Fatalf("traces.npz: %v, %d traces for %d samples", err, len(got.Traces), len(want))
	}
	series, err := got.Series(got.Default)
	if err != nil {
		t.Fatal(err)
	}
	for i, tr := range got.Traces {
		if tr.Class != samples.Labels[i] || len(series[i]) != len(want[i]) {
			t.Fatalf("trace %d: class %d of %d values, the sample is class %d of %d", i, tr.Class, len(series[i]), samples.Labels[i], len(want[i]))
		}
		for k, v := range want[i] {
			if math.Abs(series[i][k]-v) > 1e-6 { // float32 in the NPZ
				t.Fatalf("trace %d value %d: %g, the decoded sample %g", i, k, series[i][k], v)
			}
		}
	}
	wantError(t, "needs traces in bytes, decoded with the model folder's decoder.json", "generate", "-model", model, "-from", at("samples.npz"), "-out", at("s2"), "-to", "pcap", "-quiet")
	wantError(t, "-to tcpdump: use csv, pcap or pcapng", "generate", "-model", model, "-from", at("samples.npz"), "-out", at("s2"), "-to", "tcpdump")
	other := pipeline.Examples{X: samples.X, Labels: samples.Labels, Classes: []string{"x", "y", "z"}}
	if err := pipeline.WriteExamples(at("other.npz"), other); err != nil {
		t.Fatal(err)
	}
	wantError(t, "decode samples with the model that drew them", "generate", "-model", model, "-from", at("other.npz"), "-out", at("s3"))

	// eval -traces: the synthetic traces against the real ones, both decodings, with floors.
	out = mustRun(t, "eval", "-real", at("images/ww.npz"), "-synth", at("samples.npz"), "-traces", at("ww.npz"), "-set", "Downstream.Classifiers=nb", "-quiet")
	for _, want := range []string{"traces against the real traces (full-length decoder; 550 synthetic vs 550 real values a trace)",
		"traces against the real traces (image side, class-mean range; 16 synthetic vs 550 real values a trace)", "volume EMD within class", "(floor "} {
		if !strings.Contains(out, want) {
			t.Errorf("eval -traces output lacks %q:\n%s", want, out)
		}
	}
	wantError(t, "not those the images were made from", "eval", "-real", at("images/ww.npz"), "-synth", at("samples.npz"), "-traces", at("synthetic/traces.npz"))
}
