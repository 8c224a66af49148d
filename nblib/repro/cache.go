package repro

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/project"
)

// ModeFromEnv returns the preset named by $NETDIFFUS_MODE (smoke, cpu or full; quick is smoke; unset
// is smoke). It is preset.FromEnv, kept so that notebooks read "mode".
func ModeFromEnv() (preset.Preset, error) { return preset.FromEnv() }

// ResultsDir is where cached results live: $NETDIFFUS_RESULTS, else results/ of the repository.
func ResultsDir() string {
	if d := os.Getenv("NETDIFFUS_RESULTS"); d != "" {
		return d
	}
	return project.Path("results")
}

// ForceFromEnv reports whether $NETDIFFUS_FORCE asks to recompute cached results.
func ForceFromEnv() bool { return os.Getenv("NETDIFFUS_FORCE") == "1" }

// cachePath names the file of one experiment under one configuration.
func cachePath(name string, config any) (string, error) {
	d, err := digest(config)
	if err != nil {
		return "", fmt.Errorf("result %s: configuration is not serialisable: %w", name, err)
	}
	return filepath.Join(ResultsDir(), name+"-"+d+".json"), nil
}

// digest is the short name of a configuration in file and folder names: the first 6 bytes, in hex, of
// the SHA-256 of its canonical JSON (keyJSON).
func digest(config any) (string, error) {
	b, err := keyJSON(config)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6]), nil
}

// cached is the file format: the configuration beside the result, so a file explains itself.
type cached[T any] struct {
	Name   string `json:"name"`
	Config any    `json:"config"`
	Result T      `json:"result"`
}

// cacheEntry names one cached result: the file Cached reads and writes for name under config. The
// functions that train a planned model build theirs with one constructor each (synthEntry,
// limitedEntry, synth1DEntry, ganEntry), which ModelJob.Done uses too.
type cacheEntry struct {
	name   string
	config any
}

// stored reports whether the entry's file exists; it is not read.
func (e cacheEntry) stored() bool {
	path, err := cachePath(e.name, e.config)
	if err != nil {
		return false
	}
	_, err = os.Stat(path)
	return err == nil
}

// Cached returns the stored result of experiment name under config, or computes, stores and returns it.
// force recomputes even when a result is stored. A stored file that cannot be read is an error naming it
// (delete it or force), never silently replaced.
func Cached[T any](name string, config any, force bool, compute func() (T, error)) (T, error) {
	var zero T
	path, err := cachePath(name, config)
	if err != nil {
		return zero, err
	}
	if !force {
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			var c cached[T]
			if err := json.Unmarshal(b, &c); err != nil {
				return zero, fmt.Errorf("cached result %s is unreadable (%v): delete it or recompute with force", path, err)
			}
			return c.Result, nil
		case !errors.Is(err, fs.ErrNotExist):
			return zero, fmt.Errorf("cached result %s: %w", path, err)
		}
	}
	res, err := compute()
	if err != nil {
		return zero, fmt.Errorf("%s: %w", name, err)
	}
	b, err := json.MarshalIndent(cached[T]{Name: name, Config: config, Result: res}, "", " ")
	if err != nil {
		return zero, fmt.Errorf("%s: result is not serialisable: %w", name, err)
	}
	return res, atomicfile.WriteFile(path, b)
}
