package repro

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/nblib/preset"
)

// showResult is the result of the item that TestShow registers.
type showResult struct{ Value float64 }

// TestShow runs Show's sequence on a stand-in item that computes instantly: the table and every
// figure are saved under plots.Dir(), the text (outside a notebook) says where the reference column
// comes from and gives the table and the verdicts of this run, and the preset given is the one the
// item runs under.
func TestShow(t *testing.T) {
	out := t.TempDir()
	t.Setenv("NETDIFFUS_OUT", out)
	t.Setenv("NETDIFFUS_REFERENCE", t.TempDir())
	var ranWith string
	run := func(p preset.Preset, _ bool, _ io.Writer) (*showResult, error) {
		ranWith = p.Name
		return &showResult{Value: 3}, nil
	}
	draw := func(r *showResult) ([]Figure, error) {
		return []Figure{{Name: "showtest_a", Plot: plot.New()}, {Name: "showtest_b", Plot: plot.New()}}, nil
	}
	register(newItem("showtest", "a stand-in", func(p preset.Preset) preset.Preset { return p },
		func(p preset.Preset, force bool, log io.Writer) (*showResult, error) { return run(p, force, log) },
		func(this, ref *showResult) ([]string, [][]string) { return []string{"value"}, [][]string{{"3"}} },
		func(r *showResult) []string { return []string{"the value is 3: holds."} }, draw))
	t.Cleanup(func() { delete(items, "showtest") })

	var buf bytes.Buffer
	if err := ShowTo(&buf, "showtest", false, preset.CPUPreset()); err != nil {
		t.Fatal(err)
	}
	if ranWith != preset.CPU {
		t.Errorf("ran under %q, want the preset given", ranWith)
	}
	for _, f := range []string{"showtest_table.csv", "showtest_a.png", "showtest_b.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("Show did not save %s: %v", f, err)
		}
	}
	for _, want := range []string{"No stored cpu reference yet", "| value |\n| --- |\n| 3 |", "This run:\n- the value is 3: holds.", "No stored cpu reference: `netdiffus repro NAME"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("Show's text lacks %q:\n%s", want, buf.String())
		}
	}
	if err := ShowTo(io.Discard, "fig99", false); err == nil || !strings.Contains(err.Error(), "known:") {
		t.Errorf("an unknown item: %v", err)
	}
	if err := ShowTo(io.Discard, "showtest", false, preset.CPUPreset(), preset.SmokePreset()); err == nil {
		t.Error("two presets: want an error")
	}
}
