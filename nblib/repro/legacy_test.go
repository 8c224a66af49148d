package repro

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// TestKeysSurviveTheRename pins the cache-file and model-folder names that the code before the rename
// of "quick" (datasets' variant, the cpu downstream configuration, the classifier cnn-quick) computed
// for the three presets: results and models stored then are still found. The names were printed by
// that code (commit b395976) for D1-Netflix and every item. The cpu preset has since moved to the
// medium variant and Heun-9 sampling, so its former settings (small variant, DDPM-50) stand in for it.
func TestKeysSurviveTheRename(t *testing.T) {
	want := map[string]string{
		"smoke model": "d1-netflix-d4bdcbcd7e00", "smoke experiment": "experiment-d1-netflix-f3b3733105ae.json",
		"smoke fig4": "fig4-7c49aff7d4aa.json", "smoke table1": "table1-cea8733d3d89.json", "smoke table3": "table3-e84527ea0eb1.json",
		"cpu model": "d1-netflix-09e62c6db3b2", "cpu experiment": "experiment-d1-netflix-bfda7464bc4f.json",
		"cpu fig2": "fig2-3b947fb9c15a.json", "cpu fig4": "fig4-205154e01890.json", "cpu fig5": "fig5-b2e63a01076b.json",
		"cpu fig6": "fig6-a7db815de2a0.json", "cpu fig8": "fig8-12a0d143d6d5.json", "cpu table1": "table1-e1e0d4d94248.json",
		"cpu table2": "table2-ba340a4b0910.json", "cpu table3": "table3-0f354aba305b.json",
		"full model": "d1-netflix-58a64fd57997", "full experiment": "experiment-d1-netflix-189ce65cc1c8.json",
		"full fig4": "fig4-f838ea122ed0.json",
	}
	got := map[string]string{}
	formerCPU := preset.CPUPreset()
	formerCPU.Data.Variant, formerCPU.Sample = datasets.Small, preset.SmokeSampling()
	for _, p := range []preset.Preset{preset.SmokePreset(), formerCPU, preset.FullPreset()} {
		c := ExperimentFor(p, "d1", "netflix")
		path, err := cachePath("experiment-"+c.Name(), c)
		if err != nil {
			t.Fatal(err)
		}
		got[p.Name+" model"], got[p.Name+" experiment"] = filepath.Base(c.ModelDir()), filepath.Base(path)
		for _, it := range Items() {
			path, err := cachePath(it.Name, it.Config(p))
			if err != nil {
				t.Fatal(err)
			}
			got[p.Name+" "+it.Name] = filepath.Base(path)
		}
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: %s, before the rename %s", k, got[k], w)
		}
	}
}

// TestCanonicalNames: the former names in a stored configuration or result read as today's, only
// under their keys (a "quick" elsewhere, such as a preset alias, is left alone).
func TestCanonicalNames(t *testing.T) {
	in := `{"Preset":{"Name":"quick","Data":{"Variant":"quick"},"Downstream":{"Name":"quick","Classifiers":["cnn-quick","rf"],"CNN":"cnn-quick"}},
		"Rows":[{"Classifier":"cnn-quick","Acc":0.5}],"Classifier":{"Name":"cnn-quick","Sizes":{"Name":"quick"}}}`
	out, err := canonicalJSON([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Preset struct {
			Name       string
			Data       struct{ Variant string }
			Downstream struct {
				Name        string
				Classifiers []string
				CNN         string
			}
		}
		Rows []struct {
			Classifier string
			Acc        json.Number
		}
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	d := v.Preset.Downstream
	if v.Preset.Name != "quick" || v.Preset.Data.Variant != "small" || d.Name != "cpu" || d.CNN != "cnn2" ||
		strings.Join(d.Classifiers, ",") != "cnn2,rf" || v.Rows[0].Classifier != "cnn2" || v.Rows[0].Acc != "0.5" {
		t.Errorf("canonical: %s", out)
	}
	if !strings.Contains(string(out), `"Sizes":{"Name":"cpu"}`) {
		t.Errorf("Sizes name not canonical: %s", out)
	}
}
