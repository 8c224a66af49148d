package trafficio

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCSVFolderBadInput: every problem is either an error naming file and
// line, or a report entry naming them; nothing is dropped silently.
func TestCSVFolderBadInput(t *testing.T) {
	good := ",time,size,direction\n0,0.0,100,1\n1,0.1,1500,-1\n"
	cases := []struct {
		name       string
		files      map[string]string
		strict     bool
		wantErr    string // substring of the error; "" for none
		wantReport string // substring of some report entry; "" for none
		wantTraces int
	}{
		{"clean", map[string]string{"labels.csv": "file,label\na.csv,x\n", "a.csv": good}, false, "", "", 1},
		{"bad number skipped", map[string]string{"labels.csv": "file,label\na.csv,x\n", "a.csv": good + "2,0.2,abc,1\n"}, false, "", "a.csv:4: size \"abc\" is not a number", 1},
		{"bad number strict", map[string]string{"labels.csv": "file,label\na.csv,x\n", "a.csv": good + "2,0.2,abc,1\n"}, true, "a.csv:4: size \"abc\" is not a number", "", 0},
		{"zero direction", map[string]string{"labels.csv": "file,label\na.csv,x\n", "a.csv": good + "2,0.2,5,0\n"}, false, "", "a.csv:4: direction is 0", 1},
		{"missing column", map[string]string{"labels.csv": "file,label\na.csv,x\n", "a.csv": "time,size\n0,1\n"}, false, "a.csv:1: header has no \"direction\" column", "", 0},
		{"empty trace", map[string]string{"labels.csv": "file,label\na.csv,x\nb.csv,y\n", "a.csv": good, "b.csv": "time,size,direction\n"}, false, "", "b.csv: empty trace", 1},
		{"backwards time sorted", map[string]string{"labels.csv": "file,label\na.csv,x\n", "a.csv": "time,size,direction\n0.5,1,1\n0.1,2,-1\n"}, false, "", "not monotonic: packets sorted", 1},
		{"unlisted file", map[string]string{"labels.csv": "file,label\na.csv,x\n", "a.csv": good, "extra.csv": good}, false, "", "extra.csv: file not listed", 1},
		{"missing file", map[string]string{"labels.csv": "file,label\na.csv,x\ngone.csv,y\n", "a.csv": good}, false, "", "cannot read trace file listed on line 3", 1},
		{"duplicate label", map[string]string{"labels.csv": "file,label\na.csv,x\na.csv,y\n", "a.csv": good}, false, "labels.csv:3: file \"a.csv\" already labelled on line 2", "", 0},
		{"label row without label", map[string]string{"labels.csv": "file,label\na.csv,x\nb.csv,\n", "a.csv": good}, false, "", "labels.csv:3: b.csv: row without file or label", 1},
		{"unbalanced quote", map[string]string{"labels.csv": "file,label\na.csv,x\n", "a.csv": good + "2,\"0.2,1,1\n"}, false, "", "a.csv:4", 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, tc.files)
			ds, rep, err := ReadCSVFolder(dir, FolderOptions{Options: Options{Strict: tc.strict}})
			checkOutcome(t, err, rep, tc.wantErr, tc.wantReport)
			if err == nil && len(ds.Traces) != tc.wantTraces {
				t.Errorf("%d traces, want %d", len(ds.Traces), tc.wantTraces)
			}
		})
	}
}

func checkOutcome(t *testing.T, err error, rep traffic.Report, wantErr, wantReport string) {
	t.Helper()
	switch {
	case wantErr == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case wantErr != "" && (err == nil || !strings.Contains(err.Error(), wantErr)):
		t.Fatalf("error %v, want one containing %q", err, wantErr)
	}
	if wantReport == "" {
		if err == nil && len(rep.Skipped) != 0 {
			t.Errorf("unexpected report entries: %v", rep.Skipped)
		}
		return
	}
	for _, s := range rep.Skipped {
		if strings.Contains(s.String(), wantReport) {
			return
		}
	}
	t.Errorf("report %v has no entry containing %q", rep.Skipped, wantReport)
}

func TestLongCSVBadInput(t *testing.T) {
	head := "trace,label,time,size,direction,group\n"
	cases := []struct {
		name, body, wantErr, wantReport string
		strict                          bool
		wantTraces                      int
	}{
		{"clean interleaved", head + "a,x,0,1,1,g\nb,y,0,2,-1,g\na,x,1,3,-1,g\n", "", "", false, 2},
		{"label conflict", head + "a,x,0,1,1,g\na,y,1,3,-1,g\n", "", "t.csv:3: a: label/group", false, 1},
		{"missing id", head + "a,x,0,1,1,g\n,x,1,3,-1,g\n", "", "t.csv:3: row without trace id", false, 1},
		{"bad time strict", head + "a,x,zero,1,1,g\n", "t.csv:2: time \"zero\" is not a number", "", true, 0},
		{"negative size", head + "a,x,0,-5,1,g\nb,x,0,1,1,g\n", "", "size -5 is negative", false, 1},
		{"no header column", "trace,label,time,size\n", "header has no \"direction\"", "", false, 0},
		{"empty file", "", "empty file", "", false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"t.csv": tc.body})
			ds, rep, err := ReadLongCSV(filepath.Join(dir, "t.csv"), LongOptions{Options: Options{Strict: tc.strict}})
			checkOutcome(t, err, rep, tc.wantErr, tc.wantReport)
			if err == nil && len(ds.Traces) != tc.wantTraces {
				t.Errorf("%d traces, want %d", len(ds.Traces), tc.wantTraces)
			}
		})
	}
}

func TestStrictErrorIsRowError(t *testing.T) {
	dir := writeFiles(t, map[string]string{"t.csv": "trace,label,time,size,direction\na,x,0,1,up\n"})
	_, _, err := ReadLongCSV(filepath.Join(dir, "t.csv"), LongOptions{Options: Options{Strict: true}})
	var re *RowError
	if !errors.As(err, &re) || re.Line != 2 || !strings.HasSuffix(re.File, "t.csv") {
		t.Fatalf("error %v (%T), want a *RowError at t.csv line 2", err, err)
	}
}

func TestWikiBadInput(t *testing.T) {
	cases := []struct {
		name, body, wantErr, wantReport string
		missingAsZero                   bool
		wantSeries                      int
	}{
		{"bad page name", "Page,date,value\nFoo_en.wikipedia.org_tablet_all-agents,2015-07-01,3\nA_en.wikipedia.org_desktop_spider,2015-07-01,4\n", "", "access \"tablet\"", false, 1},
		{"missing day skipped", "Page,date,value\nA_en.wikipedia.org_desktop_spider,2015-07-01,1\nA_en.wikipedia.org_desktop_spider,2015-07-03,3\n", "", "1 of 3 days missing: series skipped", false, 0},
		{"missing day filled", "Page,date,value\nA_en.wikipedia.org_desktop_spider,2015-07-01,1\nA_en.wikipedia.org_desktop_spider,2015-07-02,\nA_en.wikipedia.org_desktop_spider,2015-07-03,3\n", "", "filled with 0", true, 1},
		{"bad date", "Page,date,value\nA_en.wikipedia.org_desktop_spider,July 1,1\nA_en.wikipedia.org_desktop_spider,2015-07-01,1\n", "", "w.csv:2", false, 1},
		{"no rows", "Page,date,value\n", "no data rows", "", false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := writeFiles(t, map[string]string{"w.csv": tc.body})
			ds, rep, err := ReadWikiLong(filepath.Join(dir, "w.csv"), WikiOptions{MissingAsZero: tc.missingAsZero})
			checkOutcome(t, err, rep, tc.wantErr, tc.wantReport)
			if err == nil && len(ds.Traces) != tc.wantSeries {
				t.Errorf("%d series, want %d", len(ds.Traces), tc.wantSeries)
			}
		})
	}
}

func TestParseWikiPage(t *testing.T) {
	cases := []struct {
		in   string
		want WikiPage
	}{
		{"Gordon_Ramsay_en.wikipedia.org_all-access_all-agents", WikiPage{"Gordon_Ramsay", "en.wikipedia.org", "all-access", "all-agents"}},
		{"Philip,_Duke_of_Edinburgh_de.wikipedia.org_desktop_all-agents", WikiPage{"Philip,_Duke_of_Edinburgh", "de.wikipedia.org", "desktop", "all-agents"}},
		{"File:X.jpg_commons.wikimedia.org_mobile-web_spider", WikiPage{"File:X.jpg", "commons.wikimedia.org", "mobile-web", "spider"}},
	}
	for _, tc := range cases {
		got, err := ParseWikiPage(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseWikiPage(%q) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"nounderscores", "A_en.wikipedia.org_desktop_robot", "A_nodomain_desktop_spider"} {
		if _, err := ParseWikiPage(bad); err == nil {
			t.Errorf("ParseWikiPage(%q): want an error", bad)
		}
	}
}

func TestThroughputBadLines(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"norway_bus_1": "0 8\n1 x\n2 8\n1.5 4\n3 0\n",
		"norway_car_1": "0 8\n",
	})
	ds, rep, err := ReadThroughput(dir, ThroughputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// 8 Mbit/s = 1e6 bytes/s over [0,2) then 8 Mbit/s over [2,3).
	want := []float64{1e6, 1e6, 1e6}
	if len(ds.Traces) != 1 || !equalFloats(ds.Traces[0].Values, want) {
		t.Errorf("traces %v, want one bus trace %v", ds.Traces, want)
	}
	if len(rep.Skipped) != 3 { // bad line 2, backwards line 4, car trace with one line
		t.Errorf("report %v, want 3 entries", rep.Skipped)
	}
}
