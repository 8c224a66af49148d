package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/repro"
)

// sweepTiny shrinks the smoke preset's models (8x8 images, 8 channels) so that Fig. 4's smoke plan
// trains in seconds; the same flags go to the plan, every job and the item, so the keys agree.
var sweepTiny = []string{"-mode", "smoke", "-set", "Net.Size=8", "-set", "Net.ModelChannels=8", "-set", "Net.NormGroups=4",
	"-set", "Net.AttentionResolutions=4", "-set", "Train.Steps=5", "-set", "Sample.Steps=3"}

// netdiffusWrapper writes an executable that runs this test binary as netdiffus (TestMain's child
// mode), standing in for a built binary.
func netdiffusWrapper(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "netdiffus")
	script := fmt.Sprintf("#!/bin/sh\n%s=1 exec %s \"$@\"\n", cliChildEnv, shellWord(self))
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// runScript runs a script of scripts/ with extra environment and returns its combined output.
func runScript(t *testing.T, env []string, script string, args ...string) (string, error) {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(filepath.Join(root, "scripts", script), args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// snapshot lists every file under dir with its size and modification time.
func snapshot(t *testing.T, dir string, match func(string) bool) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !match(path) {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, fmt.Sprintf("%s %d %d", path, info.Size(), info.ModTime().UnixNano()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

func tinyPreset(t *testing.T) preset.Preset {
	t.Helper()
	p := preset.SmokePreset()
	var sets []string
	for i := 2; i < len(sweepTiny); i += 2 {
		sets = append(sets, sweepTiny[i+1])
	}
	if err := p.SetAll(sets); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestSweepLocalThenReproTrainsNothing runs Fig. 4's smoke plan with scripts/sweep, two jobs at a time,
// into an empty results folder: every planned model is trained to its steps and its synthetic images
// cached; `netdiffus repro fig4` with the same flags then finds everything, and no file under models/
// or of the synthetic caches changes (nothing trained, nothing sampled).
func TestSweepLocalThenReproTrainsNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two small models (-short)")
	}
	results := t.TempDir()
	env := []string{"NETDIFFUS_RESULTS=" + results, "NETDIFFUS_BIN=" + netdiffusWrapper(t)}
	t.Setenv("NETDIFFUS_RESULTS", results)
	jobs, err := repro.Plan("fig4", tinyPreset(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		if j.Done() {
			t.Errorf("%s is done before the sweep", j.Key)
		}
	}
	out, err := runScript(t, env, "sweep", append([]string{"-j", "2", "fig4"}, sweepTiny...)...)
	if err != nil || !strings.Contains(out, "all 2 trainings done") {
		t.Fatalf("scripts/sweep: %v\n%s", err, out)
	}
	for _, j := range jobs {
		if !j.Done() {
			t.Errorf("%s is not done after the sweep (its cache: the file its training writes)", j.Key)
		}
	}
	if plan := mustRun(t, append([]string{"repro", "fig4", "-plan"}, sweepTiny...)...); !strings.Contains(plan, "2 model trainings, 2 done, 0 trained") {
		t.Errorf("the plan after the sweep does not count them done:\n%s", plan)
	}
	for i, want := range []string{"step-000000005", "step-000000150"} { // the standard model, the limited one (LimitedSteps)
		if _, err := os.Stat(filepath.Join(results, "models", jobs[i].Key, want)); err != nil {
			t.Errorf("model %s: %v", jobs[i].Key, err)
		}
	}
	synth := func(p string) bool { return strings.HasPrefix(filepath.Base(p), "synth-") }
	if n := len(snapshot(t, results, synth)); n != 2 {
		t.Errorf("%d cached synthetic sets, want 2", n)
	}
	all := func(p string) bool { return strings.Contains(p, "/models/") || synth(p) }
	before := snapshot(t, results, all)
	cmd := exec.Command(strings.TrimPrefix(env[1], "NETDIFFUS_BIN="), append([]string{"repro", "fig4"}, sweepTiny...)...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.Output()
	if err != nil {
		t.Fatalf("repro fig4 after the sweep: %v\n%s", err, stdout)
	}
	if !strings.Contains(string(stdout), "model 150 steps") || !strings.Contains(string(stdout), "model 5 steps") {
		t.Errorf("repro fig4 output lacks the swept models:\n%s", stdout)
	}
	if after := snapshot(t, results, all); strings.Join(after, "\n") != strings.Join(before, "\n") {
		t.Errorf("repro fig4 changed the models or synthetic caches:\nbefore %v\nafter  %v", before, after)
	}
}

// TestSweepSlurmScript writes the Slurm array of Fig. 4's cpu plan and checks its shape: one task per
// planned model in plan order, the shared results folder, the sbatch options; then runs two tasks with a
// stand-in binary: task 4 runs exactly the fifth job's command, a task past the array fails.
func TestSweepSlurmScript(t *testing.T) {
	results := t.TempDir()
	file := filepath.Join(t.TempDir(), "fig4.sbatch")
	env := []string{"NETDIFFUS_RESULTS=" + results, "NETDIFFUS_BIN=" + netdiffusWrapper(t)}
	if out, err := runScript(t, env, "sweep", "-slurm", file, "-sbatch", "--gres=gpu:1", "fig4", "-mode", "cpu"); err != nil {
		t.Fatalf("scripts/sweep -slurm: %v\n%s", err, out)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	script := string(b)
	t.Setenv("NETDIFFUS_RESULTS", results)
	jobs, err := repro.Plan("fig4", preset.CPUPreset())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"#!/bin/bash\n", "#SBATCH --job-name=netdiffus-fig4\n", fmt.Sprintf("#SBATCH --array=0-%d\n", len(jobs)-1),
		"#SBATCH --output=" + results + "/sweep-logs/fig4-%A_%a.log\n", "#SBATCH --gres=gpu:1\n", "export NETDIFFUS_RESULTS=" + results + "\n"}
	for i, j := range jobs {
		want = append(want, fmt.Sprintf("\n%d) netdiffus train-plan %s -mode cpu ;;", i, j.Key))
	}
	for _, w := range want {
		if !strings.Contains(script, w) {
			t.Errorf("the script lacks %q:\n%s", w, script)
		}
	}
	if out, err := exec.Command("bash", "-n", file).CombinedOutput(); err != nil {
		t.Fatalf("bash -n: %v %s", err, out)
	}
	argsFile := filepath.Join(t.TempDir(), "args")
	fake := filepath.Join(t.TempDir(), "fake-netdiffus")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\necho \"$NETDIFFUS_RESULTS $*\" > "+argsFile+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	task := func(id int) (string, error) {
		cmd := exec.Command("bash", file)
		cmd.Env = append(os.Environ(), fmt.Sprintf("SLURM_ARRAY_TASK_ID=%d", id), "NETDIFFUS_BIN="+fake, "NETDIFFUS_RESULTS=/elsewhere")
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	if out, err := task(4); err != nil {
		t.Fatalf("task 4: %v\n%s", err, out)
	}
	got, _ := os.ReadFile(argsFile)
	if wantArgs := results + " train-plan " + jobs[4].Key + " -mode cpu\n"; string(got) != wantArgs {
		t.Errorf("task 4 ran %q, want %q", got, wantArgs)
	}
	if out, err := task(len(jobs)); err == nil || !strings.Contains(out, fmt.Sprintf("no task %d", len(jobs))) {
		t.Errorf("task past the array: %v\n%s", err, out)
	}
}

// TestReproPlanAndTrainPlanFlags: -plan prints one tab-separated line per model with the flags that keep
// its key, quoted for a shell; train-plan refuses a missing or unknown key with the keys there are.
func TestReproPlanAndTrainPlanFlags(t *testing.T) {
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	out := mustRun(t, "repro", "fig4", "-plan", "-set", "Sample.Steps=3", "-set", "Downstream.Classifiers=rf, nb")
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("plan lines: %q", lines)
	}
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) != 3 || f[1] != "netdiffus train-plan "+f[0]+" -mode smoke -set Sample.Steps=3 -set 'Downstream.Classifiers=rf, nb'" || !strings.HasPrefix(f[2], "# D1-Netflix") {
			t.Errorf("plan line %q", l)
		}
	}
	wantError(t, "name a model key", "train-plan")
	wantError(t, "d1-netflix-n2-", "train-plan", "no-such-model", "-mode", "smoke")
	wantError(t, "unexpected arguments", "train-plan", "k", "extra")
	wantError(t, "no figure or table", "repro", "fig99", "-plan")
	wantError(t, "all goes with -plan", "repro", "all")

	out = mustRun(t, "repro", "variance", "-plan", "-set", "Sample.Steps=3")
	if !strings.Contains(out, "# then `netdiffus repro variance -mode smoke -set Sample.Steps=3` reads them") {
		t.Errorf("plan of the variance run: the closing command\n%s", out)
	}
	var seeds []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if f := strings.Split(l, "\t"); !strings.HasPrefix(l, "#") && len(f) == 3 {
			seeds = append(seeds, strings.TrimPrefix(strings.Split(f[2], " (")[0], "# "))
		}
	}
	if got := strings.Join(seeds, "; "); got != "D1-Netflix, the standard model with training seed 1; D1-Netflix, the standard model with training seed 2; "+
		"D1-Netflix, the standard model with training seed 3; D3-Google, the standard model with training seed 1; "+
		"D3-Google, the standard model with training seed 2; D3-Google, the standard model with training seed 3" {
		t.Errorf("plan of the variance run: %s\n%s", got, out)
	}

	out = mustRun(t, "repro", "all", "-plan")
	if !strings.Contains(out, "# then `netdiffus repro NAME -mode smoke` reads them") {
		t.Errorf("plan of all: the closing command\n%s", out)
	}
	keys := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if f := strings.Split(l, "\t"); !strings.HasPrefix(l, "#") {
			if keys[f[0]] {
				t.Errorf("plan of all lists %s twice", f[0])
			}
			keys[f[0]] = true
		}
	}
	if len(keys) < 3 {
		t.Errorf("plan of all: %d models\n%s", len(keys), out)
	}
}

// TestReproVarianceTinyModels runs the evidence protocol's variance run (three seeds of D1-Netflix and
// D3-Google) on tiny models: `netdiffus repro variance` prints each model's row and each dataset's
// between-model interval, and says nothing of a stored reference when none is stored.
func TestReproVarianceTinyModels(t *testing.T) {
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	t.Setenv("NETDIFFUS_REFERENCE", t.TempDir())
	if out := mustRun(t, "repro", "-list"); !strings.HasSuffix(out, "variance "+repro.VarianceTitle+"\n") {
		t.Errorf("repro -list does not end with the variance run:\n%s", out)
	}
	if out := mustRun(t, "repro", "-stale"); !strings.HasSuffix(out, "\nvariance\n") {
		t.Errorf("repro -stale without a stored variance run:\n%s", out)
	}
	out := mustRun(t, append([]string{"repro", "variance", "-quiet", "-set", "Downstream.Classifiers=nb"}, sweepTiny...)...)
	for _, want := range []string{"Model variance, preset smoke", "| D1-Netflix | seed 3 |", "| D1-Netflix | between 3 models (t) |",
		"| D3-Google | between 3 models (t) |", "| D3-Google | largest within-model half-width |", "synth accuracy (%, nb)"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Stored reference") {
		t.Errorf("a stored reference shown where none is stored:\n%s", out)
	}
}
