package main

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// hostileCase is one command line that must end in an error mentioning want.
type hostileCase struct {
	name string
	line []string
	want string
}

// maxCaseAlloc bounds the bytes one refused command may allocate (the 1 GB).
const maxCaseAlloc = 1 << 30

// runHostile runs each case as the user types it and checks that it ends, within a time bound, in an
// error mentioning want, having allocated less than maxCaseAlloc bytes (no panic: a panic fails the test).
func runHostile(t *testing.T, cases []hostileCase) {
	t.Helper()
	for _, tc := range cases {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		done := make(chan error, 1)
		go func() {
			_, err := netdiffus(t, tc.line...)
			done <- err
		}()
		var err error
		select {
		case err = <-done:
		case <-time.After(60 * time.Second):
			t.Fatalf("%s: netdiffus %s did not end in 60 s (a hang)", tc.name, strings.Join(tc.line, " "))
		}
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: netdiffus %s: got %v, want an error mentioning %q", tc.name, strings.Join(tc.line, " "), err, tc.want)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > maxCaseAlloc {
			t.Errorf("%s: allocated %d bytes before failing", tc.name, n)
		}
	}
}

// hostileFiles makes the special and malformed files of the tests in dir.
func hostileFiles(t *testing.T, dir string) func(string) string {
	t.Helper()
	at := func(n string) string { return filepath.Join(dir, n) }
	for _, n := range []string{"fifo.csv", "fifo.json", "fifo.npy", "fifo.npz", "folder/labels.csv", "traces/fifo.csv"} {
		os.MkdirAll(filepath.Dir(at(n)), 0o755)
		if err := syscall.Mkfifo(at(n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Symlink("/dev/zero", at("zero.csv"))
	os.Symlink("/dev/zero", at("zero.json"))
	os.Mkdir(at("dir.csv"), 0o755)
	os.WriteFile(at("series.csv"), []byte("1,2,3,4,5,6,7,8\n2,3,4,5,6,7,8,9\n"), 0o644)
	os.WriteFile(at("traces/labels.csv"), []byte("file,label\nfifo.csv,a\n"), 0o644)
	os.WriteFile(at("garbage.json"), []byte(`{"Train": {"Steps": 5}} trailing`), 0o644)
	if err := npy.WriteFile(at("x.npy"), []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 2, 8); err != nil {
		t.Fatal(err)
	}
	if err := npy.WriteFile(at("imgs.npy"), make([]float32, 4*4*4), 4, 4, 4); err != nil {
		t.Fatal(err)
	}
	nan := math.NaN()
	w, err := npy.CreateNPZ(at("allnan.npz"))
	if err != nil {
		t.Fatal(err)
	}
	w.Add("x", []float64{nan, 1, 2, 3, 4, 5, 6, 7, 1, nan, 2, 3, 4, 5, 6, 7}, 2, 8)
	w.Add("y", []int64{0, 1})
	w.Add("classes", []byte("a\nb"))
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	return at
}

// TestHostileSpecialFiles: every reader refuses FIFOs, devices and folders where a regular file is
// expected, at once and naming the file (a FIFO used to hang, /dev/zero to exhaust memory).
func TestHostileSpecialFiles(t *testing.T) {
	at := hostileFiles(t, t.TempDir())
	out := at("out")
	runHostile(t, []hostileCase{
		{"series CSV is a FIFO", []string{"image", "-in", at("fifo.csv"), "-out", out, "-quiet"}, "not a regular file"},
		{"series CSV links to /dev/zero", []string{"image", "-in", at("zero.csv"), "-out", out, "-quiet"}, "not a regular file"},
		{"series CSV is a folder", []string{"image", "-in", at("dir.csv"), "-out", out, "-quiet"}, "not a regular file"},
		{"series NPY is a FIFO", []string{"image", "-in", at("fifo.npy"), "-out", out, "-quiet"}, "not a regular file"},
		{"labelled NPZ is a FIFO", []string{"image", "-in", at("fifo.npz"), "-out", out, "-quiet"}, "not a regular file"},
		{"-config is a FIFO", []string{"train", "-config", at("fifo.json"), "-print-config"}, "not a regular file"},
		{"-config is /dev/zero", []string{"train", "-config", "/dev/zero", "-print-config"}, "not a regular file"},
		{"-config links to /dev/zero", []string{"sample", "-config", at("zero.json"), "-print-config"}, "not a regular file"},
		{"-labels is /dev/zero", []string{"data", "stats", "-from", "folder", "-in", at("traces"), "-labels", "/dev/zero", "-q"}, "not a regular file"},
		{"labels.csv is a FIFO", []string{"data", "stats", "-from", "folder", "-in", at("folder"), "-q"}, "not a regular file"},
		{"long CSV is /dev/zero", []string{"data", "stats", "-from", "longcsv", "-in", "/dev/zero", "-q"}, "not a regular file"},
		{"NetShare CSV is a FIFO", []string{"data", "stats", "-from", "netshare-packets", "-in", at("fifo.csv"), "-q"}, "not a regular file"},
		{"Wikipedia CSV is /dev/zero", []string{"data", "stats", "-from", "wiki-wide", "-in", "/dev/zero", "-q"}, "not a regular file"},
		{"pcap listed in labels.csv is a FIFO, -strict", []string{"data", "stats", "-from", "folder", "-in", at("traces"), "-strict", "-q"}, "not a regular file"},
		{"DoppelGANger NPZ is a FIFO", []string{"data", "stats", "-from", "dg", "-in", at("fifo.npz"), "-q"}, "not a regular file"},
		{"pickle is /dev/zero", []string{"data", "stats", "-from", "df", "-in", "/dev/zero,/dev/zero", "-q"}, "not a regular file"},
		{"eval -real is a FIFO", []string{"eval", "-real", at("fifo.npy"), "-synth", at("x.npy")}, "not a regular file"},
		{"eval -real-labels is /dev/zero", []string{"eval", "-real", at("imgs.npy"), "-synth", at("imgs.npy"), "-real-labels", "/dev/zero", "-synth-labels", at("x.npy")}, "not a regular file"},
		{"train -data is a FIFO", []string{"train", "-data", at("fifo.npz"), "-model", at("m")}, "not a regular file"},
		{"a missing file says so", []string{"image", "-in", at("missing.npz"), "-out", out}, "no such file"},
	})
	// A trace file listed in labels.csv that is a FIFO is reported and skipped without -strict.
	got, err := netdiffus(t, "data", "stats", "-from", "folder", "-in", at("traces"), "-q")
	if err == nil && !strings.Contains(got, "not a regular file") {
		t.Errorf("a FIFO trace file is neither an error nor reported: %s", got)
	}
}

// TestHostileFlags: numeric flags out of range, NaN, unknown enum values, stray arguments and preset
// fields out of range end in an error naming the flag or field, before anything is allocated.
func TestHostileFlags(t *testing.T) {
	at := hostileFiles(t, t.TempDir())
	out := at("out")
	m := at("model")
	runHostile(t, []hostileCase{
		{"generate -length 2e9", []string{"data", "generate", "-name", "d1", "-length", "2000000000", "-out", at("g.npz")}, "-length 2000000000"},
		{"generate -length -5", []string{"data", "generate", "-name", "d1", "-length", "-5", "-out", at("g.npz")}, "-length -5"},
		{"generate -bin 0", []string{"data", "generate", "-name", "d1", "-bin", "0", "-out", at("g.npz")}, "-bin 0"},
		{"generate -bin NaN", []string{"data", "generate", "-name", "d1", "-bin", "NaN", "-out", at("g.npz")}, "-bin NaN"},
		{"generate -dir sideways", []string{"data", "generate", "-name", "d1", "-dir", "sideways", "-out", at("g.npz")}, `-dir "sideways"`},
		{"generate -to xml", []string{"data", "generate", "-name", "d1", "-to", "xml", "-out", at("g.npz")}, `-to "xml"`},
		{"generate stray argument", []string{"data", "generate", "-name", "d1", "-out", at("g.npz"), "extra"}, `unexpected argument "extra"`},
		{"convert -from nonsense", []string{"data", "convert", "-from", "nonsense", "-in", at("x.npy"), "-out", at("c.npz")}, `-from "nonsense"`},
		{"stats -dg-label-from -1", []string{"data", "stats", "-from", "dg", "-in", at("x.npy"), "-dg-label-from", "-1"}, "-dg-label-from -1"},
		{"image -layout foo on .npy", []string{"image", "-in", at("x.npy"), "-out", out, "-layout", "foo"}, `-layout "foo"`},
		{"image -column -1", []string{"image", "-in", at("series.csv"), "-out", out, "-layout", "column", "-column", "-1"}, "-column -1"},
		{"image -crop -1", []string{"image", "-in", at("x.npy"), "-out", out, "-crop", "-1"}, "-crop -1"},
		{"image -workers -1", []string{"image", "-in", at("x.npy"), "-out", out, "-workers", "-1"}, "-workers -1"},
		{"image -gamma NaN", []string{"image", "-in", at("x.npy"), "-out", out, "-gamma", "NaN"}, "-gamma NaN"},
		{"image stray argument", []string{"image", "-in", at("x.npy"), "-out", out, "y.npy"}, `unexpected argument "y.npy"`},
		{"train -time -1s", []string{"train", "-data", at("x.npy"), "-model", m, "-time", "-1s"}, "-time -1s"},
		{"train stray argument", []string{"train", "-data", at("x.npy"), "-model", m, "more"}, `unexpected argument "more"`},
		{"sample -per-class 1e9", []string{"sample", "-model", m, "-out", at("s.npz"), "-per-class", "1000000000"}, "-per-class 1000000000"},
		{"sample -per-class -1", []string{"sample", "-model", m, "-out", at("s.npz"), "-per-class", "-1"}, "-per-class -1"},
		{"generate -step NaN", []string{"generate", "-model", m, "-out", at("gen"), "-step", "NaN"}, "-step NaN"},
		{"generate -step 0", []string{"generate", "-model", m, "-out", at("gen"), "-step", "0"}, "-step 0"},
		{"eval -n -1", []string{"eval", "-real", at("x.npy"), "-synth", at("x.npy"), "-n", "-1"}, "-n -1"},
		{"eval -seeds -1", []string{"eval", "-real", at("x.npy"), "-synth", at("x.npy"), "-seeds", "-1"}, "-seeds -1"},
		{"eval -epochs -3", []string{"eval", "-real", at("x.npy"), "-synth", at("x.npy"), "-epochs", "-3"}, "-epochs -3"},
		{"eval -bins -2", []string{"eval", "-real", at("x.npy"), "-synth", at("x.npy"), "-bins", "-2"}, "-bins -2"},
		{"eval -features pca:0", []string{"eval", "-real", at("x.npy"), "-synth", at("x.npy"), "-features", "pca:0"}, "K 0"},
		{"eval -features pca:-3", []string{"eval", "-real", at("x.npy"), "-synth", at("x.npy"), "-features", "pca:-3"}, "K -3"},
		{"eval -classifiers xgb", []string{"eval", "-real", at("x.npy"), "-synth", at("x.npy"), "-classifiers", "xgb"}, `"xgb"`},
		{"experiment -time -5m", []string{"experiment", "-time", "-5m"}, "-time -5m"},
		{"baseline -lr NaN", []string{"baseline", "train", "-lr", "NaN", "-from", "default", "-in", "ww"}, "-lr NaN"},
		{"baseline -batch -4", []string{"baseline", "train", "-batch", "-4", "-from", "default", "-in", "ww"}, "-batch -4"},
		{"baseline -gan gpt", []string{"baseline", "train", "-gan", "gpt", "-from", "default", "-in", "ww"}, `-gan "gpt"`},
		{"baseline sample -n 0", []string{"baseline", "sample", "-n", "0", "-out", at("b.npz")}, "-n 0"},
		{"-set an unknown classifier", []string{"train", "-set", "Downstream.Classifiers=rf,xgb", "-print-config"}, `Downstream.Classifiers item "xgb"`},
		{"-set Net.NumClasses=-3", []string{"train", "-set", "Net.NumClasses=-3", "-print-config"}, "Net.NumClasses -3"},
		{"-set Sample.Guidance=NaN", []string{"train", "-set", "Sample.Guidance=NaN", "-print-config"}, "Sample.Guidance=NaN"},
		{"-set Sample.Eta=Inf", []string{"train", "-set", "Sample.Eta=Inf", "-print-config"}, "Sample.Eta=Inf"},
		{"-set Sample.PerClass=1e9", []string{"sample", "-set", "Sample.PerClass=1000000000", "-print-config"}, "Sample.PerClass 1000000000"},
		{"-set Measure.HistogramBins=0", []string{"eval", "-set", "Measure.HistogramBins=0", "-print-config"}, "Measure.HistogramBins 0"},
		{"-config with trailing garbage", []string{"train", "-config", at("garbage.json"), "-print-config"}, "text after the JSON object"},
	})
}

// TestHostileOutputs: an output never replaces an input, an existing output is replaced only with
// -force, and outputs of one run do not collide.
func TestHostileOutputs(t *testing.T) {
	at := hostileFiles(t, t.TempDir())
	os.MkdirAll(at("a"), 0o755)
	os.MkdirAll(at("b"), 0o755)
	os.WriteFile(at("a/s.csv"), []byte("1,2,3,4,5,6,7,8\n"), 0o644)
	os.WriteFile(at("b/s.csv"), []byte("8,7,6,5,4,3,2,1\n"), 0o644)
	mustRun(t, "image", "-in", at("a/s.csv"), "-out", at("imgs"), "-size", "4", "-quiet")
	first, _ := os.ReadFile(at("imgs/s_0.png"))
	mustRun(t, "data", "generate", "-name", "ww", "-out", at("ww.npz"))
	os.MkdirAll(at("gen/traces"), 0o755)
	os.WriteFile(at("gen/traces/old.csv"), nil, 0o644)
	os.MkdirAll(at("mm/traces/inner"), 0o755)
	os.WriteFile(at("mm/traces.npz"), nil, 0o644)
	runHostile(t, []hostileCase{
		{"image -save npy over its own input", []string{"image", "-in", at("x.npy"), "-out", filepath.Dir(at("x.npy")), "-save", "npy", "-size", "4", "-force"}, "is an input"},
		{"a second input of the same base name", []string{"image", "-in", at("b/s.csv"), "-out", at("imgs"), "-size", "4", "-quiet"}, "add -force"},
		{"data generate over an existing file", []string{"data", "generate", "-name", "ww", "-out", at("ww.npz")}, "add -force"},
		{"data convert onto its input, even with -force", []string{"data", "convert", "-from", "npz", "-in", at("ww.npz"), "-out", at("ww.npz"), "-force"}, "is an input"},
		{"data convert into the input folder's labels", []string{"data", "convert", "-from", "folder", "-in", at("traces"), "-to", "longcsv", "-out", at("traces/labels.csv"), "-force"}, "input folder"},
		{"data convert -to folder onto a non-empty folder", []string{"data", "convert", "-from", "npz", "-in", at("ww.npz"), "-to", "folder", "-out", at("imgs")}, "not empty"},
		{"sample over an existing file", []string{"sample", "-model", at("m"), "-out", at("ww.npz")}, "add -force"},
		{"sample -png into the folder of -out", []string{"sample", "-model", at("m"), "-out", at("new/s.npz"), "-png", at("new")}, "already writes"},
		{"generate into a non-empty traces folder", []string{"generate", "-model", at("m"), "-out", at("gen")}, "not empty"},
		{"generate over a file of the model folder", []string{"generate", "-model", at("mm"), "-out", at("mm"), "-force"}, "input folder"},
		{"generate -out a folder holding the model", []string{"generate", "-model", at("mm/traces/inner"), "-out", at("mm"), "-force"}, "holds the input"},
		{"experiment -out over an existing file", []string{"experiment", "-out", at("ww.npz")}, "add -force"},
		{"baseline sample over an existing file", []string{"baseline", "sample", "-out", at("ww.npz")}, "add -force"},
	})
	if again, _ := os.ReadFile(at("imgs/s_0.png")); string(again) != string(first) {
		t.Error("a refused run changed an existing output")
	}
	x, _ := os.ReadFile(at("x.npy"))
	if len(x) == 0 || !strings.HasPrefix(string(x), "\x93NUMPY") {
		t.Error("the input series file was damaged")
	}
	// With -force an existing output that is not an input is replaced.
	mustRun(t, "image", "-in", at("b/s.csv"), "-out", at("imgs"), "-size", "4", "-quiet", "-force")
	if again, _ := os.ReadFile(at("imgs/s_0.png")); string(again) == string(first) {
		t.Error("-force did not replace the output")
	}
}

// TestHostileStructure: inputs that used to panic or run for minutes end in a clear error.
func TestHostileStructure(t *testing.T) {
	at := hostileFiles(t, t.TempDir())
	nested := func(name string, depth int) string {
		b := []byte("\x80\x02" + strings.Repeat("]", depth) + strings.Repeat("a", depth-1) + ".")
		os.WriteFile(at(name), b, 0o644)
		return at(name)
	}
	deep, deepButAllowed := nested("deep.pkl", 200_000), nested("nested.pkl", 60_000)
	runHostile(t, []hostileCase{
		{"image on an NPZ whose every series has a NaN", []string{"image", "-in", at("allnan.npz"), "-out", at("o"), "-size", "4", "-quiet"}, "no series left to image"},
		{"image -layout column -column -1", []string{"image", "-in", at("series.csv"), "-out", at("o"), "-layout", "column", "-column", "-1"}, "-column -1"},
		{"image -column past the fields", []string{"image", "-in", at("series.csv"), "-out", at("o"), "-layout", "column", "-column", "9"}, "no column 9"},
		{"a pickle of 200,000 nested lists", []string{"data", "stats", "-from", "df", "-in", deep + "," + deep, "-q"}, "nests deeper than MaxDepth 65536"},
		{"a pickle of 60,000 nested lists", []string{"data", "stats", "-from", "df", "-in", deepButAllowed + "," + deepButAllowed, "-q"}, "list of 1 items is not a number"},
	})
}

// TestHostileReaderAssumptions: readers check what they assume (one-hot rows, label shapes, class
// names, dates, unique columns and pages, address ranges) and refuse, or report and skip (stopped by
// -strict), instead of guessing.
func TestHostileReaderAssumptions(t *testing.T) {
	dir := t.TempDir()
	at := func(n string) string { return filepath.Join(dir, n) }
	write := func(name, text string) string {
		os.MkdirAll(filepath.Dir(at(name)), 0o755)
		os.WriteFile(at(name), []byte(text), 0o644)
		return at(name)
	}
	npzOf := func(name string, arrays map[string]any, shapes map[string][]int) string {
		w, err := npy.CreateNPZ(at(name))
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"x", "y", "classes", "data_feature", "data_attribute", "data_gen_flag"} {
			if v, ok := arrays[k]; ok {
				w.Add(k, v, shapes[k]...)
			}
		}
		if err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		return at(name)
	}
	x := []float64{1, 2, 3, 4, 5, 6, 7, 8}
	labels2 := npzOf("labels2.npz", map[string]any{"x": x, "y": []float64{3, 0, 1, 1}}, map[string][]int{"x": {2, 4}, "y": {2, 2}})
	newline := npzOf("newline.npz", map[string]any{"x": x, "y": []int64{0, 1}, "classes": []byte("a\n\nb")}, map[string][]int{"x": {2, 4}})
	npy.WriteFile(at("xs.npy"), x, 2, 4)
	npy.WriteFile(at("ys.npy"), []float64{0, math.NaN()})
	dg := npzOf("dg.npz", map[string]any{
		"data_feature":   []float64{1, 2, 3, 4, 5, 6},
		"data_attribute": []float64{0, 0, 1, 1, math.NaN(), 0},
		"data_gen_flag":  []float64{1, 1, 1, 1, 1, 1},
	}, map[string][]int{"data_feature": {3, 2, 1}, "data_attribute": {3, 2}, "data_gen_flag": {3, 2}})
	page := "Foo_en.wikipedia.org_desktop_all-agents"
	ns := "srcip,dstip,srcport,dstport,proto,time,pkt_len\n"
	write("dup/labels.csv", "file,label\na.csv,x\n")
	write("dup/a.csv", "time,size,size,direction\n0,1,2,1\n")
	write("empty/labels.csv", "file,label\na.csv,\" \"\n")
	write("empty/a.csv", "time,size,direction\n0,1,1\n")
	tr := &traffic.Trace{ID: "c", Label: "x", Packets: []traffic.Packet{{Time: 0, Size: 100, Dir: traffic.Up}, {Time: 1, Size: 200, Dir: traffic.Down}, {Time: 2, Size: 300, Dir: traffic.Up}}}
	os.MkdirAll(at("caps"), 0o755)
	if err := trafficio.WritePcap(at("caps/c.pcap"), tr, trafficio.DefaultEndpoints()); err != nil {
		t.Fatal(err)
	}
	capture, _ := os.ReadFile(at("caps/c.pcap"))
	os.WriteFile(at("caps/c.pcap"), capture[:len(capture)-20], 0o644)
	write("caps/labels.csv", "file,label\nc.pcap,x\n")
	runHostile(t, []hostileCase{
		{"labels of shape (N, 2) that are not one-hot", []string{"data", "stats", "-from", "npz", "-in", labels2, "-q"}, "row 0 holds 3 in column 0"},
		{"a class name with an embedded newline", []string{"data", "stats", "-from", "npz", "-in", newline, "-q"}, `name 2 of 3: class name "" is empty`},
		{"a NaN label names the labels file", []string{"data", "stats", "-from", "npy", "-in", at("xs.npy") + "," + at("ys.npy"), "-q"}, at("ys.npy") + ": label 1 is NaN"},
		{"DoppelGANger attributes not one-hot, -strict", []string{"data", "stats", "-from", "dg", "-in", dg, "-strict", "-q"}, "not one-hot"},
		{"a trace header names a column twice", []string{"data", "stats", "-from", "folder", "-in", at("dup"), "-strict", "-q"}, `names the column "size" twice`},
		{"an empty class name, -strict", []string{"data", "stats", "-from", "folder", "-in", at("empty"), "-strict", "-q"}, "row without file or label"},
		{"an empty -classes name", []string{"data", "stats", "-from", "npz", "-in", newline, "-classes", "a,", "-q"}, `class name "" is empty`},
		{"wide Wikipedia dates out of order", []string{"data", "stats", "-from", "wiki-wide", "-in", write("w1.csv", "Page,2015-07-02,2015-07-01\n"+page+",1,2\n"), "-q"}, "2015-07-01 after 2015-07-02"},
		{"wide Wikipedia dates thousands of years apart", []string{"data", "stats", "-from", "wiki-wide", "-in", write("w2.csv", "Page,0001-07-01,2015-07-01\n"+page+",1,2\n"), "-q"}, "consecutive days"},
		{"wide Wikipedia date twice", []string{"data", "stats", "-from", "wiki-wide", "-in", write("w3.csv", "Page,2015-07-01,2015-07-01\n"+page+",1,2\n"), "-q"}, "consecutive days"},
		{"wide Wikipedia header not a date", []string{"data", "stats", "-from", "wiki-wide", "-in", write("w4.csv", "Page,views,2015-07-01\n"+page+",1,2\n"), "-q"}, `"views" is not a YYYY-MM-DD date`},
		{"wide Wikipedia page twice, -strict", []string{"data", "stats", "-from", "wiki-wide", "-in", write("w5.csv", "Page,2015-07-01,2015-07-02\n"+page+",1,2\n"+page+",3,4\n"), "-strict", "-q"}, "page already on line 2"},
		{"long Wikipedia date twice, -strict", []string{"data", "stats", "-from", "wiki-long", "-in", write("w6.csv", "Page,date,value\n"+page+",2015-07-01,1\n"+page+",2015-07-01,2\n"), "-strict", "-q"}, "given twice"},
		{"a truncated capture, -strict", []string{"data", "stats", "-from", "pcap", "-in", at("caps"), "-rule", "ip=192.168.1.20", "-strict", "-q"}, "capture ends early at packet 3"},
		{"NetShare IP 999.1.1.1, -strict", []string{"data", "stats", "-from", "netshare-packets", "-in", write("n1.csv", ns+"999.1.1.1,2.2.2.2,1,2,6,0,60\n"), "-strict", "-q"}, `srcip "999.1.1.1" is not an IP address`},
		{"NetShare port 70000, -strict", []string{"data", "stats", "-from", "netshare-packets", "-in", write("n2.csv", ns+"1.1.1.1,2.2.2.2,70000,2,6,0,60\n"), "-strict", "-q"}, `srcport "70000" is not a port number`},
	})
	// Without -strict the same rows are reported, not silently kept.
	out := mustRun(t, "data", "stats", "-from", "netshare-packets", "-in", write("n3.csv", ns+"999.1.1.1,2.2.2.2,1,2,6,0,60\n1.1.1.1,2.2.2.2,1,2,6,1,60\n"), "-q")
	if !strings.Contains(out, "skipped or repaired 1") || !strings.Contains(out, "999.1.1.1") {
		t.Errorf("NetShare row with a bad IP is not reported:\n%s", out)
	}
	out = mustRun(t, "data", "stats", "-from", "dg", "-in", dg, "-q")
	if !strings.Contains(out, "skipped or repaired 3") {
		t.Errorf("DoppelGANger rows that are not one-hot are not all reported:\n%s", out)
	}
}

// TestUnclearErrorsMadeClear: valid input that used to fail with a message about something else now
// works, and errors name the flag or file they are about.
func TestUnclearErrorsMadeClear(t *testing.T) {
	at := hostileFiles(t, t.TempDir())
	px := make([]float32, 8*4*4)
	for i := range px {
		px[i] = float32((i*7)%16) / 15
	}
	npy.WriteFile(at("real.npy"), px, 8, 4, 4)
	for i := range px {
		px[i] = float32((i*5)%16) / 15
	}
	npy.WriteFile(at("synth.npy"), px, 8, 4, 4)
	// eval of two .npy image sets needs no -bins (it used to fail with "histogram needs bins >= 1").
	out := mustRun(t, "eval", "-real", at("real.npy"), "-synth", at("synth.npy"))
	if !strings.Contains(out, "pixel histograms on [0, 1], 32 bins") {
		t.Errorf("eval on .npy images does not use the preset's histogram bins:\n%s", out)
	}
	// image accepts -q as data does.
	mustRun(t, "image", "-in", at("x.npy"), "-out", at("q"), "-size", "4", "-q")
	// A missing file is reported as missing, not as malformed data.
	_, err := netdiffus(t, "image", "-in", at("missing.npz"), "-out", at("o"))
	if err == nil || strings.Contains(err.Error(), "malformed") || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing input: %v", err)
	}
	runHostile(t, []hostileCase{
		{"-set Sample.Guidance=NaN names the field", []string{"sample", "-set", "Sample.Guidance=NaN", "-print-config"}, `-set Sample.Guidance=NaN: "NaN" is not a finite number`},
		{"generate -step NaN names the flag", []string{"generate", "-step", "NaN"}, "-step NaN: want a finite number"},
		{"eval -features pca:0 names the flag", []string{"eval", "-real", at("real.npy"), "-synth", at("synth.npy"), "-features", "pca:0"}, "-features pca:0: K 0: want 1..65536"},
	})
}
