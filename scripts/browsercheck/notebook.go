package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

// Limits on an executed notebook.
const (
	maxNotebookBytes = 2 << 20
	maxScripts       = 1
	// maxTrainingOutputs bounds the outputs a live training view may leave: one per view, updated in
	// place, so a notebook with hundreds of them appended per update fails.
	maxTrainingOutputs = 4
)

// Markers written by nblib/plots/interactive (kept literal here: a checker should not import what it
// checks).
const (
	scriptMarker   = "data-netdiffus-echarts"
	chartMarker    = `class="netdiffus-chart"`
	trainingMarker = `class="netdiffus-training"`
	trainingFinal  = "(finished)"
)

type nbStats struct {
	size                           int64
	scripts, charts, trainingViews int
	unfinishedViews                int
}

func (s nbStats) problems() []string {
	var p []string
	if s.size >= maxNotebookBytes {
		p = append(p, fmt.Sprintf("notebook is %.2f MB, limit 2 MB: keep outputs small", float64(s.size)/(1<<20)))
	}
	if s.scripts > maxScripts {
		p = append(p, fmt.Sprintf("the ECharts script is embedded %d times, at most once allowed", s.scripts))
	}
	if s.charts > 0 && s.scripts == 0 {
		p = append(p, "the notebook shows charts but does not carry the ECharts script")
	}
	if s.trainingViews > maxTrainingOutputs {
		p = append(p, fmt.Sprintf("%d live-training outputs: a view must update one output in place", s.trainingViews))
	}
	if s.unfinishedViews > 0 {
		p = append(p, fmt.Sprintf("%d live-training outputs do not hold their final state", s.unfinishedViews))
	}
	return p
}

// notebookStats reads an executed notebook and counts what its outputs hold.
func notebookStats(path string) (nbStats, error) {
	st := nbStats{}
	info, err := os.Stat(path)
	if err != nil {
		return st, err
	}
	st.size = info.Size()
	b, err := os.ReadFile(path)
	if err != nil {
		return st, err
	}
	var nb struct {
		Cells []struct {
			Outputs []struct {
				Data map[string]json.RawMessage `json:"data"`
			} `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(b, &nb); err != nil {
		return st, fmt.Errorf("%s: not a notebook: %w", path, err)
	}
	for _, c := range nb.Cells {
		for _, o := range c.Outputs {
			raw, ok := o.Data["text/html"]
			if !ok {
				continue
			}
			h, err := htmlText(raw)
			if err != nil {
				return st, fmt.Errorf("%s: text/html output: %w", path, err)
			}
			st.scripts += strings.Count(h, scriptMarker+"=")
			st.charts += strings.Count(h, chartMarker)
			if n := strings.Count(h, trainingMarker); n > 0 {
				st.trainingViews += n
				if !strings.Contains(h, trainingFinal) {
					st.unfinishedViews++
				}
			}
		}
	}
	return st, nil
}

// htmlText decodes a notebook output's text/html: a string or a list of lines.
func htmlText(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var lines []string
	if err := json.Unmarshal(raw, &lines); err != nil {
		return "", err
	}
	return strings.Join(lines, ""), nil
}
