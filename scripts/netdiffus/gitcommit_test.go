package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGitCommitDirty: a reference is recorded with the commit of the code that made it. A changed
// tracked file marks it "-dirty" (from any folder of the checkout); a rewritten stored reference and an
// untracked file do not, so references regenerated one after another keep a clean commit.
func TestGitCommitDirty(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"}, args...)...)
		cmd.Dir = repo
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	write := func(rel, text string) {
		t.Helper()
		path := filepath.Join(repo, rel)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	git("init", "-q")
	write("code/main.go", "package main\n")
	write(referenceFolder+"/fig2-cpu.json", "{}\n")
	git("add", ".")
	git("commit", "-q", "-m", "first")
	head := git("rev-parse", "--short=12", "HEAD")

	t.Chdir(filepath.Join(repo, "code"))
	for _, tc := range []struct {
		change func()
		want   string
	}{
		{func() {}, head},
		{func() { write(referenceFolder+"/fig2-cpu.json", "{\"new\": 1}\n") }, head},
		{func() { write("code/notes.txt", "untracked\n") }, head},
		{func() { write("code/main.go", "package main // changed\n") }, head + "-dirty"},
	} {
		tc.change()
		if got := gitCommit(); got != tc.want {
			t.Errorf("gitCommit() = %q, want %q (status: %q)", got, tc.want, git("status", "--porcelain"))
		}
	}
}
