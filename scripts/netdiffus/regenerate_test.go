package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRegenerateReferencesOrder runs scripts/regenerate-references over a stand-in netdiffus whose four
// stale items stop being stale once run (except $STUCK) and that records each call: named items go
// first, in the order given, then the rest in item order; when none is stale any more the verdict page
// is rewritten, and when one still is the script fails without touching it; an item that is not stale is
// refused before anything runs.
func TestRegenerateReferencesOrder(t *testing.T) {
	dir := t.TempDir()
	calls := filepath.Join(dir, "calls")
	bin := filepath.Join(dir, "netdiffus")
	fake := `#!/bin/sh
shift
if [ "$1" = "-stale" ]; then
	for i in fig2 fig2b fig2c fig4; do
		if [ "$i" = "${STUCK:-}" ] || ! grep -q "^$i -mode" ` + calls + ` 2>/dev/null; then echo $i; fi
	done
	exit 0
fi
echo "$*" >> ` + calls + "\n"
	if err := os.WriteFile(bin, []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	const runs = "fig2c -mode cpu -write-reference\nfig2b -mode cpu -write-reference\nfig2 -mode cpu -write-reference\nfig4 -mode cpu -write-reference\n"
	for _, tc := range []struct {
		args    []string
		stuck   string
		want    string // the calls recorded, or the start of a refusal
		fail    bool
		refused bool
	}{
		{[]string{"-list"}, "", "", false, false},
		{[]string{"fig2c", "fig2b"}, "", runs + "-verdicts -update\n", false, false},
		{[]string{"fig2c", "fig2b"}, "fig4", runs, true, false},
		{[]string{"fig9"}, "", "regenerate-references: fig9 is not a stale item (stale: fig2 fig2b fig2c fig4)", true, true},
	} {
		os.Remove(calls)
		env := []string{"NETDIFFUS_BIN=" + bin, "NETDIFFUS_RESULTS=" + dir, "STUCK=" + tc.stuck}
		out, err := runScript(t, env, "regenerate-references", tc.args...)
		if (err != nil) != tc.fail {
			t.Fatalf("%v: error %v\n%s", tc.args, err, out)
		}
		got, _ := os.ReadFile(calls)
		switch {
		case tc.refused && (!strings.HasPrefix(out, tc.want) || len(got) > 0):
			t.Errorf("%v: output %q, calls %q; want a refusal %q and no runs", tc.args, out, got, tc.want)
		case !tc.refused && string(got) != tc.want:
			t.Errorf("%v (stuck %q): calls\n%s\nwant\n%s", tc.args, tc.stuck, got, tc.want)
		case tc.stuck != "" && !strings.Contains(out, "still stale: fig4"):
			t.Errorf("stuck %s: output %q lacks what is still stale", tc.stuck, out)
		case tc.args[0] == "-list" && out != "fig2\nfig2b\nfig2c\nfig4\n":
			t.Errorf("-list printed %q", out)
		}
	}
	if times, err := os.ReadFile(filepath.Join(dir, "regenerate-logs", "times.txt")); err != nil || strings.Count(string(times), "\n") != 8 {
		t.Errorf("times.txt: %q %v; want one line per item run", times, err)
	}
}
