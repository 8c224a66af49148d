package unet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/internal/ckptdir"
)

const (
	stepDirPrefix = "step-"
	stateFile     = "trainer.json"
	lockFile      = ".lock"
)

// trainerState is what a checkpoint stores besides the GoMLX variables (weights, AdamW moments, EMA
// weights, counters): the configuration, the step and the host random stream.
type trainerState struct {
	Config Config `json:"config"`
	Step   int64  `json:"step"`
	RNG    []byte `json:"rng"` // rand.PCG state (MarshalBinary)
}

// Save writes a checkpoint of the complete training state to dir/step-NNNNNNNNN and keeps only the
// newest keep checkpoints (keep <= 0 keeps all), through ckptdir.Commit: written to a temporary folder
// in dir, fsynced and renamed into place, so a crash never leaves a partial checkpoint under a step
// name. It returns the checkpoint's folder.
func (tr *Trainer) Save(dir string, keep int) (string, error) {
	final, err := ckptdir.Commit(dir, stepDirPrefix, tr.step, keep, tr.writeCheckpoint)
	if err != nil {
		return "", fmt.Errorf("unet: %w", err)
	}
	return final, nil
}

func (tr *Trainer) writeCheckpoint(folder string) error {
	// A clone keeps the live store free of checkpoint handlers (each attaches itself as a loader).
	clone, err := canonicalStore(tr.store)
	if err != nil {
		return fmt.Errorf("unet: checkpoint: %w", err)
	}
	defer clone.Finalize()
	// No Params: Resume never reads them (the configuration is in trainer.json), and a resumed store
	// holds none, so writing them would make a resumed run's files differ from an uninterrupted run's.
	h, err := checkpoint.Build(clone).Dir(folder).WithCompression(checkpoint.BinUncompressed).ExcludeAllParams().Done()
	if err != nil {
		return fmt.Errorf("unet: checkpoint %s: %w", folder, err)
	}
	if err := h.Save(); err != nil {
		return fmt.Errorf("unet: checkpoint %s: %w", folder, err)
	}
	if err := renameWithoutTime(folder, tr.step); err != nil {
		return fmt.Errorf("unet: checkpoint %s: %w", folder, err)
	}
	rng, err := tr.pcg.MarshalBinary()
	if err != nil {
		return err
	}
	state, err := json.MarshalIndent(trainerState{Config: tr.Config, Step: tr.step, RNG: rng}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(folder, stateFile), state)
}

// renameWithoutTime gives the GoMLX files of a checkpoint folder (checkpoint-n<count>-<date>-<time>-...)
// names without the wall-clock time they were written at, so that two runs reaching the same step write
// files of the same names. GoMLX lists any checkpoint-*.json, so the names still load.
func renameWithoutTime(folder string, step int64) error {
	jsons, err := filepath.Glob(filepath.Join(folder, "checkpoint-*"+checkpoint.JsonNameSuffix))
	if err != nil || len(jsons) != 1 {
		return fmt.Errorf("want one GoMLX checkpoint-*.json after saving, found %d (%v)", len(jsons), err)
	}
	base := strings.TrimSuffix(jsons[0], checkpoint.JsonNameSuffix)
	name := filepath.Join(folder, fmt.Sprintf("checkpoint-n0000000-step-%09d", step))
	for _, suffix := range []string{checkpoint.BinDataSuffix, checkpoint.JsonNameSuffix} { // the .json last: it names the checkpoint
		if err := os.Rename(base+suffix, name+suffix); err != nil {
			return err
		}
	}
	return nil
}

// canonicalStore copies the variables of store into a new store in path order, so that a checkpoint's
// files do not depend on the order the variables were created in (a fresh trainer creates them as the
// graph is built, a resumed one as the checkpoint lists them): an uninterrupted run and a killed and
// resumed one write byte-identical checkpoints.
func canonicalStore(store *model.Store) (*model.Store, error) {
	var vars []*model.Variable
	for v := range store.IterVariables() {
		vars = append(vars, v)
	}
	sort.Slice(vars, func(i, j int) bool { return vars[i].Path() < vars[j].Path() })
	out := model.NewStore()
	for _, v := range vars {
		if _, err := v.CloneToStore(out); err != nil {
			out.Finalize()
			return nil, fmt.Errorf("copying variable %s: %w", v.Path(), err)
		}
	}
	return out, nil
}

// Checkpoints returns the checkpoint folders in dir, oldest first.
func Checkpoints(dir string) ([]string, error) {
	out, err := ckptdir.List(dir, stepDirPrefix)
	if err != nil {
		return nil, fmt.Errorf("unet: %w", err)
	}
	return out, nil
}

// TrainedTo reports whether dir holds a checkpoint at step steps or later (by the folders' names: it
// reads no checkpoint), so that a plan can tell a finished model without loading it.
func TrainedTo(dir string, steps int64) bool {
	all, err := ckptdir.List(dir, stepDirPrefix)
	if err != nil || len(all) == 0 {
		return false
	}
	var last int64
	_, err = fmt.Sscanf(filepath.Base(all[len(all)-1]), stepDirPrefix+"%d", &last)
	return err == nil && last >= steps
}

// ResumeInfo says which checkpoint Resume used and which newer ones it skipped as damaged.
type ResumeInfo struct {
	Folder  string   // the checkpoint folder loaded
	Skipped []string // one line per newer checkpoint that failed validation or loading, newest first
}

// Resume restores a Trainer from path: a checkpoint folder written by Save, or a folder of them (the
// newest intact one is used; a damaged newer one is skipped with a message on stderr). Weights, AdamW
// state, EMA weights, step and random stream are restored, so the next TrainStep gives the same
// result as it would have without the interruption.
func Resume(backend compute.Backend, path string) (*Trainer, error) {
	tr, info, err := ResumeChecked(backend, path)
	for _, s := range info.Skipped {
		fmt.Fprintf(os.Stderr, "unet: skipped damaged checkpoint: %s\n", s)
	}
	if err == nil && len(info.Skipped) > 0 {
		fmt.Fprintf(os.Stderr, "unet: resumed from %s instead\n", info.Folder)
	}
	return tr, err
}

// ResumeChecked is Resume without printing: it validates each candidate checkpoint (newest first)
// against its own file sizes and the configuration limits before allocating anything, loads the
// first intact one, and reports the skipped ones in ResumeInfo.
func ResumeChecked(backend compute.Backend, path string) (*Trainer, ResumeInfo, error) {
	var info ResumeInfo
	candidates, err := checkpointCandidates(path)
	if err != nil {
		return nil, info, err
	}
	for i := len(candidates) - 1; i >= 0; i-- {
		folder := candidates[i]
		tr, err := resumeFolder(backend, folder)
		if err == nil {
			info.Folder = folder
			return tr, info, nil
		}
		info.Skipped = append(info.Skipped, err.Error())
	}
	return nil, info, fmt.Errorf("unet: no intact checkpoint in %s: %s", path, strings.Join(info.Skipped, "; "))
}

// checkpointCandidates returns path itself when it is one checkpoint folder, else its step folders
// oldest first.
func checkpointCandidates(path string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(path, stateFile)); err == nil {
		return []string{path}, nil
	}
	all, err := Checkpoints(path)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("unet: no checkpoint in %s (expected %s* folders written by Trainer.Save)", path, stepDirPrefix)
	}
	return all, nil
}

// Bounds on the metadata files of a checkpoint, read before anything else.
const (
	maxStateBytes    = 1 << 20
	maxVariablesJSON = 64 << 20
)

func resumeFolder(backend compute.Backend, folder string) (tr *Trainer, err error) {
	st, err := readState(folder)
	if err != nil {
		return nil, err
	}
	store, err := ckptdir.Load(folder, maxVariablesJSON)
	if err != nil {
		return nil, fmt.Errorf("unet: %w", err)
	}
	defer func() { // GoMLX panics on some malformed data; a damaged checkpoint must be an error
		if p := recover(); p != nil {
			tr, err = nil, fmt.Errorf("unet: loading %s: %v", folder, p)
		}
	}()
	markTrainable(store)
	tr, err = newTrainer(backend, st.Config, store)
	if err != nil {
		return nil, fmt.Errorf("unet: %s: %w", folder, err)
	}
	if err := tr.pcg.UnmarshalBinary(st.RNG); err != nil {
		return nil, fmt.Errorf("unet: %s: random state: %w", folder, err)
	}
	tr.step = st.Step
	return tr, nil
}

// readState reads and validates trainer.json: bounded size, a valid configuration within the limits,
// a non-negative step.
func readState(folder string) (trainerState, error) {
	var st trainerState
	p := filepath.Join(folder, stateFile)
	raw, err := ckptdir.ReadBounded(p, maxStateBytes)
	if err != nil {
		return st, fmt.Errorf("unet: %s is not a checkpoint written by Trainer.Save: %w", folder, err)
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return st, fmt.Errorf("unet: %s: corrupt %s: %w", folder, stateFile, err)
	}
	if err := st.Config.Validate(); err != nil {
		return st, fmt.Errorf("unet: %s: %s holds an invalid configuration: %w", folder, stateFile, err)
	}
	if st.Step < 0 {
		return st, fmt.Errorf("unet: %s: %s: step %d is negative", folder, stateFile, st.Step)
	}
	return st, nil
}

// markTrainable marks only network weights trainable: loaded variables come back all trainable.
func markTrainable(store *model.Store) {
	for v := range store.IterVariables() {
		v.SetTrainable(strings.HasPrefix(v.Path(), netScope+"/"))
	}
}

// LockDir takes an exclusive lock on the training folder dir (creating it): a flock on dir/.lock
// holding this process's id. A second trainer on the same folder fails at once with an error naming
// the folder and the holder's pid. Creating the lock file also proves the folder writable before any
// work starts. The lock ends with unlock or with the process (flock locks die with their holder,
// even after SIGKILL).
func LockDir(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("unet: checkpoint folder %s: %w", dir, err)
	}
	p := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("unet: checkpoint folder %s is not writable: %w", dir, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := io.ReadAll(io.LimitReader(f, 32))
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("unet: checkpoint folder %s is in use by another trainer (pid %s); wait for it to finish or choose another folder", dir, strings.TrimSpace(string(holder)))
		}
		return nil, fmt.Errorf("unet: locking checkpoint folder %s: %w", dir, err)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	// A probe write proves the folder takes new files (the lock file may pre-exist).
	probe, err := os.CreateTemp(dir, ".write-test-")
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("unet: checkpoint folder %s is not writable: %w", dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	return func() { f.Close() }, nil
}
