package repro

import (
	"bytes"
	"os"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/project"
)

// The summary of which claims hold on the stored references is WriteStoredVerdicts' output, between
// these markers, in the page the README links for it.
const (
	verdictsPage        = "docs/reproducing.md"
	readmeVerdictsBegin = "<!-- stored verdicts: the output of `netdiffus repro -verdicts` -->\n"
	readmeVerdictsEnd   = "<!-- end of stored verdicts -->"
)

// TestREADMEVerdictsAreCurrent fails when the summary in docs/reproducing.md (linked from the README)
// differs from what the stored references say today, so that it cannot go stale when a reference is
// regenerated or a verdict changes.
func TestREADMEVerdictsAreCurrent(t *testing.T) {
	b, err := os.ReadFile(project.Path(verdictsPage))
	if err != nil {
		t.Fatal(err)
	}
	i, j := bytes.Index(b, []byte(readmeVerdictsBegin)), bytes.Index(b, []byte(readmeVerdictsEnd))
	if i < 0 || j < i {
		t.Fatalf("%s lacks the block %q ... %q", verdictsPage, readmeVerdictsBegin, readmeVerdictsEnd)
	}
	var want bytes.Buffer
	if err := WriteStoredVerdicts(&want); err != nil {
		t.Fatal(err)
	}
	if got := string(b[i+len(readmeVerdictsBegin) : j]); got != want.String() {
		t.Errorf("%s's stored verdicts are stale: replace the block with the output of `go run ./scripts/netdiffus repro -verdicts`.\ngot:\n%s\nwant:\n%s", verdictsPage, got, want.String())
	}
}
