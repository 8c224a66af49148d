package interactive

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestMain points the package at a stand-in ECharts script, so the tests need neither scripts/setup nor
// a browser (scripts/browsercheck draws the real thing).
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "interactive-test")
	if err != nil {
		panic(err)
	}
	fake := "/* stand-in */ var echarts = {setOption: function () {}};\n" + strings.Repeat("//padding\n", 12000)
	path := filepath.Join(dir, "echarts.min.js")
	if err := os.WriteFile(path, []byte(fake), 0o644); err != nil {
		panic(err)
	}
	os.Setenv(EnvScript, path)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// option decodes a chart option that holds no JavaScript functions.
func option(t *testing.T, c *Chart) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(c.Option), &m); err != nil {
		t.Fatalf("option of %s is not JSON: %v\n%s", c.Name, err, c.Option)
	}
	return m
}

func seriesData(t *testing.T, opt map[string]any, k int) []any {
	t.Helper()
	series := opt["series"].([]any)
	return series[k].(map[string]any)["data"].([]any)
}

func TestLinesCarryPoints(t *testing.T) {
	c, err := Lines("loss", "Loss", "step", "loss", true, XY{Name: "a", X: []float64{10, 20, 30}, Y: []float64{1, 0.5, 0.25}}, XY{Name: "b", Y: []float64{2, 3}})
	if err != nil {
		t.Fatal(err)
	}
	opt := option(t, c)
	if got := opt["yAxis"].([]any)[0].(map[string]any)["type"]; got != "log" {
		t.Errorf("y axis type %v, want log", got)
	}
	want := [][]float64{{10, 1}, {20, 0.5}, {30, 0.25}}
	for i, d := range seriesData(t, opt, 0) {
		v := d.([]any)
		if v[0].(float64) != want[i][0] || v[1].(float64) != want[i][1] {
			t.Errorf("point %d = %v, want %v", i, v, want[i])
		}
	}
	// An empty X means the index.
	if v := seriesData(t, opt, 1)[1].([]any); v[0].(float64) != 1 || v[1].(float64) != 3 {
		t.Errorf("series b point 1 = %v, want [1 3]", v)
	}
}

func TestChartErrors(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		err  func() error
		want string
	}{
		{"no series", func() error { _, err := Lines("x", "t", "x", "y", false); return err }, "no series"},
		{"x/y lengths", func() error {
			_, err := Lines("x", "t", "x", "y", false, XY{X: []float64{1}, Y: []float64{1, 2}})
			return err
		}, "1 x and 2 y"},
		{"NaN", func() error { _, err := Lines("x", "t", "x", "y", false, XY{Y: []float64{1, nan}}); return err }, "non-finite"},
		{"log of 0", func() error { _, err := Lines("x", "t", "x", "y", true, XY{Y: []float64{1, 0}}); return err }, "log axis"},
		{"bars mismatch", func() error {
			_, err := AccuracyBars("x", "t", "y", []string{"a", "b"}, Bars{Name: "g", Mean: []float64{1}})
			return err
		}, "1 means"},
		{"fid mismatch", func() error { _, err := ClassFID("x", "", []string{"a"}, []float64{1, 2}, 0); return err }, "2 FID values for 1 classes"},
		{"hist range", func() error { _, err := Histograms("x", "", "", 1, 1, Hist{Counts: []float64{1}}); return err }, "lo < hi"},
		{"empty trace", func() error { _, err := Traces("x", "t", "x", "y", Trace{Name: "t"}); return err }, "empty"},
		{"heatmap size", func() error { _, err := Heatmap("x", "", 4, make([]float64, 15), 0, 1); return err }, "15 pixels for a 4x4"},
		{"no title", func() error { _, err := Lines("x", "", "step", "loss", false, XY{Y: []float64{1}}); return err }, "needs a title"},
		{"no axis name", func() error { _, err := Traces("x", "t", "", "bytes", Trace{Values: []float64{1}}); return err }, "needs a title"},
		{"no colour bar name", func() error {
			_, err := LabelledHeatmap("x", "t", HeatmapLabels{X: "j", Y: "i"}, 1, []float64{0}, 0, 1)
			return err
		}, "colour bar name"},
		{"heatmap range", func() error { _, err := Heatmap("x", "", 1, []float64{0}, 1, 1); return err }, "empty value range"},
	}
	for _, tc := range cases {
		err := tc.err()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

func TestAccuracyBarsErrorBars(t *testing.T) {
	c, err := AccuracyBars("acc", "Accuracy", "accuracy", []string{"CNN", "RF"},
		Bars{Name: "original", Mean: []float64{0.8, 0.6}, Std: []float64{0.1, 0.05}},
		Bars{Name: "synth", Mean: []float64{0.5, 0.4}})
	if err != nil {
		t.Fatal(err)
	}
	// The custom series holds [category, mean-std, mean+std, bar index, bars per category] for the
	// group that has a std, and the renderItem function is inlined (unquoted).
	for _, want := range []string{`[0,0.7000000000000001,0.9,0,2]`, `[1,0.5499999999999999,0.65,0,2]`, `"renderItem":function (params, api)`} {
		if !strings.Contains(c.Option, want) {
			t.Errorf("option lacks %s:\n%s", want, c.Option)
		}
	}
	if strings.Contains(c.Option, "__f__") {
		t.Error("function marker left in the option")
	}
	if strings.Count(c.Option, `"type":"custom"`) != 1 {
		t.Error("want exactly one error-bar series")
	}
}

func TestClassFIDFloorLine(t *testing.T) {
	c, err := ClassFID("fid", "FID", []string{"a", "b"}, []float64{3, 4}, 1.5)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.Option, `"yAxis":1.5`) {
		t.Errorf("no floor line at 1.5:\n%s", c.Option)
	}
	c, err = ClassFID("fid", "FID", []string{"a"}, []float64{3}, math.NaN())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(c.Option, "markLine") {
		t.Error("a NaN floor must draw no line")
	}
}

func TestHistogramBinCentres(t *testing.T) {
	c, err := Histograms("h", "t", "pixel", 0, 1, Hist{Name: "real", Counts: []float64{0.25, 0.75}})
	if err != nil {
		t.Fatal(err)
	}
	d := seriesData(t, option(t, c), 0)
	for i, want := range [][2]float64{{0.25, 0.25}, {0.75, 0.75}} {
		v := d[i].([]any)
		if v[0].(float64) != want[0] || v[1].(float64) != want[1] {
			t.Errorf("bin %d = %v, want %v", i, v, want)
		}
	}
}

func TestTracesHaveZoom(t *testing.T) {
	c, err := Traces("t", "t", "bin", "bytes", Trace{Name: "orig", Values: []float64{1, 2, 3}}, Trace{Name: "decoded", Values: []float64{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	opt := option(t, c)
	zooms := opt["dataZoom"].([]any)
	if len(zooms) != 2 || zooms[0].(map[string]any)["type"] != "slider" {
		t.Errorf("dataZoom = %v, want a slider and an inside zoom", zooms)
	}
	if n := len(seriesData(t, opt, 1)); n != 2 {
		t.Errorf("decoded trace has %d points, want 2", n)
	}
}

func TestHeatmapCells(t *testing.T) {
	pix := []float64{0, 0.1, 0.2, 0.3}
	c, err := Heatmap("g", "GASF", 2, pix, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Cell (x=1, y=0) holds pixel 1; (x=0, y=1) holds pixel 2.
	for _, want := range []string{`[1,0,0.1]`, `[0,1,0.2]`} {
		if !strings.Contains(c.Option, want) {
			t.Errorf("option lacks cell %s", want)
		}
	}
	big := make([]float64, 128*128)
	for i := range big {
		big[i] = 0.5
	}
	c, err = Heatmap("big", "GASF", 128, big, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`\[\d+,\d+,[0-9.e+-]+\]`).FindAllString(c.Option, -1)); n != MaxHeatmapSide*MaxHeatmapSide {
		t.Errorf("128x128 image drawn as %d cells, want %d", n, MaxHeatmapSide*MaxHeatmapSide)
	}
}

// TestBlockMean checks the area average against hand results: an integer factor is the plain block
// mean; a fractional factor keeps the image mean (each input cell's area is shared out exactly).
func TestBlockMean(t *testing.T) {
	got := blockMean([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 4, 2)
	want := []float64{3.5, 5.5, 11.5, 13.5}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("integer factor: cell %d = %v, want %v", i, got[i], want[i])
		}
	}
	src := make([]float64, 5*5)
	var mean float64
	for i := range src {
		src[i] = float64((i * 7) % 11)
		mean += src[i] / 25
	}
	out := blockMean(src, 5, 3)
	var outMean float64
	for _, v := range out {
		outMean += v / 9
	}
	if math.Abs(outMean-mean) > 1e-12 {
		t.Errorf("fractional factor: mean %v, want %v", outMean, mean)
	}
}

func TestSaveWritesPageAndOneScriptCopy(t *testing.T) {
	dir := t.TempDir()
	c, err := Lines("loss_curve", "a </script> title", "x", "y", false, XY{Name: "s", Y: []float64{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	path, err := Save(c, dir)
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(page)
	if !strings.Contains(s, `<script src="`+ScriptName+`"></script>`) {
		t.Errorf("page does not load the local script copy %s", ScriptName)
	}
	if strings.Contains(s, "http://") || strings.Contains(s, "https://") {
		t.Error("page refers to the network")
	}
	if strings.Count(s, "</script>") != 2 {
		t.Errorf("a title's </script> must be escaped: %d closing tags, want 2", strings.Count(s, "</script>"))
	}
	if _, err := os.Stat(filepath.Join(dir, ScriptName)); err != nil {
		t.Errorf("no script copy beside the page: %v", err)
	}
	if _, err := Save(&Chart{Name: "../x"}, dir); err == nil {
		t.Error("a name with a path must be refused")
	}
}

func TestTrainingViewOutsideNotebook(t *testing.T) {
	v := NewTrainingView("tiny U-Net")
	at := time.Unix(1000, 0)
	v.clock = func() time.Time { at = at.Add(4 * time.Second); return at }
	v.Update(TrainingProgress{Step: 10, TotalSteps: 100, Loss: 0.9, StepsPerSec: 10})
	v.Update(TrainingProgress{Step: 50, TotalSteps: 100, Loss: 0.5, StepsPerSec: 10,
		Samples: [][]byte{make([]byte, 16)}, SampleSize: 4})
	if err := v.Done(); err != nil {
		t.Fatal(err)
	}
	if v.Updates() != 0 {
		t.Errorf("outside a notebook the view sent %d updates, want 0", v.Updates())
	}
	live, err := v.HTML(false)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"step 50 / 100 (50%)", "loss 0.5000", "10.00 steps/s", "about 5s left", "data:image/png;base64,", `class="netdiffus-chart"`} {
		if !strings.Contains(live, want) {
			t.Errorf("live view lacks %q", want)
		}
	}
	final, _ := v.HTML(true)
	if !strings.Contains(final, "(finished)") || strings.Contains(final, "about") {
		t.Error("final view must say finished and no time left")
	}
}

// TestTrainingViewTimeLeft: the time left comes from the steps after the first report (which pays for
// compiling the model), so a slow first report does not inflate it; before a second report the view
// says it is estimating.
func TestTrainingViewTimeLeft(t *testing.T) {
	v := NewTrainingView("t")
	at := time.Unix(1000, 0)
	clock := []time.Duration{0, 10 * time.Second, 20 * time.Second}
	k := 0
	v.clock = func() time.Time { d := clock[k]; k++; return at.Add(d) }
	// First report after a minute of compiling: step 1 of 1001.
	v.Update(TrainingProgress{Step: 1, TotalSteps: 1001, Loss: 1, Elapsed: time.Minute})
	if h, _ := v.HTML(false); !strings.Contains(h, "estimating the time left") {
		t.Errorf("after one report the view must say it is estimating: %s", h)
	}
	v.Update(TrainingProgress{Step: 101, TotalSteps: 1001, Loss: 0.5}) // 100 steps in 10 s: 10 steps/s
	if h, _ := v.HTML(false); !strings.Contains(h, "about 1m30s left") {
		t.Errorf("900 steps at 10 steps/s must leave 1m30s: %s", h)
	}
	v.Update(TrainingProgress{Step: 301, TotalSteps: 1001, Loss: 0.4}) // 300 steps in 20 s: 15 steps/s
	if h, _ := v.HTML(false); !strings.Contains(h, "about 47s left") {
		t.Errorf("700 steps at 15 steps/s must leave 47s: %s", h)
	}
	v.mu.Lock()
	text := v.textLocked(false)
	v.mu.Unlock()
	if !strings.Contains(text, "step 301 / 1001") || !strings.Contains(text, "about 47s left") {
		t.Errorf("plain-text fallback %q lacks the step or the time left", text)
	}
}

func TestThinKeepsEndsAndBound(t *testing.T) {
	xs := make([]float64, 1000)
	for i := range xs {
		xs[i] = float64(i)
	}
	ox, oy := thin(xs, xs, 50)
	if len(ox) != 50 || len(oy) != 50 || ox[0] != 0 || ox[49] != 999 {
		t.Errorf("thin: %d points from %v to %v, want 50 from 0 to 999", len(ox), ox[0], ox[len(ox)-1])
	}
}

func TestScriptRejectsNonECharts(t *testing.T) {
	if looksLikeECharts([]byte("<html>404 not found</html>")) {
		t.Error("an error page must not pass as ECharts")
	}
}

// TestSetupFetchesThisVersion: scripts/setup must fetch the ECharts version the package names.
func TestSetupFetchesThisVersion(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "scripts", "setup"))
	if err != nil {
		t.Fatalf("reading scripts/setup: %v", err)
	}
	if !strings.Contains(string(b), "\nECHARTS_NPM_VERSION="+Version+"\n") {
		t.Errorf("scripts/setup does not pin ECHARTS_NPM_VERSION=%s", Version)
	}
}
