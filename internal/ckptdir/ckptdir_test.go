package ckptdir

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestListAndPrune(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"step-00000300", "step-00000100", "other", "step-00000200"} {
		if err := os.Mkdir(filepath.Join(dir, n), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "step-00000400"), nil, 0o644); err != nil { // a file, not a checkpoint
		t.Fatal(err)
	}
	got, err := List(dir, "step-")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "step-00000100"), filepath.Join(dir, "step-00000200"), filepath.Join(dir, "step-00000300")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("List = %v, want %v", got, want)
	}
	if err := Prune(dir, "step-", 2); err != nil {
		t.Fatal(err)
	}
	got, _ = List(dir, "step-")
	if !reflect.DeepEqual(got, want[1:]) {
		t.Fatalf("after Prune(2): %v, want %v", got, want[1:])
	}
	if _, err := os.Stat(filepath.Join(dir, "other")); err != nil {
		t.Fatalf("Prune removed a folder without the prefix: %v", err)
	}
	if _, err := List(filepath.Join(dir, "missing"), "step-"); err == nil {
		t.Fatal("List of a missing folder: want an error")
	}
}
