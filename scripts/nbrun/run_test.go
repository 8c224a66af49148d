package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNotebookErrors(t *testing.T) {
	tests := []struct {
		name, json string
		want       []string
	}{
		{"clean", `{"cells":[{"cell_type":"code","outputs":[{"output_type":"stream"}]},{"cell_type":"markdown"}]}`, nil},
		{"one error", `{"cells":[{"cell_type":"code","outputs":[]},{"cell_type":"code","outputs":[{"output_type":"error","ename":"ERROR","evalue":"exit status 2\npanic: boom"}]}]}`,
			[]string{"cell 2: ERROR: exit status 2 ..."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "nb.ipynb")
			if err := os.WriteFile(path, []byte(tc.json), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := notebookErrors(path)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := notebookErrors(filepath.Join(t.TempDir(), "missing.ipynb")); err == nil {
		t.Error("a missing executed notebook must be an error")
	}
}

func TestPrintTableCountsFailures(t *testing.T) {
	var buf bytes.Buffer
	n := printTable(&buf, []result{{"a.ipynb", "ok", "", 1.5}, {"long_name.ipynb", "FAILED", "x", 2}})
	if n != 1 {
		t.Errorf("failed = %d, want 1", n)
	}
	for _, want := range []string{"notebook", "a.ipynb", "FAILED", "total", "3.5"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, buf.String())
		}
	}
}

// TestWithFallbacks: markdown and HTML outputs get a text/plain fallback, an existing one is kept, and
// other outputs are left alone.
func TestWithFallbacks(t *testing.T) {
	src := `{"cells":[{"cell_type":"code","outputs":[
	 {"output_type":"display_data","data":{"text/markdown":["**1. the ","series**"]},"metadata":{}},
	 {"output_type":"display_data","data":{"text/html":"<div id=\"c\"></div><script>draw()</script>"},"metadata":{}},
	 {"output_type":"display_data","data":{"text/html":"<table><tr><td>a &amp; b</td></tr><tr><td>2</td></tr></table>"},"metadata":{}},
	 {"output_type":"display_data","data":{"text/html":"<b>x</b>","text/plain":"kept"},"metadata":{}},
	 {"output_type":"stream","name":"stdout","text":"hi"}]},
	 {"cell_type":"markdown","source":"# t"}]}`
	var nb map[string]any
	if err := json.Unmarshal([]byte(src), &nb); err != nil {
		t.Fatal(err)
	}
	n, err := withFallbacks(nb)
	if err != nil {
		t.Fatal(err)
	}
	if n != 3 {
		t.Errorf("added %d fallbacks, want 3", n)
	}
	outs := nb["cells"].([]any)[0].(map[string]any)["outputs"].([]any)
	plain := func(i int) any { return outs[i].(map[string]any)["data"].(map[string]any)["text/plain"] }
	for i, want := range []string{"**1. the series**", "(an interactive HTML output: open this notebook trusted in Jupyter to see it)", "a & b\n2", "kept"} {
		if got := plain(i); got != want {
			t.Errorf("output %d: text/plain %q, want %q", i+1, got, want)
		}
	}
	if _, ok := outs[4].(map[string]any)["data"]; ok {
		t.Error("a stream output must be left alone")
	}
}

func TestHTMLTextIsBounded(t *testing.T) {
	long := strings.Repeat("é", fallbackLimit)
	got := htmlText("<p>" + long + "</p>")
	if len(got) > fallbackLimit+4 || !strings.HasSuffix(got, " ...") || !utf8.ValidString(got) {
		t.Errorf("long text not cut cleanly: %d bytes, valid UTF-8 %v", len(got), utf8.ValidString(got))
	}
}

// TestSignIsJupytersTrust: a notebook signed by sign is trusted by Jupyter's own notary (nbformat's
// NotebookNotary, what the notebook server consults), and no longer once its outputs change. It uses a
// temporary Jupyter data folder, so the user's trust database is untouched.
func TestSignIsJupytersTrust(t *testing.T) {
	python, err := jupyterPython()
	if err != nil {
		t.Skipf("no Jupyter to check against: %v", err)
	}
	t.Setenv("JUPYTER_DATA_DIR", t.TempDir())
	path := filepath.Join(t.TempDir(), "nb.ipynb")
	nb := `{"nbformat":4,"nbformat_minor":5,"metadata":{},"cells":[{"cell_type":"code","id":"a1","metadata":{},"execution_count":1,"source":"x",` +
		`"outputs":[{"output_type":"display_data","metadata":{},"data":{"text/html":"<script>1</script>","text/plain":"x"}}]}]}`
	if err := os.WriteFile(path, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	trusted := func() string {
		out, err := exec.Command(python[0], append(python[1:], "-c", `import sys, nbformat
from nbformat.sign import NotebookNotary
print(NotebookNotary().check_signature(nbformat.read(sys.argv[1], 4)))`, path)...).CombinedOutput()
		if err != nil {
			t.Fatalf("checking the signature: %v: %s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	if got := trusted(); got != "False" {
		t.Fatalf("an unsigned notebook reads as trusted (%s)", got)
	}
	if err := sign(path); err != nil {
		t.Fatal(err)
	}
	if got := trusted(); got != "True" {
		t.Fatalf("signed notebook: trusted %s, want True", got)
	}
	changed := strings.Replace(nb, "<script>1</script>", "<script>2</script>", 1)
	if err := os.WriteFile(path, []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := trusted(); got != "False" {
		t.Errorf("a changed notebook still reads as trusted (%s)", got)
	}
}

// FuzzWithFallbacks: any JSON an executed notebook might hold is either refused or given fallbacks,
// never a panic; every added fallback is a string.
func FuzzWithFallbacks(f *testing.F) {
	f.Add(`{"cells":[{"cell_type":"code","outputs":[{"output_type":"display_data","data":{"text/html":["<b>x","</b>"]}}]}]}`)
	f.Add(`{"cells":[{"outputs":[{"output_type":"execute_result","data":{"text/markdown":[1,2]}}]},3]}`)
	f.Add(`{"cells":{}}`)
	f.Fuzz(func(t *testing.T, src string) {
		var nb map[string]any
		if json.Unmarshal([]byte(src), &nb) != nil {
			return
		}
		if _, err := withFallbacks(nb); err != nil {
			return
		}
		if _, err := json.Marshal(nb); err != nil {
			t.Fatalf("notebook no longer encodes: %v", err)
		}
	})
}

// FuzzHTMLText: the visible text of any HTML is valid UTF-8 when the HTML is, and bounded.
func FuzzHTMLText(f *testing.F) {
	f.Add(`<div>a &amp; b<script>x</script></div>`)
	f.Add(strings.Repeat("<p>é</p>", 3000))
	f.Fuzz(func(t *testing.T, s string) {
		got := htmlText(s)
		if len(got) > fallbackLimit+len(" ...") {
			t.Fatalf("%d bytes, limit %d", len(got), fallbackLimit)
		}
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Fatalf("valid input, invalid text %q", got)
		}
	})
}
