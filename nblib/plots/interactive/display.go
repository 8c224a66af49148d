package interactive

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/janpfeifer/gonb/gonbui"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/nblib/plots"
)

// ScriptMarker is the attribute that tags the one output carrying the ECharts script, so checkers can
// count it.
const ScriptMarker = "data-netdiffus-echarts"

// scriptTag is the whole ECharts script as one inline <script> element.
func scriptTag() (string, error) {
	b, err := Script()
	if err != nil {
		return "", err
	}
	// ECharts is a UMD bundle: where RequireJS is on the page (the classic notebook, nbconvert's HTML) it
	// would register an AMD module instead of the global `echarts`, so define is hidden while it runs.
	return fmt.Sprintf("<script>window.__netdiffus_define = window.define; window.define = undefined;</script>\n"+
		"<script %s=%q>\n%s\n</script>\n"+
		"<script>window.define = window.__netdiffus_define;</script>\n", ScriptMarker, Version, b), nil
}

// loadedMarker is the file that says this kernel session's page already received the script ("" when
// GoNB gives no per-session folder).
func loadedMarker() string {
	dir := os.Getenv("GONB_TMP_DIR")
	if dir == "" {
		return ""
	}
	return filepath.Join(dir, "netdiffus-echarts-"+Version+".loaded")
}

func scriptLoaded() bool {
	m := loadedMarker()
	if m == "" {
		return false
	}
	_, err := os.Stat(m)
	return err == nil
}

func markLoaded() {
	if m := loadedMarker(); m != "" {
		_ = os.WriteFile(m, []byte(Version+"\n"), 0o644)
	}
}

// Load emits the ECharts script (inline, about 1 MB) as the output of the current cell, once, and
// remembers for the kernel session that the page has it. Call it in one early cell of a notebook:
// re-running that cell replaces its output, so the saved notebook holds the script exactly once. Charts
// shown before Load (or without it) trigger it themselves. Outside a notebook it does nothing.
func Load() error {
	if !gonbui.IsNotebook {
		return nil
	}
	tag, err := scriptTag()
	if err != nil {
		return err
	}
	sendRich("", tag+`<div style="color:#888;font-size:small">interactive charts: ECharts `+Version+` loaded (offline copy)</div>`,
		"interactive charts: ECharts "+Version+" is embedded here; the charts below need a trusted notebook "+
			"(scripts/run-notebooks signs the notebooks it executes; else File > Trust Notebook). "+
			"Each chart also has a plain-text summary.")
	// Wait until GoNB has passed the output on: a cell that ends right after a 1 MB display could
	// otherwise finish before it is recorded (seen once under nbconvert), and every later chart of the
	// session, trusting the marker, would find no ECharts.
	gonbui.Sync()
	markLoaded()
	return nil
}

// ensureLoaded calls Load unless this kernel session already did.
func ensureLoaded() error {
	if !gonbui.IsNotebook || scriptLoaded() {
		return nil
	}
	return Load()
}

// Show writes the chart as the standalone page plots.Dir()/name.html (with the ECharts script copied
// beside it) and, inside a GoNB notebook, displays it. It returns the page's path.
func Show(c *Chart) (string, error) {
	path, err := Save(c, plots.Dir())
	if err != nil {
		return "", err
	}
	if gonbui.IsNotebook {
		if err := ensureLoaded(); err != nil {
			return path, err
		}
		sendRich("", c.Fragment(), c.Text)
		gonbui.Sync()
	}
	return path, nil
}

// Display shows the chart in a GoNB notebook without writing a file; outside a notebook it does nothing.
func Display(c *Chart) error {
	if !gonbui.IsNotebook {
		return nil
	}
	if err := ensureLoaded(); err != nil {
		return err
	}
	sendRich("", c.Fragment(), c.Text)
	gonbui.Sync()
	return nil
}

// Save writes the chart as dir/<name>.html, a page that loads the copy of the ECharts script placed in
// dir (by a relative path: the page works offline and when the folder is moved). It returns the path.
func Save(c *Chart, dir string) (string, error) {
	if c.Name == "" || filepath.Base(c.Name) != c.Name {
		return "", fmt.Errorf("interactive chart: name %q must be a plain file name", c.Name)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("interactive chart %s: %w", c.Name, err)
	}
	src, err := ensureScriptCopy(dir)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, c.Name+".html")
	if err := atomicfile.WriteFile(path, []byte(c.Page(src))); err != nil {
		return "", fmt.Errorf("interactive chart %s: %w", c.Name, err)
	}
	return path, nil
}
