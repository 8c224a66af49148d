package repro

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/netdiffus/netdiffus/nblib/plots"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Show is what a figure notebook does with its item: run it (or load it from the cache) under the
// notebook's mode (ModeFromEnv; $NETDIFFUS_FORCE recomputes), then show where the reference column comes
// from, the paper | reference | this-run table (saved as NAME_table.csv), the item's figures and the
// verdicts on this run and on the stored cpu reference. Table and figures are saved under plots.Dir();
// inside GoNB all four are displayed in that order (plots.Text), elsewhere the text goes to stdout.
// A preset given replaces the mode (one at most).
func Show(name string, p ...preset.Preset) error {
	return ShowTo(os.Stdout, name, ForceFromEnv(), p...)
}

// ShowTo is Show writing its text (progress, reference note, verdicts) to w, with force explicit.
func ShowTo(w io.Writer, name string, force bool, p ...preset.Preset) error {
	it, err := ItemNamed(name)
	if err != nil {
		return err
	}
	mode, err := showPreset(p)
	if err != nil {
		return err
	}
	res, err := it.Run(mode, force, w)
	if err != nil {
		return err
	}
	ref, meta, err := it.Stored()
	note := ReferenceNote(meta)
	if err != nil { // a stale reference does not hide this run's result
		note = fmt.Sprintf("The stored reference is left out: %v\n\n%s", err, note)
	}
	if err := plots.Text(w, note+"\n"); err != nil {
		return err
	}
	header, rows := it.Compare(res, ref)
	figs, err := it.Plot(res)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if _, err := plots.Table(name+"_table", header, rows); err != nil { // displays it in a notebook
		return err
	}
	if !gonbui.IsNotebook {
		fmt.Fprintln(w, plots.Markdown(header, rows))
	}
	for _, f := range figs {
		if _, err := plots.Show(f.Plot, f.Name, 0, 0); err != nil {
			return err
		}
	}
	var verdicts strings.Builder
	verdicts.WriteString("**Verdicts** (the one rule of the evidence protocol; at the smoke preset a wiring check, at cpu the claim).\n\n")
	it.WriteVerdicts(&verdicts, res, ref)
	return plots.Text(w, verdicts.String())
}

// showPreset is the preset Show runs under: the one given, else the notebook's mode.
func showPreset(p []preset.Preset) (preset.Preset, error) {
	switch len(p) {
	case 0:
		return ModeFromEnv()
	case 1:
		return p[0], p[0].Validate()
	}
	return preset.Preset{}, fmt.Errorf("repro: Show takes one preset at most, got %d", len(p))
}
