package unet

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/checkpoint"
)

const (
	stepDirPrefix = "step-"
	stateFile     = "trainer.json"
)

// trainerState is what a checkpoint stores besides the GoMLX variables (weights, AdamW moments, EMA
// weights, counters): the configuration, the step and the host random stream.
type trainerState struct {
	Config Config `json:"config"`
	Step   int64  `json:"step"`
	RNG    []byte `json:"rng"` // rand.PCG state (MarshalBinary)
}

// Save writes a checkpoint of the complete training state to dir/step-NNNNNNNNN and keeps only the
// newest keep checkpoints (keep <= 0 keeps all). The checkpoint is written to a temporary folder in
// dir and renamed into place, so a crash never leaves a partial checkpoint under a step name.
// It returns the checkpoint's folder.
func (tr *Trainer) Save(dir string, keep int) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("unet: checkpoint folder: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, ".partial-")
	if err != nil {
		return "", fmt.Errorf("unet: checkpoint: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op after the rename
	if err := tr.writeCheckpoint(tmp); err != nil {
		return "", err
	}
	final := filepath.Join(dir, fmt.Sprintf("%s%09d", stepDirPrefix, tr.step))
	if err := os.RemoveAll(final); err != nil {
		return "", fmt.Errorf("unet: replacing checkpoint %s: %w", final, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", fmt.Errorf("unet: checkpoint rename: %w", err)
	}
	return final, prune(dir, keep)
}

func (tr *Trainer) writeCheckpoint(folder string) error {
	// A clone keeps the live store free of checkpoint handlers (each attaches itself as a loader).
	clone, err := tr.store.Clone()
	if err != nil {
		return fmt.Errorf("unet: checkpoint: %w", err)
	}
	defer clone.Finalize()
	h, err := checkpoint.Build(clone).Dir(folder).Done()
	if err != nil {
		return fmt.Errorf("unet: checkpoint %s: %w", folder, err)
	}
	if err := h.Save(); err != nil {
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
	return writeFileSync(filepath.Join(folder, stateFile), state)
}

func writeFileSync(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Checkpoints returns the checkpoint folders in dir, oldest first.
func Checkpoints(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("unet: listing checkpoints: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), stepDirPrefix) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out) // zero-padded step numbers sort in time order
	return out, nil
}

func prune(dir string, keep int) error {
	if keep <= 0 {
		return nil
	}
	all, err := Checkpoints(dir)
	if err != nil {
		return err
	}
	for len(all) > keep {
		if err := os.RemoveAll(all[0]); err != nil {
			return fmt.Errorf("unet: removing old checkpoint: %w", err)
		}
		all = all[1:]
	}
	return nil
}

// Resume restores a Trainer from path: a checkpoint folder written by Save, or a folder of them (the
// newest is used). Weights, AdamW state, EMA weights, step and random stream are restored, so the next
// TrainStep gives the same result as it would have without the interruption.
func Resume(backend compute.Backend, path string) (*Trainer, error) {
	folder, err := resolveCheckpoint(path)
	if err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(filepath.Join(folder, stateFile))
	if err != nil {
		return nil, fmt.Errorf("unet: %s is not a checkpoint written by Trainer.Save: %w", folder, err)
	}
	var st trainerState
	if err := json.Unmarshal(raw, &st); err != nil {
		return nil, fmt.Errorf("unet: %s: corrupt %s: %w", folder, stateFile, err)
	}
	store := model.NewStore()
	if _, err := checkpoint.Build(store).Dir(folder).Immediate().ExcludeAllParams().Done(); err != nil {
		return nil, fmt.Errorf("unet: loading %s: %w", folder, err)
	}
	markTrainable(store)
	tr, err := newTrainer(backend, st.Config, store)
	if err != nil {
		return nil, fmt.Errorf("unet: %s: %w", folder, err)
	}
	if err := tr.pcg.UnmarshalBinary(st.RNG); err != nil {
		return nil, fmt.Errorf("unet: %s: random state: %w", folder, err)
	}
	tr.step = st.Step
	return tr, nil
}

// markTrainable marks only network weights trainable: loaded variables come back all trainable.
func markTrainable(store *model.Store) {
	for v := range store.IterVariables() {
		v.SetTrainable(strings.HasPrefix(v.Path(), netScope+"/"))
	}
}

func resolveCheckpoint(path string) (string, error) {
	if _, err := os.Stat(filepath.Join(path, stateFile)); err == nil {
		return path, nil
	}
	all, err := Checkpoints(path)
	if err != nil {
		return "", err
	}
	if len(all) == 0 {
		return "", fmt.Errorf("unet: no checkpoint in %s (expected %s* folders written by Trainer.Save)", path, stepDirPrefix)
	}
	return all[len(all)-1], nil
}
