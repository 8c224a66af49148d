package baselines

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/ml/model/checkpoint"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/internal/ckptdir"
)

const (
	stepDirPrefix = "step-"
	stateFile     = "gan.json"
)

// trainerState is what a checkpoint stores besides the GoMLX variables (weights and Adam moments):
// the configuration, the data's Meta, the step, the host random stream and the epoch's batch order.
type trainerState struct {
	Config Config `json:"config"`
	Meta   Meta   `json:"meta"`
	Step   int64  `json:"step"`
	RNG    []byte `json:"rng"` // rand.PCG state (MarshalBinary)
	Order  []int  `json:"order"`
	Pos    int    `json:"pos"`
}

// Save writes the complete training state to dir/step-NNNNNNNNN, keeping the newest keep checkpoints
// (keep <= 0 keeps all), through ckptdir.Commit: written to a temporary folder in dir, fsynced and
// renamed into place, so a crash never leaves a partial checkpoint under a step name. It returns the
// checkpoint's folder.
func (tr *Trainer) Save(dir string, keep int) (string, error) {
	final, err := ckptdir.Commit(dir, stepDirPrefix, tr.step, keep, tr.writeCheckpoint)
	if err != nil {
		return "", fmt.Errorf("baselines: %w", err)
	}
	return final, nil
}

func (tr *Trainer) writeCheckpoint(folder string) error {
	clone, err := tr.store.Clone() // keeps the live store free of checkpoint handlers
	if err != nil {
		return fmt.Errorf("baselines: checkpoint: %w", err)
	}
	defer clone.Finalize()
	h, err := checkpoint.Build(clone).Dir(folder).Done()
	if err != nil {
		return fmt.Errorf("baselines: checkpoint %s: %w", folder, err)
	}
	if err := h.Save(); err != nil {
		return fmt.Errorf("baselines: checkpoint %s: %w", folder, err)
	}
	rng, err := tr.pcg.MarshalBinary()
	if err != nil {
		return err
	}
	state, err := json.MarshalIndent(trainerState{Config: tr.Config, Meta: tr.Meta, Step: tr.step, RNG: rng, Order: tr.order, Pos: tr.pos}, "", " ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(filepath.Join(folder, stateFile), state)
}

// Checkpoints returns the checkpoint folders in dir, oldest first.
func Checkpoints(dir string) ([]string, error) {
	out, err := ckptdir.List(dir, stepDirPrefix)
	if err != nil {
		return nil, fmt.Errorf("baselines: %w", err)
	}
	return out, nil
}

// Resume restores a Trainer from a checkpoint folder written by Save, or from a folder of them (the
// newest is used): weights, Adam moments, step, random stream and batch order, so the next TrainStep
// gives what it would have given without the interruption.
func Resume(backend compute.Backend, path string) (tr *Trainer, err error) {
	folder, err := resolveCheckpoint(path)
	if err != nil {
		return nil, err
	}
	st, err := readState(folder)
	if err != nil {
		return nil, err
	}
	store, err := ckptdir.Load(folder, maxVariablesJSON)
	if err != nil {
		return nil, fmt.Errorf("baselines: %w", err)
	}
	defer func() { // GoMLX panics on some malformed data; a damaged checkpoint must be an error
		if p := recover(); p != nil {
			tr, err = nil, fmt.Errorf("baselines: loading %s: %v", folder, p)
		}
	}()
	for _, p := range params(st.Config) {
		for _, path := range []string{p.path, adamPrefix + p.path + "/m", adamPrefix + p.path + "/v"} {
			if v := store.GetVariable(path); v == nil || !v.Shape().Equal(shapes.Make(dtypes.Float32, p.shape...)) {
				return nil, fmt.Errorf("baselines: %s: variable %s missing or misshapen (want %v): the checkpoint does not match its configuration", folder, path, p.shape)
			}
		}
	}
	tr, err = newTrainer(backend, st.Config, st.Meta, store)
	if err != nil {
		return nil, fmt.Errorf("baselines: %s: %w", folder, err)
	}
	if err := tr.pcg.UnmarshalBinary(st.RNG); err != nil {
		return nil, fmt.Errorf("baselines: %s: random state: %w", folder, err)
	}
	tr.step, tr.order, tr.pos = st.Step, st.Order, st.Pos
	return tr, nil
}

// Bounds on the metadata files of a checkpoint, read before anything else.
const (
	maxStateBytes    = 16 << 20 // gan.json holds the batch order: one int per training series
	maxVariablesJSON = 64 << 20
)

// readState reads and checks trainer.json (bounded size): a valid configuration, metadata that fits it,
// a non-negative step and a batch order that is a list of row indices with a position inside it.
func readState(folder string) (trainerState, error) {
	var st trainerState
	raw, err := ckptdir.ReadBounded(filepath.Join(folder, stateFile), maxStateBytes)
	if err != nil {
		return st, fmt.Errorf("baselines: %s is not a checkpoint written by Trainer.Save: %w", folder, err)
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return st, fmt.Errorf("baselines: %s: corrupt %s: %w", folder, stateFile, err)
	}
	if err := st.Config.Validate(); err != nil {
		return st, fmt.Errorf("baselines: %s: %w", folder, err)
	}
	if err := st.Meta.check(st.Config); err != nil {
		return st, fmt.Errorf("baselines: %s: %w", folder, err)
	}
	if st.Step < 0 || st.Pos < 0 || st.Pos > len(st.Order) {
		return st, fmt.Errorf("baselines: %s: %s: step %d or batch position %d of %d out of range", folder, stateFile, st.Step, st.Pos, len(st.Order))
	}
	for _, r := range st.Order {
		if r < 0 || r >= len(st.Order) {
			return st, fmt.Errorf("baselines: %s: corrupt batch order in %s (row %d of %d)", folder, stateFile, r, len(st.Order))
		}
	}
	return st, nil
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
		return "", fmt.Errorf("baselines: no checkpoint in %s (expected %s* folders written by Trainer.Save)", path, stepDirPrefix)
	}
	return all[len(all)-1], nil
}

// check verifies that m fits cfg (a hand-edited or corrupt checkpoint otherwise fails while decoding).
func (m Meta) check(cfg Config) error {
	if len(m.Classes) != cfg.NumClasses {
		return fmt.Errorf("%d class names for %d classes", len(m.Classes), cfg.NumClasses)
	}
	n := m.Norm
	if len(n.Min) != len(cfg.Fields) || len(n.Max) != len(cfg.Fields) || len(n.ExtraMin) != cfg.ExtraAttributes() || len(n.ExtraMax) != cfg.ExtraAttributes() {
		return fmt.Errorf("normalisation for %d/%d fields and %d/%d extras, the config has %d fields and %d extras",
			len(n.Min), len(n.Max), len(n.ExtraMin), len(n.ExtraMax), len(cfg.Fields), cfg.ExtraAttributes())
	}
	if m.Feature.Length <= 0 {
		return fmt.Errorf("feature %v has no length", m.Feature)
	}
	return nil
}
