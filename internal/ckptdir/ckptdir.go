// Package ckptdir manages a folder of checkpoints: one subfolder per checkpoint, named by a prefix and a
// zero-padded step number (for example step-00001000), so that names sort in step order. The diffusion
// trainer and the GAN baselines keep their checkpoints this way.
package ckptdir

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// List returns the checkpoint folders in dir whose names start with prefix, oldest first.
func List(dir, prefix string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("listing checkpoints: %w", err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && strings.HasPrefix(e.Name(), prefix) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(out) // zero-padded step numbers sort in time order
	return out, nil
}

// Prune removes the oldest checkpoint folders until keep remain; keep <= 0 keeps all.
func Prune(dir, prefix string, keep int) error {
	if keep <= 0 {
		return nil
	}
	all, err := List(dir, prefix)
	if err != nil {
		return err
	}
	for len(all) > keep {
		if err := os.RemoveAll(all[0]); err != nil {
			return fmt.Errorf("removing old checkpoint: %w", err)
		}
		all = all[1:]
	}
	return nil
}
