package repro

import (
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/preset"
)

func TestDatasetTour(t *testing.T) {
	views, err := DatasetTour(preset.SmokePreset(), 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(views) != 4 {
		t.Fatalf("%d datasets, want d1, d2, d3, ww", len(views))
	}
	for _, v := range views {
		if !strings.Contains(v.Stats(), "traces per class") {
			t.Errorf("%s: stats %q", v.Card.Name, v.Stats())
		}
		ex, err := v.examples(3)
		if err != nil {
			t.Fatalf("%s: %v", v.Card.Name, err)
		}
		if len(ex) != 3 || ex[0].Name == ex[1].Name || len(ex[0].Y) != v.Dataset.Default.Length {
			t.Errorf("%s: examples %d, names %q %q", v.Card.Name, len(ex), ex[0].Name, ex[1].Name)
		}
		if _, err := v.ExamplesPlot(3); err != nil {
			t.Fatalf("%s: %v", v.Card.Name, err)
		}
	}
}

func TestDatasetTable(t *testing.T) {
	views, err := DatasetTour(preset.SmokePreset(), 1)
	if err != nil {
		t.Fatal(err)
	}
	header, rows := DatasetTable(views)
	if len(rows) != len(views) {
		t.Fatalf("%d rows for %d datasets", len(rows), len(views))
	}
	for i, r := range rows {
		if len(r) != len(header) {
			t.Errorf("row %d: %d cells, header %d", i, len(r), len(header))
		}
	}
	// D1 small: 3 platforms x 10 videos x 10 sessions.
	if d1 := rows[0]; d1[0] != "d1-video" || d1[1] != "30" || d1[2] != "300" || d1[3] != "10-10" || d1[4] != "3" {
		t.Errorf("d1 row %q", d1)
	}
}
