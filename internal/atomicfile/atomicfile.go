// Package atomicfile writes files so that readers see the old content or the new one, never a partial
// file: data goes to a temporary file in the destination folder, is synced, and is renamed over the
// destination. A failed or abandoned write leaves the destination untouched and removes the temporary.
//
// Every file the project writes for a user (images, traces, checkpoints, cached results, figures) goes
// through this package.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically, creating the parent folders.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write calls fill with a writer on a temporary file beside path and, if fill and the sync succeed,
// renames the temporary over path. Parent folders are created.
func Write(path string, fill func(w io.Writer) error) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	if err := fill(f); err != nil {
		f.Abort()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Commit()
}

// File is a pending atomic write. Write to it, then Commit to publish it or Abort to drop it.
type File struct {
	tmp  *os.File
	path string
	done bool
}

// Create starts an atomic write of path; parent folders are created.
func Create(path string) (*File, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return &File{tmp: tmp, path: path}, nil
}

// Write writes to the temporary file.
func (f *File) Write(p []byte) (int, error) { return f.tmp.Write(p) }

// Name returns the destination path.
func (f *File) Name() string { return f.path }

// Commit syncs and closes the temporary file and renames it over the destination. Calling Commit or
// Abort again does nothing.
func (f *File) Commit() error {
	if f.done {
		return nil
	}
	f.done = true
	serr := f.tmp.Sync()
	cerr := f.tmp.Close()
	if err := errors.Join(serr, cerr); err != nil {
		os.Remove(f.tmp.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	if err := os.Chmod(f.tmp.Name(), 0o644); err != nil {
		os.Remove(f.tmp.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	if err := os.Rename(f.tmp.Name(), f.path); err != nil {
		os.Remove(f.tmp.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return nil
}

// Abort drops the pending write; the destination keeps its old content.
func (f *File) Abort() {
	if f.done {
		return
	}
	f.done = true
	f.tmp.Close()
	os.Remove(f.tmp.Name())
}
