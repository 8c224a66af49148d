package unet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netdiffus/netdiffus/internal/ckptdir"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
)

// killChildEnv makes TestKillChildHelper train into the folder it names (the child process of
// TestSIGKILLResumeIsBitExact).
const killChildEnv = "NETDIFFUS_UNET_KILL_CHILD_DIR"

// killSteps is the length of the runs compared; 10 images in batches of 4 put epoch boundaries in
// the middle of batches, so the replay must get the permutation and the offset right.
const killSteps = 14

func killData(t testing.TB) (diffusion.Array, []int) {
	cfg := tiny()
	x := diffusion.NewArray(append([]int{10}, cfg.Net.ExampleShape()...)...)
	labels := make([]int, 10)
	n := x.ExampleSize()
	for b := range labels {
		labels[b] = b % cfg.Net.NumClasses
		for i := range n {
			x.Data[b*n+i] = float32((i*(b+3))%17)/8 - 1
		}
	}
	return x, labels
}

// trainInto runs (or, with resume, continues) the tiny model to killSteps with a checkpoint every
// step, as `netdiffus train` does.
func trainInto(t testing.TB, dir string, resume bool) *Trainer {
	backend := goBackend(t)
	var tr *Trainer
	var err error
	if resume {
		tr, err = Resume(backend, dir)
	} else {
		tr, err = New(backend, tiny())
	}
	if err != nil {
		t.Fatal(err)
	}
	x, labels := killData(t)
	sh, err := NewShuffler(x, labels, tiny().Train.BatchSize, tiny().Train.Seed)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tr.Run(context.Background(), sh, RunConfig{MaxSteps: killSteps, CheckpointDir: dir, CheckpointEvery: 1, Keep: 3}); err != nil {
		t.Fatal(err)
	}
	return tr
}

// TestKillChildHelper is the child process of TestSIGKILLResumeIsBitExact; it skips otherwise.
func TestKillChildHelper(t *testing.T) {
	dir := os.Getenv(killChildEnv)
	if dir == "" {
		t.Skip("helper process for TestSIGKILLResumeIsBitExact")
	}
	trainInto(t, dir, false)
}

func variableBytes(t testing.TB, tr *Trainer) map[string][]byte {
	out := map[string][]byte{}
	for v := range tr.Store().IterVariables() {
		val, err := v.Value()
		if err != nil {
			t.Fatal(err)
		}
		var b []byte
		if err := val.ConstBytes(func(data []byte) { b = append([]byte(nil), data...) }); err != nil {
			t.Fatal(err)
		}
		out[v.Path()] = append(b, []byte(val.Shape().String())...)
	}
	return out
}

// TestSIGKILLResumeIsBitExact kills a real training process with SIGKILL after a few steps,
// resumes from its folder and compares every variable (weights, AdamW moments, EMA weights,
// counters) and the step count with an uninterrupted run: they must be bit-identical, and so must every
// file of the checkpoints both runs keep (metadata, variable order, trainer.json). While the child runs,
// a second lock on its folder must fail naming the child's pid.
func TestSIGKILLResumeIsBitExact(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	refDir := t.TempDir()
	ref := trainInto(t, refDir, false)
	want := variableBytes(t, ref)

	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestKillChildHelper$", "-test.count=1")
	cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	const killAfter = 5 // checkpoints written before the kill
	deadline := time.Now().Add(2 * time.Minute)
	for {
		all, _ := Checkpoints(dir)
		if len(all) > 0 && filepath.Base(all[len(all)-1]) >= fmt.Sprintf("%s%09d", stepDirPrefix, killAfter) {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("child wrote no checkpoint %d in time; output:\n%s", killAfter, out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	_, lockErr := LockDir(dir)
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	wantPid := fmt.Sprintf("pid %d", cmd.Process.Pid)
	if lockErr == nil || !strings.Contains(lockErr.Error(), wantPid) || !strings.Contains(lockErr.Error(), dir) {
		t.Errorf("second lock while the child trained: %v; want an error naming %s and %s", lockErr, dir, wantPid)
	}
	all, _ := Checkpoints(dir)
	last := all[len(all)-1]
	if strings.HasSuffix(last, fmt.Sprintf("%09d", killSteps)) {
		t.Fatalf("the child finished all %d steps before the kill: nothing was tested", killSteps)
	}
	t.Logf("killed after %s (%d checkpoints kept)", filepath.Base(last), len(all))

	resumed := trainInto(t, dir, true)
	got := variableBytes(t, resumed)
	if resumed.Steps() != ref.Steps() || len(got) != len(want) {
		t.Fatalf("resumed run: %d steps, %d variables; uninterrupted: %d steps, %d variables", resumed.Steps(), len(got), ref.Steps(), len(want))
	}
	differ := 0
	for path, w := range want {
		if !bytes.Equal(got[path], w) {
			differ++
			t.Errorf("variable %s differs after kill and resume", path)
		}
	}
	t.Logf("%d variables compared, %d differ", len(want), differ)
	diffs, files, err := ckptdir.Differences(refDir, dir, stepDirPrefix)
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

// TestShufflerSeekReplaysOrder: the batches after SeekBatch(k) are batches k, k+1, ... of a fresh
// shuffler, across epoch boundaries.
func TestShufflerSeekReplaysOrder(t *testing.T) {
	x, labels := killData(t)
	for i := range labels {
		labels[i] = i // labels identify the examples
	}
	ref, _ := NewShuffler(x, labels, 4, 9)
	var seq [][]int
	for range 12 {
		_, l, _ := ref.Next()
		seq = append(seq, l)
	}
	for _, k := range []int64{0, 1, 2, 3, 5, 7, 11} {
		s, _ := NewShuffler(x, labels, 4, 9)
		if err := s.SeekBatch(k); err != nil {
			t.Fatal(err)
		}
		for j := k; j < 12; j++ {
			_, l, _ := s.Next()
			if fmt.Sprint(l) != fmt.Sprint(seq[j]) {
				t.Fatalf("after SeekBatch(%d), batch %d = %v, want %v", k, j, l, seq[j])
			}
		}
	}
	if err := ref.SeekBatch(-1); err == nil {
		t.Error("negative step accepted")
	}
}

// saveSteps trains the tiny model for n steps, saving after each, and returns the folder.
func saveSteps(t *testing.T, n int) string {
	tr, err := New(goBackend(t), tiny())
	if err != nil {
		t.Fatal(err)
	}
	x, labels := fixedBatch(tiny(), 3)
	dir := t.TempDir()
	for range n {
		if _, err := tr.TrainStep(x, labels); err != nil {
			t.Fatal(err)
		}
		if _, err := tr.Save(dir, 0); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// setDims rewrites the first variable's claimed shape in a GoMLX checkpoint JSON.
func setDims(t *testing.T, j string, pristine map[string][]byte, dims ...int) {
	var meta map[string]any
	if err := json.Unmarshal(pristine[j], &meta); err != nil {
		t.Fatal(err)
	}
	meta["Variables"].([]any)[0].(map[string]any)["Dimensions"] = dims
	b, _ := json.Marshal(meta)
	os.WriteFile(j, b, 0o644)
}

func gomlxJSON(t *testing.T, folder string) string {
	m, _ := filepath.Glob(filepath.Join(folder, "checkpoint-*.json"))
	if len(m) != 1 {
		t.Fatalf("checkpoint jsons %v", m)
	}
	return m[0]
}

// Damaged newest checkpoints of issue 10: each is skipped with a message naming the problem and the
// previous intact checkpoint is used; when all are damaged the error lists why.
func TestResumeFallsBackFromDamagedCheckpoint(t *testing.T) {
	dir := saveSteps(t, 2)
	all, _ := Checkpoints(dir)
	newest := all[1]
	pristine := map[string][]byte{}
	for _, p := range []string{gomlxJSON(t, newest), filepath.Join(newest, stateFile)} {
		pristine[p], _ = os.ReadFile(p)
	}
	bin := strings.TrimSuffix(gomlxJSON(t, newest), ".json") + ".bin"
	pristine[bin], _ = os.ReadFile(bin)
	restore := func() {
		for p, b := range pristine {
			os.WriteFile(p, b, 0o644)
		}
	}
	cases := []struct {
		name, want string
		damage     func()
	}{
		{"issue: truncated newest", "truncated or damaged", func() { os.Truncate(bin, int64(len(pristine[bin])-10)) }},
		{"issue: JSON claiming [100000, 100000]", "disagree with its shape [100000 100000]", func() { setDims(t, gomlxJSON(t, newest), pristine, 100000, 100000) }},
		{"negative dimension", "negative or over 2^40", func() { setDims(t, gomlxJSON(t, newest), pristine, -4, 2) }},
		{"overflowing dimensions", "negative or over 2^40", func() { setDims(t, gomlxJSON(t, newest), pristine, 1<<40, 1<<40) }},
		{"trainer.json with size 100000", "Size 100000 outside", func() {
			p := filepath.Join(newest, stateFile)
			os.WriteFile(p, bytes.Replace(pristine[p], []byte(`"Size": 8`), []byte(`"Size": 100000`), 1), 0o644)
		}},
		{"trainer.json garbage", "corrupt trainer.json", func() { os.WriteFile(filepath.Join(newest, stateFile), []byte("{\xff"), 0o644) }},
		{"json removed", "no GoMLX checkpoint", func() { os.Remove(gomlxJSON(t, newest)) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			defer restore()
			tc.damage()
			tr, info, err := ResumeChecked(goBackend(t), dir)
			if err != nil {
				t.Fatal(err)
			}
			if info.Folder != all[0] || tr.Steps() != 1 || len(info.Skipped) != 1 || !strings.Contains(info.Skipped[0], tc.want) {
				t.Fatalf("resumed from %s at step %d, skipped %q; want %s and a message containing %q", info.Folder, tr.Steps(), info.Skipped, all[0], tc.want)
			}
		})
	}
	// Both damaged: an error listing both.
	os.Truncate(bin, 5)
	os.WriteFile(filepath.Join(all[0], stateFile), []byte("{}"), 0o644)
	if _, _, err := ResumeChecked(goBackend(t), dir); err == nil || !strings.Contains(err.Error(), "no intact checkpoint") {
		t.Errorf("all damaged: %v", err)
	}
}

// TestLockAndWritableFolder: a second lock fails naming the folder and this pid; the lock is
// released by unlock; a read-only folder fails before any work.
func TestLockAndWritableFolder(t *testing.T) {
	dir := t.TempDir()
	unlock, err := LockDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockDir(dir)
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("pid %d", os.Getpid())) || !strings.Contains(err.Error(), dir) {
		t.Errorf("second lock: %v", err)
	}
	tr, _ := New(goBackend(t), tiny())
	x, labels := killData(t)
	sh, _ := NewShuffler(x, labels, 4, 1)
	if _, err := tr.Run(context.Background(), sh, RunConfig{MaxSteps: 1, CheckpointDir: dir}); err == nil || tr.Steps() != 0 {
		t.Errorf("Run on a locked folder: %v after %d steps", err, tr.Steps())
	}
	unlock()
	again, err := LockDir(dir)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	again()
	// A folder that cannot be created (its parent is a file) fails before any step, even as root.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o644)
	if _, err := tr.Run(context.Background(), sh, RunConfig{MaxSteps: 1, CheckpointDir: filepath.Join(file, "ckpt")}); err == nil || !strings.Contains(err.Error(), "checkpoint folder") || tr.Steps() != 0 {
		t.Errorf("uncreatable folder: %v after %d steps", err, tr.Steps())
	}
	if os.Geteuid() == 0 {
		t.Log("running as root: the read-only folder check cannot fail here, skipped")
		return
	}
	ro := filepath.Join(t.TempDir(), "ro")
	os.Mkdir(ro, 0o555)
	if _, err := tr.Run(context.Background(), sh, RunConfig{MaxSteps: 1, CheckpointDir: ro}); err == nil || !strings.Contains(err.Error(), "not writable") || tr.Steps() != 0 {
		t.Errorf("read-only folder: %v after %d steps", err, tr.Steps())
	}
}

// Flag values of issue 10 (-batch -4, -lr -1, -channels -8, -ema 2, -label-dropout 2) and more:
// Validate names the field.
func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"issue: batch -4", func(c *Config) { c.Train.BatchSize = -4 }, "BatchSize -4"},
		{"issue: lr -1", func(c *Config) { c.Train.LearningRate = -1 }, "LearningRate -1"},
		{"issue: channels -8", func(c *Config) { c.Net.ModelChannels = -8 }, "ModelChannels (-8)"},
		{"issue: ema 2", func(c *Config) { c.Train.EMADecay = 2 }, "EMADecay 2"},
		{"issue: label dropout 2", func(c *Config) { c.Train.LabelDropout = 2 }, "LabelDropout 2"},
		{"ema 1", func(c *Config) { c.Train.EMADecay = 1 }, "EMADecay 1"},
		{"lr NaN", func(c *Config) { c.Train.LearningRate = nan() }, "LearningRate NaN"},
		{"size 100000", func(c *Config) { c.Net.Size = 100000 }, "Size 100000"},
		{"channels 1e6", func(c *Config) { c.Net.ModelChannels = 1e6 }, "over the limit"},
		{"classes 2e9", func(c *Config) { c.Net.NumClasses = 2e9 }, "NumClasses"},
		{"diffusion steps 0", func(c *Config) { c.Train.DiffusionSteps = 0 }, "DiffusionSteps 0"},
		{"dropout without null class", func(c *Config) { c.Net.NullClass = false }, "needs NetConfig.NullClass"},
		{"multiplier 0", func(c *Config) { c.Net.ChannelMult = []int{1, 0} }, "channel multiplier 0"},
	}
	for _, c := range []Config{model32(3), model64(10), model128(10), model1D(10, 64)} {
		if err := c.Validate(); err != nil {
			t.Errorf("model %s: %v", c.Name, err)
		}
	}
	for _, tc := range cases {
		c := model32(3)
		tc.change(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func nan() float64 { var z float64; return z / z }

// TestTrainedTo reads a model folder's progress from its checkpoint folders' names alone.
func TestTrainedTo(t *testing.T) {
	dir := t.TempDir()
	if TrainedTo(dir, 1) || TrainedTo(filepath.Join(dir, "absent"), 1) {
		t.Error("an empty or absent folder is trained")
	}
	for _, name := range []string{"step-000000500", "step-000002000", "not-a-step-000009000"} {
		if err := os.Mkdir(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		steps int64
		want  bool
	}{{500, true}, {2000, true}, {2001, false}, {9000, false}} {
		if got := TrainedTo(dir, tc.steps); got != tc.want {
			t.Errorf("TrainedTo(%d) = %v, want %v", tc.steps, got, tc.want)
		}
	}
}
