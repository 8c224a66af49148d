package main

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

// netdiffus runs one command as a user types it (the words after "netdiffus") and returns its standard
// output and error.
func netdiffus(t *testing.T, line ...string) (string, error) {
	t.Helper()
	c, ok := commands[line[0]]
	if !ok {
		t.Fatalf("no command %q", line[0])
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout := os.Stdout
	os.Stdout = w
	done := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		done <- string(b)
	}()
	err = c.run(line[1:])
	w.Close()
	os.Stdout = stdout
	return <-done, err
}

func mustRun(t *testing.T, line ...string) string {
	t.Helper()
	out, err := netdiffus(t, line...)
	if err != nil {
		t.Fatalf("netdiffus %s: %v", strings.Join(line, " "), err)
	}
	return out
}

func wantError(t *testing.T, want string, line ...string) {
	t.Helper()
	_, err := netdiffus(t, line...)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("netdiffus %s: got %v, want an error mentioning %q", strings.Join(line, " "), err, want)
	}
}

// TestChainSmoke is the command-line chain on embedded data, each step reading the previous one's
// output: data generate -> image -> train -preset smoke -> sample -> generate -> eval (twice: on the
// sample file and straight from the model).
func TestChainSmoke(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	mustRun(t, "data", "generate", "-name", "ww", "-out", at("ww.npz"))
	mustRun(t, "image", "-in", at("ww.npz"), "-out", at("images"), "-size", "16", "-quiet")
	images := at("images/ww.npz")
	model := at("model")
	quick := []string{"-set", "Train.Steps=3", "-set", "Sample.Steps=3", "-quiet"}
	out := mustRun(t, append([]string{"train", "-data", images, "-model", model, "-preset", "smoke"}, quick...)...)
	if !strings.Contains(out, "smoke: step 3 of 3") || !strings.Contains(out, "72 training images of 3 classes") {
		t.Errorf("train: %s", out)
	}
	// The same command again resumes a finished model: nothing to do, same answer.
	if again := mustRun(t, append([]string{"train", "-data", images, "-model", model}, quick...)...); !strings.Contains(again, "step 3 of 3") {
		t.Errorf("train again: %s", again)
	}
	mustRun(t, "sample", "-model", model, "-out", at("samples.npz"), "-per-class", "4", "-quiet")
	s, err := pipeline.ReadExamples(at("samples.npz"))
	if err != nil || s.X.Batch() != 12 || strings.Join(s.Classes, ",") != "all-access,desktop,mobile-web" || s.X.Shape[1] != 16 {
		t.Fatalf("samples: %v, %v %v", err, s.X.Shape, s.Classes)
	}
	mustRun(t, "generate", "-model", model, "-out", at("synthetic"), "-per-class", "2", "-quiet")
	traces, _, err := trafficio.ReadCSVFolder(at("synthetic/traces"), trafficio.FolderOptions{})
	if err != nil || len(traces.Traces) != 6 || len(traces.Classes) != 3 {
		t.Fatalf("generated CSV folder: %v, %+v", err, traces)
	}
	npz, _, err := trafficio.ReadNPZ(at("synthetic/traces.npz"), trafficio.ArrayOptions{})
	if err != nil || len(npz.Traces) != 6 {
		t.Fatalf("generated NPZ: %v", err)
	}
	// The generated NPZ is valid input to the start of the chain again.
	mustRun(t, "image", "-in", at("synthetic/traces.npz"), "-out", at("images2"), "-size", "8", "-quiet")
	out = mustRun(t, "eval", "-real", images, "-synth", at("samples.npz"), "-set", "Downstream.Classifiers=nb")
	for _, want := range []string{"72 real training, 18 real test and 12 synthetic images of 16x16", "FID ", "per-class FID", "ori+synth",
		"FID excess over fresh real data", "memorization audit (images", "memorization audit (decoded traces", "DCR ratio", "membership AUC", "gain over original"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	out = mustRun(t, "eval", "-real", images, "-model", model, "-set", "Downstream.Classifiers=nb", "-quiet")
	if !strings.Contains(out, "72 synthetic images") {
		t.Errorf("eval -model draws as many images as the training part has:\n%s", out)
	}

	// Bad input, as users make it.
	wantError(t, "missing.npz", "train", "-data", at("missing.npz"), "-model", at("m2"))
	wantError(t, "netdiffus image", "train", "-data", at("ww.npz"), "-model", at("m2"))
	wantError(t, "-data is required", "train", "-model", at("m2"))
	wantError(t, "image the data with -size 32", "train", "-data", images, "-model", at("m2"), "-preset", "cpu")
	wantError(t, `no field "Sise"; valid names: AttentionResolutions`, "train", "-data", images, "-set", "Net.Sise=16")
	wantError(t, "another configuration (Net.ModelChannels 16 (folder) vs 8 (asked))", append([]string{"train", "-data", images, "-model", model, "-set", "Net.ModelChannels=8"}, quick...)...)
	wantError(t, "no checkpoint", "sample", "-model", at("images"), "-out", at("x.npz"))
	wantError(t, "Net.Size 16 (folder) vs 32 (asked)", "sample", "-model", model, "-out", at("x.npz"), "-set", "Net.Size=32")
	wantError(t, "null class", "sample", "-model", model, "-out", at("x.npz"), "-set", "Net.NullClass=false", "-set", "Sample.Guidance=3")
	wantError(t, "shaped [16 16 1]", "eval", "-real", at("images2/traces.npz"), "-synth", at("samples.npz"), "-set", "Data.TrainFraction=0.5")
	wantError(t, "leaves 6 for training and 0 for testing", "eval", "-real", at("images2/traces.npz"), "-synth", at("samples.npz"))
	wantError(t, "one of -synth or -model", "eval", "-real", images)
	wantError(t, "preset \"huge\"", "experiment", "-preset", "huge")
	wantError(t, "at least 2 seeds", "variance", "-seeds", "1")
	wantError(t, `"x" is not a seed`, "variance", "-seeds", "1,x")
	wantError(t, "-out is required", "data", "generate", "-name", "ww")
	wantError(t, "missing.csv", "image", "-in", at("missing.csv"))
	// Flag values out of range are refused before any work (issue 10's cases).
	wantError(t, "gasf.MaxSize", "image", "-in", at("ww.npz"), "-out", at("big"), "-size", "100000")
	for _, bad := range []struct{ set, want string }{
		{"Train.BatchSize=-4", "BatchSize"},
		{"Train.LearningRate=-1", "LearningRate"},
		{"Net.ModelChannels=-8", "ModelChannels"},
		{"Train.EMADecay=2", "EMADecay"},
		{"Train.LabelDropout=2", "LabelDropout"},
	} {
		wantError(t, bad.want, "train", "-data", images, "-model", at("m3"), "-set", bad.set)
	}
}

// TestChainFull runs the full preset's switches (learned sigma, no null class, the artifact's U-Net
// layout) through train and sample, shrunk to 16x16 and 16 channels.
func TestChainFull(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	mustRun(t, "data", "generate", "-name", "ww", "-out", at("ww.npz"))
	mustRun(t, "image", "-in", at("ww.npz"), "-out", at("images"), "-size", "16", "-quiet")
	set := []string{"-preset", "full", "-set", "Net.Size=16", "-set", "Net.ModelChannels=16", "-set", "Train.Steps=2", "-set", "Sample.Steps=3", "-quiet"}
	out := mustRun(t, append([]string{"train", "-data", at("images/ww.npz"), "-model", at("model")}, set...)...)
	if !strings.Contains(out, "full: step 2 of 2") {
		t.Errorf("train: %s", out)
	}
	info, ok, err := pipeline.ReadInfo(at("model"))
	if err != nil || !ok || !info.Preset.Net.LearnSigma || info.Preset.Net.NullClass {
		t.Fatalf("model folder description: %v %v %+v", ok, err, info.Preset.Net)
	}
	// sample starts from the folder's preset: no -preset needed.
	mustRun(t, "sample", "-model", at("model"), "-out", at("samples.npz"), "-per-class", "2", "-quiet")
	s, err := pipeline.ReadExamples(at("samples.npz"))
	if err != nil || s.X.Batch() != 6 || s.X.Shape[1] != 16 {
		t.Fatalf("samples: %v %v", err, s.X.Shape)
	}
}

func TestPrintConfig(t *testing.T) {
	out, err := netdiffus(t, "train", "-preset", "full", "-set", "Net.Size=16", "-set", "Train.Steps=5", "-print-config")
	if !errors.Is(err, errPrinted) {
		t.Fatalf("-print-config: %v", err)
	}
	var p struct {
		Name  string
		Net   struct{ Size int }
		Train struct {
			Steps        int64
			LearningRate float64
		}
	}
	if err := json.Unmarshal([]byte(out), &p); err != nil || p.Name != "full" || p.Net.Size != 16 || p.Train.Steps != 5 || p.Train.LearningRate != 1e-4 {
		t.Errorf("printed %q (%v)", out, err)
	}
	if code := runCommand(commands["sample"], []string{"-print-config"}); code != 0 {
		t.Errorf("-print-config exit status %d", code)
	}
	cfg := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(cfg, []byte(`{"Sample": {"Steps": 7}}`), 0o644)
	out, _ = netdiffus(t, "sample", "-preset", "quick", "-config", cfg, "-print-config")
	if !strings.Contains(out, `"Name": "smoke"`) || !strings.Contains(out, `"Steps": 7`) {
		t.Errorf("quick alias and -config: %s", out)
	}
	wantError(t, "Nett", "sample", "-set", "Nett.Size=3", "-print-config")
	if code := runCommand(commands["train"], []string{"-no-such-flag"}); code != 1 {
		t.Errorf("unknown flag: exit status %d", code)
	}
}
