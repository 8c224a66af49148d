package repro

import (
	"bytes"
	"os"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/project"
)

// The README's summary of which claims hold on the stored references is WriteStoredVerdicts' output,
// between these markers.
const (
	readmeVerdictsBegin = "<!-- stored verdicts: the output of `netdiffus repro -verdicts` -->\n"
	readmeVerdictsEnd   = "<!-- end of stored verdicts -->"
)

// TestREADMEVerdictsAreCurrent fails when the README's summary differs from what the stored references
// say today, so that it cannot go stale when a reference is regenerated or a verdict changes.
func TestREADMEVerdictsAreCurrent(t *testing.T) {
	b, err := os.ReadFile(project.Path("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(b, []byte(readmeVerdictsBegin)), bytes.Index(b, []byte(readmeVerdictsEnd))
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the block %q ... %q", readmeVerdictsBegin, readmeVerdictsEnd)
	}
	var want bytes.Buffer
	if err := WriteStoredVerdicts(&want); err != nil {
		t.Fatal(err)
	}
	if got := string(b[i+len(readmeVerdictsBegin) : j]); got != want.String() {
		t.Errorf("README.md's stored verdicts are stale: replace the block with the output of `go run ./scripts/netdiffus repro -verdicts`.\ngot:\n%s\nwant:\n%s", got, want.String())
	}
}
