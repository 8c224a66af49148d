package repro

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/project"
)

// figureNotebooks are the notebooks that show one item each, by file name.
var figureNotebooks = map[string]string{
	"08_fig2b_doppelganger.ipynb": "fig2b", "09_fig2c_netshare.ipynb": "fig2c", "10_table1.ipynb": "table1",
	"11_fig4.ipynb": "fig4", "12_fig5.ipynb": "fig5", "13_fig6.ipynb": "fig6", "14_fig8.ipynb": "fig8",
	"15_table2.ipynb": "table2", "16_table3.ipynb": "table3",
}

var showCall = regexp.MustCompile(`repro\.Show\("([a-z0-9]+)"\)`)

// TestFigureNotebooksShowTheirItem: each figure notebook's code is one repro.Show call naming its own
// registered item, with no panic blocks, so that a renamed item fails here rather than in a notebook
// run.
func TestFigureNotebooksShowTheirItem(t *testing.T) {
	for file, item := range figureNotebooks {
		b, err := os.ReadFile(project.Path("notebooks", file))
		if err != nil {
			t.Fatal(err)
		}
		var nb struct {
			Cells []struct {
				Type   string   `json:"cell_type"`
				Source []string `json:"source"`
			} `json:"cells"`
		}
		if err := json.Unmarshal(b, &nb); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		var code strings.Builder
		for _, c := range nb.Cells {
			if c.Type == "code" {
				code.WriteString(strings.Join(c.Source, "") + "\n")
			}
		}
		calls := showCall.FindAllStringSubmatch(code.String(), -1)
		if len(calls) != 1 || calls[0][1] != item {
			t.Errorf("%s: repro.Show calls %q, want one of %q", filepath.Base(file), calls, item)
		}
		if _, err := ItemNamed(item); err != nil {
			t.Errorf("%s: %v", file, err)
		}
		if strings.Contains(code.String(), "panic(") {
			t.Errorf("%s: notebook code panics by hand; use nblib/must", file)
		}
	}
}
