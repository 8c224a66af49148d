package ckptdir

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestCommit(t *testing.T) {
	dir := t.TempDir()
	write := func(content string) func(string) error {
		return func(tmp string) error { return os.WriteFile(filepath.Join(tmp, "state.json"), []byte(content), 0o644) }
	}
	for step, content := range []string{"a", "b", "c"} {
		got, err := Commit(dir, "step-", int64(step), 2, write(content))
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(dir, "step-00000000"+string(rune('0'+step))); got != want {
			t.Fatalf("Commit returned %s, want %s", got, want)
		}
	}
	// Re-committing step 2 replaces it.
	if _, err := Commit(dir, "step-", 2, 2, write("c2")); err != nil {
		t.Fatal(err)
	}
	all, _ := List(dir, "step-")
	want := []string{filepath.Join(dir, "step-000000001"), filepath.Join(dir, "step-000000002")}
	if !reflect.DeepEqual(all, want) {
		t.Fatalf("after three commits with keep 2: %v, want %v", all, want)
	}
	if b, _ := os.ReadFile(filepath.Join(want[1], "state.json")); string(b) != "c2" {
		t.Fatalf("re-committed step 2 holds %q, want c2", b)
	}
	// A failing write leaves no step folder and no temporary behind, and keeps the old checkpoints.
	boom := errors.New("boom")
	if _, err := Commit(dir, "step-", 3, 2, func(tmp string) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("failing write: err = %v, want boom", err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !reflect.DeepEqual(names, []string{"step-000000001", "step-000000002"}) {
		t.Fatalf("after a failed commit the folder holds %v", names)
	}
}
