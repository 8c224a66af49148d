package repro

import (
	"errors"
	"os"
	"strings"
	"testing"
)

type cfg struct {
	Size  int
	Steps int
}

func TestCachedComputesOnceThenLoads(t *testing.T) {
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	calls := 0
	compute := func() (map[string]float64, error) {
		calls++
		return map[string]float64{"fid": 12.5}, nil
	}
	for i := 0; i < 2; i++ {
		got, err := Cached("fig2", cfg{32, 100}, false, compute)
		if err != nil || got["fid"] != 12.5 {
			t.Fatalf("run %d: %v %v", i, got, err)
		}
	}
	if calls != 1 {
		t.Errorf("computed %d times, want 1", calls)
	}
	if _, err := Cached("fig2", cfg{32, 200}, false, compute); err != nil || calls != 2 {
		t.Errorf("a new configuration must recompute: calls=%d err=%v", calls, err)
	}
	if _, err := Cached("fig2", cfg{32, 100}, true, compute); err != nil || calls != 3 {
		t.Errorf("force must recompute: calls=%d err=%v", calls, err)
	}
}

func TestCachedErrors(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("NETDIFFUS_RESULTS", dir)
	boom := errors.New("boom")
	if _, err := Cached("x", cfg{}, false, func() (int, error) { return 0, boom }); !errors.Is(err, boom) {
		t.Errorf("compute error lost: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed computation left files: %v", entries)
	}
	path, _ := cachePath("y", cfg{1, 1})
	if err := os.WriteFile(path, []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Cached("y", cfg{1, 1}, false, func() (int, error) { return 1, nil })
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "force") {
		t.Errorf("corrupt cache: got %v", err)
	}
	if _, err := Cached("z", func() {}, false, func() (int, error) { return 1, nil }); err == nil {
		t.Error("an unserialisable configuration must be an error")
	}
}

func TestModeFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env, want string
		ok        bool
	}{{"", "smoke", true}, {"quick", "smoke", true}, {"cpu", "cpu", true}, {"full", "full", true}, {"fast", "", false}} {
		t.Setenv("NETDIFFUS_MODE", tc.env)
		got, err := ModeFromEnv()
		if got.Name != tc.want || (err == nil) != tc.ok {
			t.Errorf("NETDIFFUS_MODE=%q: got %q, %v", tc.env, got.Name, err)
		}
	}
}
