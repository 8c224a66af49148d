package main

import (
	"strings"
	"testing"
)

// TestRequestLogExternal: only requests off the loopback server count as leaving the machine.
func TestRequestLogExternal(t *testing.T) {
	r := &requestLog{urls: map[string]bool{}}
	for _, u := range []string{
		"http://127.0.0.1:8888/notebooks/out/notebooks/05_explore.ipynb?token=x",
		"ws://127.0.0.1:8888/api/kernels/1/channels",
		"data:image/png;base64,AAAA",
		"blob:http://127.0.0.1:8888/abc",
		"https://cdn.jsdelivr.net/npm/echarts",
		"http://localhost:8888/static/x.js",
		"https://fonts.googleapis.com/css",
	} {
		r.add(u)
	}
	ext, total := r.external()
	if total != 7 || strings.Join(ext, " ") != "https://cdn.jsdelivr.net/npm/echarts https://fonts.googleapis.com/css" {
		t.Errorf("external %v of %d", ext, total)
	}
}

func TestServerURLs(t *testing.T) {
	s := &server{port: 8123, token: "abc"}
	if got, want := s.notebookURL("out/notebooks/05_explore.ipynb"), "http://127.0.0.1:8123/notebooks/out/notebooks/05_explore.ipynb?token=abc"; got != want {
		t.Errorf("notebook URL %s, want %s", got, want)
	}
	if got, want := s.url("api/status?x=1"), "http://127.0.0.1:8123/api/status?x=1&token=abc"; got != want {
		t.Errorf("URL %s, want %s", got, want)
	}
}
