package repro

import (
	"fmt"
	"os"
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

// TestItemPlansAreTheirModels: every item has a plan, and each lists exactly the folders the item trains
// in, named by the functions the item itself calls (ExperimentFor, LimitedModelDir, preset1D), in the
// item's order; the model-variance run's plan is the seeded standard models; "all" is their union in
// item order (the variance run's last), each model once.
func TestItemPlansAreTheirModels(t *testing.T) {
	p := preset.CPUPreset()
	std := func(name string) string {
		ds, g := splitName(name)
		return filepath.Base(ExperimentFor(p, ds, g).ModelDir())
	}
	limited := func(name string, n int) string {
		ds, g := splitName(name)
		return filepath.Base(Fig4Config{Preset: p, LimitedSteps: Fig4For(p).LimitedSteps}.LimitedModelDir(ds, g, n))
	}
	oneD := func(name string) string {
		ds, g := splitName(name)
		return filepath.Base(ExperimentFor(Table2For(p).preset1D(), ds, g).ModelDir())
	}
	stds := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, std(n))
		}
		return out
	}
	seededStds := func(names []string, seeds ...uint64) []string {
		var out []string
		for _, n := range names {
			for _, seed := range seeds {
				ps := p
				ps.Train.Seed = seed
				ds, g := splitName(n)
				out = append(out, filepath.Base(ExperimentFor(ps, ds, g).ModelDir()))
			}
		}
		return out
	}
	for _, tc := range []struct {
		item string
		want []string
	}{
		{"fig2", stds(AllFidelityDatasets...)},
		{"fig5", []string{std("d1-netflix"), limited("d1-netflix", 2), limited("d1-netflix", 4), std("d1-youtube"), std("d1-stan")}},
		{"fig6", stds("d1-netflix", "d2", "d3-google")},
		{"fig8", stds("d1-youtube", "d1-stan", "d1-netflix", "d3-google", "d3-alexa")},
		{"table1", stds("d1-youtube", "d1-stan", "d1-netflix", "d2", "d3-google", "d3-alexa", "alexa")},
		{"table2", []string{std("d1-netflix"), oneD("d1-netflix"), std("d3-google"), oneD("d3-google")}},
		{"table3", nil},
		{VariancePlan, seededStds([]string{"d1-netflix", "d3-google"}, 1, 2, 3)},
	} {
		jobs, err := Plan(tc.item, p)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, j := range jobs {
			got = append(got, j.Key)
			if j.Item != tc.item || j.What == "" || j.run == nil {
				t.Errorf("%s: job %+v", tc.item, j)
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s plan\n got %v\nwant %v", tc.item, got, tc.want)
		}
	}
	if oneD("d1-netflix") == std("d1-netflix") {
		t.Errorf("the 1-D and 2-D models share the folder %s", std("d1-netflix"))
	}

	all, err := Plan(AllItems, p)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	seen := map[string]bool{}
	var names []string
	for _, it := range Items() {
		names = append(names, it.Name)
	}
	for _, name := range append(names, VariancePlan) {
		jobs, err := Plan(name, p)
		if err != nil {
			t.Fatalf("%s has no plan: %v", name, err)
		}
		for _, j := range jobs {
			if !seen[j.Key] {
				seen[j.Key] = true
				want = append(want, j.Item+"/"+j.Key)
			}
		}
	}
	var got []string
	for _, j := range all {
		got = append(got, j.Item+"/"+j.Key)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("plan of all\n got %v\nwant %v", got, want)
	}
}

func TestPlanRefusals(t *testing.T) {
	p := preset.SmokePreset()
	if _, err := Plan("fig99", p); err == nil || !strings.Contains(err.Error(), "fig99") || !strings.Contains(err.Error(), AllItems) {
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
	jobs, err = Plan("table2", p)
	if err != nil {
		t.Fatal(err)
	}
	if j, err := FindJob(jobs[1].Key, p); err != nil || j.Item != "table2" || !strings.Contains(j.What, "1-D model") {
		t.Errorf("FindJob(%s) = %+v, %v: want table2's 1-D model", jobs[1].Key, j, err)
	}
	jobs, err = Plan(VariancePlan, p)
	if err != nil {
		t.Fatal(err)
	}
	if j, err := FindJob(jobs[1].Key, p); err != nil || j.Item != VariancePlan || !strings.Contains(j.What, "training seed 2") {
		t.Errorf("FindJob(%s) = %+v, %v: want the variance run's second D1-Netflix model", jobs[1].Key, j, err)
	}
}

// TestJobDone: a job is done exactly when the result its run caches is stored, whatever kind of model it
// trains (standard, limited, 1-D, GAN); the plan's other jobs stay to do.
func TestJobDone(t *testing.T) {
	t.Setenv("NETDIFFUS_RESULTS", t.TempDir())
	jobs, err := Plan(AllItems, preset.SmokePreset())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for i, j := range jobs {
		for _, k := range []string{"standard", "first", "1-D", "GAN"} {
			if strings.Contains(j.What, k) {
				kinds[k] = true
			}
		}
		if j.Done() {
			t.Fatalf("%s is done in an empty results folder", j.Key)
		}
		if _, err := Cached(j.cache.name, j.cache.config, false, func() (int, error) { return 1, nil }); err != nil {
			t.Fatal(err)
		}
		for k, other := range jobs {
			if other.Done() != (k <= i) {
				t.Errorf("after caching %s's result: %s done %v", j.Key, other.Key, other.Done())
			}
		}
	}
	if len(kinds) != 4 {
		t.Errorf("the smoke plan of all covers %v; want every kind of job", kinds)
	}
}

// TestJobStatus: a diffusion model with its final checkpoint but no synthetic images is "trained" (an
// experiment trained it), one short of its steps is still to do, and a cached result is "done"; a GAN
// is never merely trained.
func TestJobStatus(t *testing.T) {
	results := t.TempDir()
	t.Setenv("NETDIFFUS_RESULTS", results)
	jobs, err := Plan(AllItems, preset.SmokePreset())
	if err != nil {
		t.Fatal(err)
	}
	for _, j := range jobs {
		gan := strings.Contains(j.What, "GAN")
		if gan != (j.steps == 0) {
			t.Fatalf("%s: steps %d", j.Key, j.steps)
		}
		for _, tc := range []struct {
			step int64
			want string
		}{{j.steps - 1, ""}, {j.steps, "trained"}} {
			if err := os.MkdirAll(filepath.Join(results, "models", j.Key, fmt.Sprintf("step-%09d", tc.step)), 0o755); err != nil {
				t.Fatal(err)
			}
			if gan {
				tc.want = ""
			}
			if got := j.Status(); got != tc.want {
				t.Errorf("%s with a checkpoint at step %d of %d: status %q, want %q", j.Key, tc.step, j.steps, got, tc.want)
			}
		}
		if _, err := Cached(j.cache.name, j.cache.config, false, func() (int, error) { return 1, nil }); err != nil {
			t.Fatal(err)
		}
		if got := j.Status(); got != "done" {
			t.Errorf("%s with its result cached: status %q", j.Key, got)
		}
	}
}
