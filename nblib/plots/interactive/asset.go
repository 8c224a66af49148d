package interactive

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/nblib/project"
)

// Version is the npm echarts version scripts/setup fetches; go-echarts v2.6.7 writes ECharts 5 options.
const Version = "5.6.0"

// EnvScript names the environment variable that points at another copy of echarts.min.js.
const EnvScript = "NETDIFFUS_ECHARTS"

// ScriptName is the file name of the script copy placed beside standalone charts.
const ScriptName = "echarts-" + Version + ".min.js"

// ScriptPath returns where the ECharts script is read from: $NETDIFFUS_ECHARTS, else
// .tools/echarts/echarts.min.js of the repository (written by scripts/setup).
func ScriptPath() string {
	if p := os.Getenv(EnvScript); p != "" {
		return p
	}
	return project.Path(".tools", "echarts", "echarts.min.js")
}

var (
	scriptOnce  sync.Once
	scriptBytes []byte
	scriptErr   error
)

// Script returns the ECharts script. It checks that the file looks like ECharts (it defines the global
// `echarts`) so a truncated or wrong download fails here with a message saying how to fix it.
func Script() ([]byte, error) {
	scriptOnce.Do(func() {
		path := ScriptPath()
		b, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			scriptErr = fmt.Errorf("interactive charts: the ECharts script %s is missing: run scripts/setup (it fetches npm echarts@%s), or set %s to an echarts.min.js", path, Version, EnvScript)
		case err != nil:
			scriptErr = fmt.Errorf("interactive charts: reading the ECharts script: %w", err)
		case !looksLikeECharts(b):
			scriptErr = fmt.Errorf("interactive charts: %s (%d bytes) is not an ECharts build (no 'echarts' global): re-run scripts/setup", path, len(b))
		default:
			scriptBytes = b
		}
	})
	return scriptBytes, scriptErr
}

// looksLikeECharts reports whether b is a plausible echarts.min.js: large, and naming the global.
func looksLikeECharts(b []byte) bool {
	return len(b) > 100_000 && bytes.Contains(b, []byte("echarts")) && bytes.Contains(b, []byte("setOption"))
}

// ensureScriptCopy places the ECharts script in dir (once) so standalone pages can load it by a relative
// path, and returns the file name to refer to.
func ensureScriptCopy(dir string) (string, error) {
	dst := filepath.Join(dir, ScriptName)
	if st, err := os.Stat(dst); err == nil && st.Size() > 0 {
		return ScriptName, nil
	}
	b, err := Script()
	if err != nil {
		return "", err
	}
	if err := atomicfile.WriteFile(dst, b); err != nil {
		return "", fmt.Errorf("interactive charts: copying the ECharts script to %s: %w", dst, err)
	}
	return ScriptName, nil
}
