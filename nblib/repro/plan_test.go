package repro

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/preset"
)

// TestFig4PlanIsFig4sFolders: the plan lists exactly the model folders fig4 trains in (the standard
// model's and one per n below every training trace), so a sweep's models are the item's.
func TestFig4PlanIsFig4sFolders(t *testing.T) {
	for _, tc := range []struct {
		mode string
		want []string // dataset/n; n 0 is the standard model
	}{
		{preset.Smoke, []string{"d1-netflix/0", "d1-netflix/2"}},
		{preset.CPU, []string{"d1-netflix/0", "d1-netflix/2", "d1-netflix/4", "d1-netflix/8", "d3-google/0", "d3-google/2", "d3-google/4",
			"d3-google/8", "alexa/0", "alexa/2", "alexa/4"}},
	} {
		p, err := preset.Named(tc.mode)
		if err != nil {
			t.Fatal(err)
		}
		jobs, err := Plan("fig4", p)
		if err != nil {
			t.Fatal(err)
		}
		c := Fig4For(p)
		var want []string
		for _, w := range tc.want {
			name, n, _ := strings.Cut(w, "/")
			ds, g := splitName(name)
			if n == "0" {
				want = append(want, filepath.Base(ExperimentFor(p, ds, g).ModelDir()))
			} else {
				want = append(want, filepath.Base(c.LimitedModelDir(ds, g, int(n[0]-'0'))))
			}
		}
		var got []string
		for _, j := range jobs {
			got = append(got, j.Key)
			if j.Item != "fig4" || j.What == "" {
				t.Errorf("%s: job %+v", tc.mode, j)
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s plan\n got %v\nwant %v", tc.mode, got, want)
		}
	}
}

func TestPlanRefusals(t *testing.T) {
	p := preset.SmokePreset()
	if _, err := Plan("fig6", p); err == nil || !strings.Contains(err.Error(), "fig6 has no training plan") || !strings.Contains(err.Error(), "fig4") {
		t.Errorf("item without a plan: %v", err)
	}
	if _, err := Plan("fig99", p); err == nil || !strings.Contains(err.Error(), "fig99") {
		t.Errorf("unknown item: %v", err)
	}
	if _, err := FindJob("d1-netflix-000000000000", p); err == nil || !strings.Contains(err.Error(), "d1-netflix-n2-") {
		t.Errorf("unknown key: %v (want the keys there are)", err)
	}
	jobs, err := Plan("fig4", p)
	if err != nil {
		t.Fatal(err)
	}
	if j, err := FindJob(jobs[1].Key, p); err != nil || j.Key != jobs[1].Key || j.What != jobs[1].What {
		t.Errorf("FindJob(%s) = %+v, %v", jobs[1].Key, j, err)
	}
}
