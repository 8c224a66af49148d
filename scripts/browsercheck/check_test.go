package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseCharts(t *testing.T) {
	dom := `<body>
<div class="netdiffus-chart" id="a" data-chart="acc" style="x" data-drawn="1" data-ink="812"><div><canvas data-zr-dom-id="zr_0" width="720" height="400"></canvas></div></div>
<div class="netdiffus-chart" id="b" data-chart="fid" style="x">ECharts did not load: run scripts/setup.</div>
<div class="netdiffus-chart" id="c" data-chart="heat" data-drawn="1" data-ink="0"><div><canvas width="460" height="420"></canvas></div></div>
<div class="netdiffus-chart" id="d" data-chart="nocanvas" data-drawn="1" data-ink="5"></div>
</body>`
	charts := parseCharts(dom)
	if len(charts) != 4 {
		t.Fatalf("found %d charts, want 4", len(charts))
	}
	wants := []string{"", "not drawn: ECharts did not load", "no drawn pixels", "no canvas"}
	for i, want := range wants {
		got := charts[i].problem()
		if (want == "") != (got == "") || !strings.Contains(got, want) {
			t.Errorf("chart %s: problem %q, want one containing %q", charts[i].name, got, want)
		}
	}
	if charts[0].canvasW != 720 || charts[0].canH != 400 {
		t.Errorf("canvas size %dx%d, want 720x400", charts[0].canvasW, charts[0].canH)
	}
}

func TestExternalRequests(t *testing.T) {
	log := `{"events":[
{"params":{"url":"file:///tmp/x/acc.html"}},
{"params":{"url":"file:///tmp/x/echarts-5.6.0.min.js"}},
{"params":{"url":"data:image/png;base64,AAAA"}},
{"params":{"url":"http://127.0.0.1:8888/api"}},
{"params":{"url":"http://clients2.google.com/time/1/current?cup2key=1"}},
{"params":{"url":"https://update.googleapis.com/service/update2/json?x"}},
{"params":{"url":"https://cdn.jsdelivr.net/npm/echarts@5/dist/echarts.min.js"}},
{"params":{"url":"https://cdn.jsdelivr.net/npm/echarts@5/dist/echarts.min.js"}},
{"params":{"url":"https://fonts.googleapis.com/css?family=Roboto"}}
]}`
	ext, ignored := externalRequests(log)
	want := []string{"https://cdn.jsdelivr.net/npm/echarts@5/dist/echarts.min.js", "https://fonts.googleapis.com/css?family=Roboto"}
	if strings.Join(ext, " ") != strings.Join(want, " ") {
		t.Errorf("external = %v, want %v", ext, want)
	}
	if ignored != 2 {
		t.Errorf("ignored %d browser requests, want 2", ignored)
	}
}

func writeNotebook(t *testing.T, htmls ...string) string {
	t.Helper()
	type output struct {
		OutputType string         `json:"output_type"`
		Data       map[string]any `json:"data"`
	}
	var outs []output
	for _, h := range htmls {
		outs = append(outs, output{"display_data", map[string]any{"text/html": []string{h}}})
	}
	nb := map[string]any{"cells": []any{map[string]any{"cell_type": "code", "outputs": outs}}}
	b, err := json.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "nb.ipynb")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestNotebookStats(t *testing.T) {
	script := `<script data-netdiffus-echarts="5.6.0">var echarts;</script>`
	chart := `<div class="netdiffus-chart" id="x"></div>`
	cases := []struct {
		name  string
		htmls []string
		want  string // "" = no problem
	}{
		{"one script, two charts", []string{script, chart, chart}, ""},
		{"script twice", []string{script, chart, script}, "embedded 2 times"},
		{"charts without script", []string{chart}, "does not carry the ECharts script"},
		{"final training view", []string{script, `<div class="netdiffus-training"><b>t</b> (finished): step 9</div>`}, ""},
		{"unfinished training view", []string{script, `<div class="netdiffus-training"><b>t</b> (training): step 3</div>`}, "final state"},
		{"appended updates", []string{script, strings.Repeat(`<div class="netdiffus-training"> (finished)</div>`, 5)}, "update one output in place"},
	}
	for _, tc := range cases {
		st, err := notebookStats(writeNotebook(t, tc.htmls...))
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(st.problems(), "; ")
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("%s: problems %q, want %q", tc.name, got, tc.want)
		}
	}
	big := writeNotebook(t, strings.Repeat("x", 2<<20))
	st, err := notebookStats(big)
	if err != nil {
		t.Fatal(err)
	}
	if p := strings.Join(st.problems(), ";"); !strings.Contains(p, "limit 2 MB") {
		t.Errorf("a 2 MB notebook passed the size check: %q", p)
	}
}
