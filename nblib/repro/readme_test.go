package repro

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/project"
)

// TestREADMEVerdictsAreCurrent fails when the summary in docs/reproducing.md (linked from the README)
// differs from what the stored references say today, so that it cannot go stale when a reference is
// regenerated or a verdict changes.
func TestREADMEVerdictsAreCurrent(t *testing.T) {
	b, err := os.ReadFile(project.Path(VerdictsPage))
	if err != nil {
		t.Fatal(err)
	}
	i, j := verdictsBlock(b)
	if i < 0 {
		t.Fatalf("%s lacks the block %q ... %q", VerdictsPage, verdictsBegin, verdictsEnd)
	}
	var want bytes.Buffer
	if err := WriteStoredVerdicts(&want); err != nil {
		t.Fatal(err)
	}
	if got := string(b[i:j]); got != want.String() {
		t.Errorf("%s's stored verdicts are stale: run `netdiffus repro -verdicts -update` (it rewrites the block).\ngot:\n%s\nwant:\n%s", VerdictsPage, got, want.String())
	}
}

func TestReplaceVerdictsBlock(t *testing.T) {
	const verdicts = "- **Fig. 9**: holds.\n"
	for _, tc := range []struct {
		name, page, want, err string
	}{
		{"replaced", "intro\n" + verdictsBegin + "- old\n- older\n" + verdictsEnd + "\nafter\n", "intro\n" + verdictsBegin + verdicts + verdictsEnd + "\nafter\n", ""},
		{"empty block", verdictsBegin + verdictsEnd, verdictsBegin + verdicts + verdictsEnd, ""},
		{"no begin", "- old\n" + verdictsEnd, "", "no stored-verdict block"},
		{"no end", verdictsBegin + "- old\n", "", "no stored-verdict block"},
		{"end before begin", verdictsEnd + "\n" + verdictsBegin, "", "no stored-verdict block"},
	} {
		got, err := replaceVerdictsBlock([]byte(tc.page), []byte(verdicts))
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
			}
		case err != nil || string(got) != tc.want:
			t.Errorf("%s: got %q, %v\nwant %q", tc.name, got, err, tc.want)
		}
		if tc.err == "" {
			again, _ := replaceVerdictsBlock(got, []byte(verdicts))
			if string(again) != string(got) {
				t.Errorf("%s: a second update changed the page", tc.name)
			}
		}
	}
}
