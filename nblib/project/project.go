// Package project locates the NetDiffus-Go repository a program was built from, so notebooks, commands
// and tests find the project's tools (.tools/), outputs (out/) and cached results (results/) without
// absolute paths.
package project

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// EnvRoot overrides the repository root.
const EnvRoot = "NETDIFFUS_ROOT"

// ModulePath is the repository's Go module.
const ModulePath = "github.com/netdiffus/netdiffus"

// Root returns the repository root: $NETDIFFUS_ROOT when set; else the checkout this package was compiled
// from (what a GoNB notebook's `go work use` points at); else the first folder above the working directory
// whose go.mod declares the module; else "".
func Root() string {
	if env := os.Getenv(EnvRoot); env != "" {
		return env
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		if root := filepath.Dir(filepath.Dir(filepath.Dir(file))); IsRoot(root) { // nblib/project/project.go
			return root
		}
	}
	dir, err := os.Getwd()
	for err == nil {
		if IsRoot(dir) {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return ""
}

// IsRoot reports whether dir holds the module's go.mod.
func IsRoot(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	return err == nil && strings.HasPrefix(string(b), "module "+ModulePath+"\n")
}

// Path joins elements under the repository root; relative to the working directory when the root is unknown.
func Path(elem ...string) string {
	return filepath.Join(append([]string{Root()}, elem...)...)
}
