package ckptdir

import (
	"fmt"
	"os"
	"path/filepath"
)

// Commit publishes one checkpoint in dir as dir/<prefix><step, nine digits>, then keeps the newest keep
// checkpoints (keep <= 0 keeps all). write fills a temporary folder inside dir; Commit then fsyncs every
// file in it and the folder itself, replaces any older checkpoint of the same step, renames the
// temporary into place and fsyncs dir, so a crash leaves either no checkpoint under the step name or a
// complete one whose data is on disk. The temporary is removed when anything fails. It returns the
// checkpoint's folder. The diffusion trainer and the GAN baselines both save through it.
func Commit(dir, prefix string, step int64, keep int, write func(tmp string) error) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("checkpoint folder: %w", err)
	}
	tmp, err := os.MkdirTemp(dir, ".partial-")
	if err != nil {
		return "", fmt.Errorf("checkpoint: %w", err)
	}
	defer os.RemoveAll(tmp) // a no-op after the rename
	if err := write(tmp); err != nil {
		return "", err
	}
	if err := SyncTree(tmp); err != nil {
		return "", err
	}
	final := filepath.Join(dir, fmt.Sprintf("%s%09d", prefix, step))
	if err := os.RemoveAll(final); err != nil {
		return "", fmt.Errorf("replacing checkpoint %s: %w", final, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", fmt.Errorf("checkpoint rename: %w", err)
	}
	if err := syncPath(dir); err != nil {
		return "", err
	}
	return final, Prune(dir, prefix, keep)
}

// SyncTree fsyncs the files directly inside folder and the folder itself, so that a rename publishing
// the folder never exposes files whose data is still only in the page cache.
func SyncTree(folder string) error {
	entries, err := os.ReadDir(folder)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := syncPath(filepath.Join(folder, e.Name())); err != nil {
			return err
		}
	}
	return syncPath(folder)
}

func syncPath(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	err = f.Sync()
	f.Close()
	if err != nil {
		return fmt.Errorf("syncing %s: %w", p, err)
	}
	return nil
}
