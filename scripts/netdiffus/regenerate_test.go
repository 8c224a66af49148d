package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegenerateReferencesOrder runs scripts/regenerate-references over a stand-in netdiffus that
// names four stale items and records each item it is asked to run: named items go first, in the order
// given, then the rest in item order; an item that is not stale is refused before anything runs.
func TestRegenerateReferencesOrder(t *testing.T) {
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	bin := filepath.Join(dir, "netdiffus")
	fake := `#!/bin/sh
if [ "$2" = "-stale" ]; then printf 'fig2\nfig2b\nfig2c\nfig4\n'; exit 0; fi
echo "$2 $3 $4 $5" >> ` + calls + "\n"
	if err := os.WriteFile(bin, []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"NETDIFFUS_BIN=" + bin, "NETDIFFUS_RESULTS=" + dir}
	for _, tc := range []struct {
		args []string
		want string // the runs recorded, or the start of the refusal
		fail bool
	}{
		{[]string{"-list"}, "", false},
		{[]string{"fig2c", "fig2b"}, "fig2c -mode cpu -write-reference\nfig2b -mode cpu -write-reference\n" +
			"fig2 -mode cpu -write-reference\nfig4 -mode cpu -write-reference\n", false},
		{[]string{"fig9"}, "regenerate-references: fig9 is not a stale item (stale: fig2 fig2b fig2c fig4)", true},
	} {
		os.Remove(calls)
		out, err := runScript(t, env, "regenerate-references", tc.args...)
		if (err != nil) != tc.fail {
			t.Fatalf("%v: error %v\n%s", tc.args, err, out)
		}
		got, _ := os.ReadFile(calls)
		switch {
		case tc.fail && (!strings.HasPrefix(out, tc.want) || len(got) > 0):
			t.Errorf("%v: output %q, runs %q; want a refusal %q and no runs", tc.args, out, got, tc.want)
		case !tc.fail && string(got) != tc.want:
			t.Errorf("%v: runs\n%s\nwant\n%s", tc.args, got, tc.want)
		case tc.args[0] == "-list" && out != "fig2\nfig2b\nfig2c\nfig4\n":
			t.Errorf("-list printed %q", out)
		}
	}
	if times, err := os.ReadFile(filepath.Join(dir, "regenerate-logs", "times.txt")); err != nil || strings.Count(string(times), "\n") != 4 {
		t.Errorf("times.txt: %q %v; want one line per item run", times, err)
	}
}
