package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
