package repro

import (
	"bytes"
	"fmt"
	"os"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/nblib/project"
)

// The summary of which claims hold on the stored references is WriteStoredVerdicts' output, between
// these markers, in the page the README links for it (TestREADMEVerdictsAreCurrent keeps it current).
const (
	VerdictsPage  = "docs/reproducing.md"
	verdictsBegin = "<!-- stored verdicts: the output of `netdiffus repro -verdicts` -->\n"
	verdictsEnd   = "<!-- end of stored verdicts -->"
)

// UpdateVerdictsPage rewrites VerdictsPage's stored-verdict block with WriteStoredVerdicts' output, so
// that regenerated references and the page agree (`netdiffus repro -verdicts -update`). It reports
// whether the page changed; the rest of the page is kept byte for byte.
func UpdateVerdictsPage() (changed bool, err error) {
	path := project.Path(VerdictsPage)
	page, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	var verdicts bytes.Buffer
	if err := WriteStoredVerdicts(&verdicts); err != nil {
		return false, err
	}
	updated, err := replaceVerdictsBlock(page, verdicts.Bytes())
	if err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	if bytes.Equal(updated, page) {
		return false, nil
	}
	return true, atomicfile.WriteFile(path, updated)
}

// replaceVerdictsBlock returns page with the text between the verdict markers replaced by verdicts.
func replaceVerdictsBlock(page, verdicts []byte) ([]byte, error) {
	i, j := verdictsBlock(page)
	if i < 0 {
		return nil, fmt.Errorf("no stored-verdict block: the page needs the line %q and, after it, %q", bytes.TrimSpace([]byte(verdictsBegin)), verdictsEnd)
	}
	out := append([]byte(nil), page[:i]...)
	out = append(out, verdicts...)
	return append(out, page[j:]...), nil
}

// verdictsBlock returns the start and end of the block's contents in page, or -1, -1.
func verdictsBlock(page []byte) (start, end int) {
	i := bytes.Index(page, []byte(verdictsBegin))
	if i < 0 {
		return -1, -1
	}
	i += len(verdictsBegin)
	j := bytes.Index(page[i:], []byte(verdictsEnd))
	if j < 0 {
		return -1, -1
	}
	return i, i + j
}
