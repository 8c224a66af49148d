package main

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// module is the import path prefix of this repository's packages.
const module = "github.com/netdiffus/netdiffus/"

// allowedImports are the repository packages the command may import (see the package doc): the
// library's entry points, the data model and readers, the imaging package, and command-line plumbing.
var allowedImports = map[string]bool{
	"nblib/pipeline": true, "nblib/preset": true, "nblib/backend": true, "nblib/repro": true,
	"nblib/baselines": true, "nblib/plots": true, "nblib/bench": true,
	"datasets": true, "nblib/traffic": true, "nblib/traffic/trafficio": true,
	"nblib/gasf":          true,
	"internal/valid":      true,
	"internal/outputs":    true,
	"internal/atomicfile": true,
}

// importViolations lists, as "file: import", every repository import of the non-test Go files in dir
// that allowedImports does not hold.
func importViolations(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return nil, err
		}
		for _, imp := range f.Imports {
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				return nil, fmt.Errorf("%s: import %s: %w", path, imp.Path.Value, err)
			}
			if rel, ok := strings.CutPrefix(p, module); ok && !allowedImports[rel] {
				out = append(out, filepath.Base(path)+": "+p)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// TestImportsOnlyEntryPoints: the command is a thin shell over the library: none of its files imports
// nblib/eval/..., nblib/diffusion/... or any other repository package outside the entry points.
func TestImportsOnlyEntryPoints(t *testing.T) {
	bad, err := importViolations(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Errorf("%s: netdiffus calls the library's entry points only (see the package doc); move what it needs behind nblib/pipeline (or another entry point)", b)
	}
}

// TestImportViolationsFound: the check finds a forbidden import in a command file, and leaves test
// files and allowed imports alone.
func TestImportViolationsFound(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"cmd_x.go":      "package main\nimport (\n\t\"fmt\"\n\t\"" + module + "nblib/pipeline\"\n\tf \"" + module + "nblib/eval/fid\"\n)\n",
		"cmd_y.go":      "package main\nimport \"" + module + "nblib/diffusion/unet\"\n",
		"cmd_x_test.go": "package main\nimport \"" + module + "nblib/diffusion\"\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := importViolations(dir)
	want := []string{"cmd_x.go: " + module + "nblib/eval/fid", "cmd_y.go: " + module + "nblib/diffusion/unet"}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("violations %q, %v; want %q", got, err, want)
	}
}
