package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

// TestBaselineTrainSample trains a tiny DoppelGANger-style GAN on the quick WW data for a few steps,
// resumes it for more, samples 3 series per class to an npz and reads them back.
func TestBaselineTrainSample(t *testing.T) {
	dir := t.TempDir()
	model := filepath.Join(dir, "model")
	common := []string{"-gan", "doppelganger", "-mode", "smoke", "-from", "default", "-in", "ww", "-out", model,
		"-units", "8", "-disc-units", "16", "-sample-len", "50", "-batch", "16", "-train-fraction", "0.8"}
	var log strings.Builder
	if err := baselineMain(append([]string{"train", "-steps", "2"}, common...), &log); err != nil {
		t.Fatal(err)
	}
	if err := baselineMain(append([]string{"train", "-steps", "4"}, common...), &log); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "resumed") || !strings.Contains(log.String(), "trained 4 steps") {
		t.Errorf("log does not show a resume to step 4:\n%s", log.String())
	}
	out := filepath.Join(dir, "gen.npz")
	if err := baselineMain([]string{"sample", "-model", model, "-n", "3", "-out", out}, &log); err != nil {
		t.Fatal(err)
	}
	ds, _, err := trafficio.ReadNPZ(out, trafficio.ArrayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	counts := ds.CountPerClass()
	if len(ds.Traces) != 9 || len(counts) != 3 || counts[0] != 3 || counts[2] != 3 || ds.Default.Length != 550 {
		t.Errorf("read back %d series, per class %v, length %d; want 9, 3 each, 550", len(ds.Traces), counts, ds.Default.Length)
	}
	if err := baselineMain([]string{"train", "-gan", "gpt"}, &log); err == nil {
		t.Error("unknown generator: want an error")
	}
}
