package main

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"os/exec"
	"regexp"
	"strings"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
)

// An executed notebook is made viewable in two ways before nbrun reports it:
//
//   - every rich output gets a text/plain fallback (withFallbacks), so a viewer that will not run its
//     HTML (an untrusted notebook, GitHub, nbviewer, VS Code) shows text instead of nothing;
//   - the notebook is signed with Jupyter's own notary (`jupyter trust`), so the Jupyter of this user
//     opens it trusted and runs its charts' scripts without a manual File > Trust.

// fallbackLimit bounds a fallback made from HTML (the text of a whole page of tables can be long).
const fallbackLimit = 4000

var (
	scriptOrStyle = regexp.MustCompile(`(?is)<(script|style)\b.*?</(script|style)>`)
	blockTag      = regexp.MustCompile(`(?i)<(br|/p|/div|/tr|/h[1-6]|/li|/pre)\b[^>]*>`)
	anyTag        = regexp.MustCompile(`(?s)<[^>]*>`)
	spaces        = regexp.MustCompile(`[ \t]+`)
	blankLines    = regexp.MustCompile(`\n\s*\n+`)
)

// htmlText is the visible text of an HTML fragment: scripts and styles dropped, block ends as line
// breaks, tags removed, entities decoded, blank runs collapsed, at most fallbackLimit bytes.
func htmlText(s string) string {
	s = scriptOrStyle.ReplaceAllString(s, "")
	s = blockTag.ReplaceAllString(s, "\n")
	s = anyTag.ReplaceAllString(s, "")
	s = html.UnescapeString(s)
	s = spaces.ReplaceAllString(s, " ")
	s = strings.TrimSpace(blankLines.ReplaceAllString(s, "\n"))
	if len(s) > fallbackLimit {
		cut := fallbackLimit
		for cut > 0 && (s[cut]&0xC0) == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
		s = s[:cut] + " ..."
	}
	return s
}

// joined reads a notebook MIME value: a string or a list of strings (nbformat splits lines).
func joined(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case []any:
		var b strings.Builder
		for _, p := range t {
			s, ok := p.(string)
			if !ok {
				return "", false
			}
			b.WriteString(s)
		}
		return b.String(), true
	}
	return "", false
}

// withFallbacks adds a text/plain entry to every display_data and execute_result output that has
// text/html or text/markdown but none, and returns how many it added. Markdown is its own fallback;
// HTML falls back to its visible text, or to a line saying where to see it when it has none (a chart).
func withFallbacks(nb map[string]any) (int, error) {
	cells, ok := nb["cells"].([]any)
	if !ok {
		return 0, fmt.Errorf("no cells list")
	}
	added := 0
	for i, c := range cells {
		cell, ok := c.(map[string]any)
		if !ok {
			return added, fmt.Errorf("cell %d is not an object", i+1)
		}
		outs, _ := cell["outputs"].([]any)
		for _, o := range outs {
			out, ok := o.(map[string]any)
			if !ok {
				continue
			}
			if t := out["output_type"]; t != "display_data" && t != "execute_result" {
				continue
			}
			data, ok := out["data"].(map[string]any)
			if !ok || data["text/plain"] != nil {
				continue
			}
			if md, ok := joined(data["text/markdown"]); ok {
				data["text/plain"] = md
				added++
				continue
			}
			if h, ok := joined(data["text/html"]); ok {
				text := htmlText(h)
				if text == "" {
					text = "(an interactive HTML output: open this notebook trusted in Jupyter to see it)"
				}
				data["text/plain"] = text
				added++
			}
		}
	}
	return added, nil
}

// addFallbacks rewrites the notebook at path with withFallbacks applied.
func addFallbacks(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("reading executed notebook: %w", err)
	}
	var nb map[string]any
	if err := json.Unmarshal(b, &nb); err != nil {
		return fmt.Errorf("%s: not a notebook: %w", path, err)
	}
	if _, err := withFallbacks(nb); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	out, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return atomicfile.WriteFile(path, append(out, '\n'))
}

// sign records the notebook's signature in Jupyter's trust database, the notary a Jupyter server of the
// same user consults: it then runs the notebook's HTML and JavaScript outputs. It runs nbformat's
// TrustNotebookApp (what `jupyter trust` runs) with the Python of the jupyter command, since Debian's
// packages leave out the jupyter-trust script.
func sign(path string) error {
	py, err := jupyterPython()
	if err != nil {
		return err
	}
	out, err := exec.Command(py[0], append(py[1:], "-m", "nbformat.sign", path)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("signing %s (python -m nbformat.sign, i.e. jupyter trust): %v: %s", path, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// jupyterPython is the command line of the Python that runs the jupyter script (its #! line): the one
// with Jupyter's packages.
func jupyterPython() ([]string, error) {
	script, err := exec.LookPath("jupyter")
	if err != nil {
		return nil, fmt.Errorf("jupyter not found (scripts/setup installs it): %w", err)
	}
	f, err := os.Open(script)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, 256)
	n, _ := f.Read(head)
	line, _, _ := strings.Cut(string(head[:n]), "\n")
	fields := strings.Fields(strings.TrimPrefix(line, "#!"))
	if !strings.HasPrefix(line, "#!") || len(fields) == 0 {
		return nil, fmt.Errorf("%s has no #! line naming its Python", script)
	}
	return fields, nil
}
