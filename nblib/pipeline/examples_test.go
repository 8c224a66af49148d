package pipeline

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/internal/npy"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

func ramp(n int, phase float64) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = 3 + math.Sin(float64(i)/3+phase)*float64(i)
	}
	return s
}

// TestDecodeInvertsImaging: with no resize (side = length), the GASF diagonal holds
// p = round(255 x^(2 gamma)) of the min-max scaled series x, so the decoded x = (p/255)^(1/(2 gamma)) is
// within 2 * 0.5/255 of x for gamma 0.25 (|dx/dp| = 2 p <= 2 on [0, 1]).
func TestDecodeInvertsImaging(t *testing.T) {
	series := [][]float64{ramp(16, 0), ramp(16, 1)}
	x, err := ImageArray(series, 16)
	if err != nil {
		t.Fatal(err)
	}
	back, err := Decode(x)
	if err != nil {
		t.Fatal(err)
	}
	for k, s := range series {
		lo, hi := minMax(s)
		for i, v := range s {
			if want := (v - lo) / (hi - lo); math.Abs(back[k][i]-want) > 2*0.5/255+1e-9 {
				t.Errorf("series %d value %d: decoded %.5f, want %.5f", k, i, back[k][i], want)
			}
		}
	}
}

func TestExamplesRoundTrip(t *testing.T) {
	dir := t.TempDir()
	series := [][]float64{ramp(32, 0), ramp(32, 1), ramp(32, 2)}
	img, err := ImageArray(series, 8)
	if err != nil {
		t.Fatal(err)
	}
	ser, err := SeriesArray(series, 8)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Examples{{X: img, Labels: []int{0, 1, 1}, Classes: []string{"a", "b"}}, {X: ser, Labels: []int{1, 0, 1}, Classes: []string{"a", "b"}}} {
		path := filepath.Join(dir, e.Key()+".npz")
		if err := WriteExamples(path, e); err != nil {
			t.Fatal(err)
		}
		checkExamplesLayout(t, path, e)
		got, err := ReadExamples(path)
		if err != nil {
			t.Fatal(err)
		}
		if !sameInts(got.X.Shape, e.X.Shape) || !sameInts(got.Labels, e.Labels) || strings.Join(got.Classes, ",") != "a,b" {
			t.Fatalf("%s: shape %v labels %v classes %v", e.Key(), got.X.Shape, got.Labels, got.Classes)
		}
		for i, v := range got.X.Data { // images are on the 8-bit grid: exact; series float32 in [0, 1]
			if math.Abs(float64(v-e.X.Data[i])) > 1e-6 {
				t.Fatalf("%s: value %d read back as %v, wrote %v", e.Key(), i, v, e.X.Data[i])
			}
		}
	}
	three := Examples{X: img, Labels: []int{0, 0, 0}, Classes: []string{"a"}}
	train, test, err := three.Split(0.5)
	if err != nil || !sameInts(train.Labels, []int{0, 0}) || !sameInts(test.Labels, []int{0}) {
		t.Errorf("split: train %v test %v, %v", train.Labels, test.Labels, err)
	}
	if _, _, err := three.Split(0.9); err == nil || !strings.Contains(err.Error(), "leaves 3 for training and 0 for testing") {
		t.Errorf("0.9 of 3 examples leaves no test side: %v", err)
	}
	if err := WriteExamples(filepath.Join(dir, "bad.npz"), Examples{X: img, Labels: []int{0}}); err == nil {
		t.Error("1 label for 3 images must be an error")
	}
}

// checkExamplesLayout checks the archive numpy.load sees: exactly the three arrays, with the
// documented dtypes and shapes (images uint8 [N, S, S], series float32 [N, L], labels int64 [N],
// classes uint8 text).
func checkExamplesLayout(t *testing.T, path string, e Examples) {
	t.Helper()
	ar, err := npy.OpenNPZ(path, npy.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	names := []string{"classes", e.Key(), "labels"}
	sort.Strings(names)
	if got := strings.Join(ar.Names(), ","); got != strings.Join(names, ",") {
		t.Errorf("%s: arrays %s", path, got)
	}
	n := e.X.Batch()
	want := map[string]struct {
		descr string
		shape []int
	}{
		"labels":  {"<i8", []int{n}},
		"classes": {"|u1", []int{len(strings.Join(e.Classes, "\n"))}},
		"images":  {"|u1", e.X.Shape[:3]},
		"series":  {"<f4", e.X.Shape[:2]},
	}
	for _, name := range []string{"labels", "classes", e.Key()} {
		h, err := ar.Header(name)
		if err != nil {
			t.Fatal(err)
		}
		if w := want[name]; h.Descr != w.descr || !sameInts(h.Shape, w.shape) {
			t.Errorf("%s: %s is %s %v, want %s %v", path, name, h.Descr, h.Shape, w.descr, w.shape)
		}
	}
}

func TestReadExamplesBadInput(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.npz")
	os.WriteFile(text, []byte("not a zip"), 0o644)
	if _, err := ReadExamples(text); err == nil || !strings.Contains(err.Error(), text) {
		t.Errorf("a text file: %v", err)
	}
	if _, err := ReadExamples(filepath.Join(dir, "missing.npz")); err == nil || !strings.Contains(err.Error(), "missing.npz") {
		t.Errorf("a missing file: %v", err)
	}
	// A trace NPZ of netdiffus data (x, y) is not an image archive.
	ds, err := traffic.NewDataset("t", []traffic.Trace{{ID: "a", Label: "a", Values: []float64{1, 2}}}, nil, traffic.Feature{Kind: traffic.Values, Length: 2})
	if err != nil {
		t.Fatal(err)
	}
	traces := filepath.Join(dir, "traces.npz")
	if err := trafficio.WriteNPZ(traces, ds, ds.Default); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadExamples(traces); err == nil || !strings.Contains(err.Error(), "netdiffus image") {
		t.Errorf("a trace archive: %v", err)
	}
}

// TestTracesForWriters: decoded series become traces the CSV-folder and NPZ writers accept, scaled to
// the class ranges, and read back as the same series.
func TestTracesForWriters(t *testing.T) {
	series := [][]float64{{0, 0.5, 1}, {1, 0, 0.25}}
	ds, feat, err := Traces("syn", []string{"x", "y"}, series, []int{1, 0}, [][2]float64{{0, 10}, {100, 200}}, 0.25)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := trafficio.WriteCSVFolder(filepath.Join(dir, "traces"), ds); err != nil {
		t.Fatal(err)
	}
	npz := filepath.Join(dir, "traces.npz")
	if err := trafficio.WriteNPZ(npz, ds, feat); err != nil {
		t.Fatal(err)
	}
	back, _, err := trafficio.ReadNPZ(npz, trafficio.ArrayOptions{Classes: []string{"x", "y"}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := back.Series(back.Default)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{{100, 150, 200}, {10, 0, 2.5}}
	for i := range want {
		for j := range want[i] {
			if math.Abs(got[i][j]-want[i][j]) > 1e-9 || back.Traces[i].Label != ds.Traces[i].Label {
				t.Fatalf("trace %d: %v (%s), want %v", i, got[i], back.Traces[i].Label, want[i])
			}
		}
	}
	folder, _, err := trafficio.ReadCSVFolder(filepath.Join(dir, "traces"), trafficio.FolderOptions{})
	if err != nil || len(folder.Traces) != 2 || folder.Traces[0].Packets[2].Time != 0.5 {
		t.Errorf("CSV folder: %v, %+v", err, folder)
	}
	if _, _, err := Traces("syn", []string{"x"}, series, []int{0, 3}, nil, 1); err == nil {
		t.Error("label 3 of 1 class must be an error")
	}
}

// TestWriteSamples: images go to the NPZ and, one per image, to PNGs whose pixels are the NPZ's bytes;
// series go to the NPZ only; a PNG folder that cannot be made is an error naming it.
func TestWriteSamples(t *testing.T) {
	dir := t.TempDir()
	series := [][]float64{ramp(32, 0), ramp(32, 1), ramp(32, 2)}
	img, err := ImageArray(series, 8)
	if err != nil {
		t.Fatal(err)
	}
	e := Examples{X: img, Labels: []int{0, 1, 1}, Classes: []string{"a", "b"}}
	pngs := filepath.Join(dir, "png")
	if err := WriteSamples(filepath.Join(dir, "s.npz"), pngs, e); err != nil {
		t.Fatal(err)
	}
	back, err := ReadExamples(filepath.Join(dir, "s.npz"))
	if err != nil || back.X.Batch() != 3 {
		t.Fatalf("NPZ: %v, %v", err, back.X.Shape)
	}
	for i, name := range []string{"class0_00000.png", "class1_00001.png", "class1_00002.png"} {
		fh, err := os.Open(filepath.Join(pngs, name))
		if err != nil {
			t.Fatal(err)
		}
		im, err := png.Decode(fh)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		gray, ok := im.(*image.Gray)
		if !ok || !bytes.Equal(gray.Pix, pixels.ModelToBytes(back.X.Example(i))) {
			t.Errorf("%s does not hold the pixels of sample %d", name, i)
		}
	}
	ser, err := SeriesArray(series, 8)
	if err != nil {
		t.Fatal(err)
	}
	none := filepath.Join(dir, "none")
	if err := WriteSamples(filepath.Join(dir, "series.npz"), none, Examples{X: ser, Labels: []int{0, 1, 1}, Classes: []string{"a", "b"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(none); !os.IsNotExist(err) {
		t.Errorf("series wrote PNGs into %s: %v", none, err)
	}
	blocked := filepath.Join(dir, "s.npz", "png") // a folder under a file
	if err := WriteSamples(filepath.Join(dir, "t.npz"), blocked, e); err == nil || !strings.Contains(err.Error(), blocked) {
		t.Errorf("PNGs under a file: got %v, want an error naming %s", err, blocked)
	}
}
