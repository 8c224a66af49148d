package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netdiffus/netdiffus/internal/ckptdir"

	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
)

// cliChildEnv makes TestMain run the netdiffus command line (os.Args after the program name) instead
// of the tests, so a test can start `netdiffus train` as a real process of this binary and kill it.
const cliChildEnv = "NETDIFFUS_TEST_RUN_CLI"

func TestMain(m *testing.M) {
	if os.Getenv(cliChildEnv) == "1" {
		main() // exits with the command's status
	}
	os.Exit(m.Run())
}

// killSteps and killEvery: the runs compared train killSteps steps with a checkpoint every killEvery
// steps (the preset's Keep of 2 prunes older ones); the killed run is stopped after its second
// checkpoint or later.
const (
	killSteps = 40
	killEvery = 5
)

// killTrainArgs is the train command line of both runs into model folder dir: 8x8 images, 8 base
// channels, batches of 8 out of 72 training images, so epoch boundaries fall inside batches.
func killTrainArgs(images, dir string) []string {
	args := []string{"train", "-data", images, "-model", dir, "-preset", "smoke"}
	for _, s := range []string{"Net.Size=8", "Net.ModelChannels=8", "Net.NormGroups=4", "Net.AttentionResolutions=4",
		"Train.BatchSize=8", fmt.Sprintf("Train.Steps=%d", killSteps), fmt.Sprintf("Train.CheckpointEvery=%d", killEvery)} {
		args = append(args, "-set", s)
	}
	return args
}

// startCLI starts this test binary as `netdiffus args...`, its output going to out.
func startCLI(t *testing.T, out *bytes.Buffer, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), cliChildEnv+"=1")
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

// newestStep is the step of the newest checkpoint in dir (0: none yet).
func newestStep(dir string) int64 {
	all, _ := unet.Checkpoints(dir)
	if len(all) == 0 {
		return 0
	}
	var step int64
	fmt.Sscanf(strings.TrimPrefix(filepath.Base(all[len(all)-1]), "step-"), "%d", &step)
	return step
}

// finalState reads the newest checkpoint of a model folder: every GoMLX variable (weights, AdamW
// moments, EMA weights, counters) as its raw bytes followed by its shape, the trainer.json next to
// them (configuration, step, host random stream) and the step.
func finalState(t *testing.T, dir string) (vars map[string][]byte, state []byte, steps int64) {
	t.Helper()
	b, err := sharedBackend()
	if err != nil {
		t.Fatal(err)
	}
	tr, info, err := unet.ResumeChecked(b, dir)
	if err != nil {
		t.Fatalf("%s: %v", dir, err)
	}
	if len(info.Skipped) > 0 {
		t.Errorf("%s: damaged checkpoints skipped: %q", dir, info.Skipped)
	}
	if state, err = os.ReadFile(filepath.Join(info.Folder, "trainer.json")); err != nil {
		t.Fatal(err)
	}
	vars = map[string][]byte{}
	for v := range tr.Store().IterVariables() {
		val, err := v.Value()
		if err != nil {
			t.Fatal(err)
		}
		var raw []byte
		if err := val.ConstBytes(func(data []byte) { raw = append([]byte(nil), data...) }); err != nil {
			t.Fatal(err)
		}
		vars[v.Path()] = append(raw, val.Shape().String()...)
	}
	return vars, state, tr.Steps()
}

// TestTrainSIGKILLResumeIsBitExact kills a real `netdiffus train` process with SIGKILL between
// checkpoints, runs the same command again on its folder, and compares the final checkpoint with that
// of an uninterrupted run of the same command: every variable and the trainer state (step, random
// stream) must be bit-identical, every file of the checkpoints both runs keep byte-identical, and the
// second run must say it resumed.
func TestTrainSIGKILLResumeIsBitExact(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: trains the model three times in child processes of this test binary")
	}
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	mustRun(t, "data", "generate", "-name", "ww", "-out", at("ww.npz"))
	mustRun(t, "image", "-in", at("ww.npz"), "-out", at("images"), "-size", "8", "-quiet")
	images := at("images/ww.npz")

	// A: uninterrupted.
	var outA bytes.Buffer
	if err := startCLI(t, &outA, killTrainArgs(images, at("A"))...).Wait(); err != nil {
		t.Fatalf("uninterrupted train: %v\n%s", err, outA.String())
	}

	// B: killed after its second checkpoint or later, before the last one.
	var outKilled bytes.Buffer
	cmd := startCLI(t, &outKilled, killTrainArgs(images, at("B"))...)
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(3 * time.Minute)
poll:
	for newestStep(at("B")) < 2*killEvery {
		select {
		case err := <-exited:
			t.Fatalf("train exited (%v) before its second checkpoint:\n%s", err, outKilled.String())
		case <-deadline:
			cmd.Process.Kill()
			<-exited
			t.Fatalf("train wrote no second checkpoint in 3 minutes:\n%s", outKilled.String())
		case <-time.After(2 * time.Millisecond):
			continue poll
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := <-exited; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("train was not killed by SIGKILL (%v): it finished first, nothing was tested:\n%s", err, outKilled.String())
	}
	killedAt := newestStep(at("B"))
	if killedAt >= killSteps {
		t.Fatalf("train had written its final checkpoint (step %d) before the kill: nothing was tested", killedAt)
	}
	t.Logf("killed with the newest checkpoint at step %d of %d", killedAt, killSteps)

	// B again: the same command resumes.
	var outResumed bytes.Buffer
	if err := startCLI(t, &outResumed, killTrainArgs(images, at("B"))...).Wait(); err != nil {
		t.Fatalf("resumed train: %v\n%s", err, outResumed.String())
	}
	resumed := outResumed.String()
	if want := fmt.Sprintf("resumed %s at step %d", at("B"), killedAt); !strings.Contains(resumed, want) {
		t.Errorf("the second train does not say %q:\n%s", want, resumed)
	}
	if want := fmt.Sprintf("step %d of %d", killSteps, killSteps); !strings.Contains(resumed, want) || !strings.Contains(outA.String(), want) {
		t.Errorf("a run does not report %q; uninterrupted:\n%s\nresumed:\n%s", want, outA.String(), resumed)
	}

	want, wantState, wantSteps := finalState(t, at("A"))
	got, gotState, gotSteps := finalState(t, at("B"))
	if gotSteps != killSteps || wantSteps != killSteps || len(got) != len(want) || len(want) == 0 {
		t.Fatalf("killed and resumed: %d steps, %d variables; uninterrupted: %d steps, %d variables; want %d steps",
			gotSteps, len(got), wantSteps, len(want), killSteps)
	}
	differ := 0
	for path, w := range want {
		if g, ok := got[path]; !ok || !bytes.Equal(g, w) {
			differ++
			if differ <= 10 {
				t.Errorf("variable %s differs after kill and resume (present: %v)", path, ok)
			}
		}
	}
	if !bytes.Equal(gotState, wantState) {
		t.Errorf("trainer.json differs after kill and resume:\n%s\nuninterrupted:\n%s", gotState, wantState)
	}
	if differ > 0 {
		t.Errorf("%d of %d variables differ after SIGKILL at step %d and resume", differ, len(want), killedAt)
	}
	t.Logf("%d variables and trainer.json compared, %d variables differ", len(want), differ)
	diffs, files, err := ckptdir.Differences(at("A"), at("B"), "step-")
	if err != nil {
		t.Fatal(err)
	}
	if files == 0 {
		t.Fatal("no checkpoint file compared: the runs keep no common checkpoint")
	}
	for _, d := range diffs {
		t.Errorf("checkpoint file differs after kill and resume: %s", d)
	}
	t.Logf("%d checkpoint files compared byte for byte, %d differ", files, len(diffs))
}
