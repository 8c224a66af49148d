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

// Differences compares the checkpoint folders (names starting with prefix) that dirs a and b both hold,
// file by file and byte for byte, and lists what differs: a file present in one only, or with other
// bytes. It also returns how many files were compared; a checkpoint folder in only one of them is not
// compared (the folders kept depend on when each run was stopped).
func Differences(a, b, prefix string) (diffs []string, compared int, err error) {
	inA, err := List(a, prefix)
	if err != nil {
		return nil, 0, err
	}
	for _, fa := range inA {
		fb := filepath.Join(b, filepath.Base(fa))
		if st, err := os.Stat(fb); err != nil || !st.IsDir() {
			continue
		}
		names := map[string]bool{}
		for _, d := range []string{fa, fb} {
			entries, err := os.ReadDir(d)
			if err != nil {
				return nil, compared, err
			}
			for _, e := range entries {
				names[e.Name()] = true
			}
		}
		for name := range names {
			x, errA := os.ReadFile(filepath.Join(fa, name))
			y, errB := os.ReadFile(filepath.Join(fb, name))
			switch {
			case errA != nil || errB != nil:
				diffs = append(diffs, fmt.Sprintf("%s/%s: in one folder only (%v, %v)", filepath.Base(fa), name, errA, errB))
			case string(x) != string(y):
				diffs = append(diffs, fmt.Sprintf("%s/%s: %d and %d bytes differ", filepath.Base(fa), name, len(x), len(y)))
			}
			compared++
		}
	}
	sort.Strings(diffs)
	return diffs, compared, nil
}
