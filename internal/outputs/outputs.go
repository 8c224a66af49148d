// Package outputs decides, before a command writes anything, whether each of its output paths may be
// written. The rules, the same for every command:
//
//   - an output never replaces an input (the same file by path or by device and inode, or an existing
//     file inside an input folder), even with -force;
//   - an existing file, or a non-empty folder, is replaced only with -force;
//   - two outputs of one run never share a path (or a folder and a file inside it).
//
// A command lists its inputs in New, then claims every output path with File or Folder before the work
// starts, so that a refused output costs nothing.
package outputs

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Guard holds a run's inputs and the outputs claimed so far.
type Guard struct {
	force   bool
	inputs  []input
	claimed map[string]string // absolute path -> how it was claimed ("file" or "folder")
	folders []string          // the claimed folders, so that claiming n files costs O(n), not O(n²)
}

type input struct {
	abs  string
	info os.FileInfo // nil when the input does not exist (yet)
}

// New returns a guard for a run reading inputs (files or folders; empty strings are ignored); force
// allows replacing existing outputs that are not inputs.
func New(force bool, inputs ...string) *Guard {
	g := &Guard{force: force, claimed: map[string]string{}}
	for _, in := range inputs {
		if in == "" {
			continue
		}
		abs, err := filepath.Abs(in)
		if err != nil {
			continue
		}
		info, _ := os.Stat(in)
		g.inputs = append(g.inputs, input{abs: abs, info: info})
	}
	return g
}

// File claims path as an output file.
func (g *Guard) File(path string) error { return g.claim(path, "file") }

// Folder claims path as an output folder whose files the run writes.
func (g *Guard) Folder(path string) error { return g.claim(path, "folder") }

func (g *Guard) claim(path, kind string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("output %s: %w", path, err)
	}
	if k, ok := g.claimed[abs]; ok {
		return fmt.Errorf("output %s: this run already writes a %s there; give each output its own name", path, k)
	}
	for _, folder := range g.folders {
		if within(abs, folder) {
			return fmt.Errorf("output %s: this run already writes the folder %s around it; give each output its own name", path, folder)
		}
	}
	if kind == "folder" {
		for other := range g.claimed {
			if within(other, abs) {
				return fmt.Errorf("output folder %s: this run already writes %s inside it; give each output its own name", path, other)
			}
		}
	}
	info, statErr := os.Stat(path)
	for _, in := range g.inputs {
		switch {
		case in.abs == abs, info != nil && in.info != nil && os.SameFile(info, in.info):
			return fmt.Errorf("output %s is an input of this run; write the output elsewhere (-out)", path)
		case kind == "folder" && within(in.abs, abs) && in.info != nil:
			return fmt.Errorf("output folder %s holds the input %s; write the output elsewhere (-out)", path, in.abs)
		case info != nil && in.info != nil && in.info.IsDir() && within(abs, in.abs):
			return fmt.Errorf("output %s would replace a file of the input folder %s; write the output elsewhere (-out)", path, in.abs)
		}
	}
	if statErr == nil {
		if err := g.existing(path, kind, info); err != nil {
			return err
		}
	}
	g.claimed[abs] = kind
	if kind == "folder" {
		g.folders = append(g.folders, abs)
	}
	return nil
}

// existing applies the -force rule to an output that exists.
func (g *Guard) existing(path, kind string, info os.FileInfo) error {
	switch {
	case kind == "file" && info.IsDir():
		return fmt.Errorf("output %s is a folder; name a file", path)
	case kind == "folder" && !info.IsDir():
		return fmt.Errorf("output folder %s is a file; name a folder", path)
	case g.force:
		return nil
	case kind == "file":
		return fmt.Errorf("output %s exists; add -force to replace it", path)
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return fmt.Errorf("output folder %s: %w", path, err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("output folder %s is not empty; add -force to replace its files, or name a new folder", path)
	}
	return nil
}

// within reports whether abs lies strictly inside the folder dir.
func within(abs, dir string) bool {
	rel, err := filepath.Rel(dir, abs)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
