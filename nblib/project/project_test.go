package project

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRootFindsThisCheckout(t *testing.T) {
	t.Setenv(EnvRoot, "")
	root := Root()
	if !IsRoot(root) {
		t.Fatalf("Root() = %q holds no go.mod of %s", root, ModulePath)
	}
	if _, err := os.Stat(filepath.Join(root, "nblib", "project", "project.go")); err != nil {
		t.Errorf("Root() = %q is not this checkout: %v", root, err)
	}
	if got := Path("out", "figures"); got != filepath.Join(root, "out", "figures") {
		t.Errorf("Path = %q", got)
	}
}

func TestRootEnvironmentOverride(t *testing.T) {
	t.Setenv(EnvRoot, "/elsewhere")
	if got := Root(); got != "/elsewhere" {
		t.Errorf("Root() = %q", got)
	}
}

func TestIsRootRejectsOtherModules(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module github.com/netdiffus/netdiffus/scripts/tools\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if IsRoot(dir) {
		t.Error("the tools module is not the repository root")
	}
}
