package datasets

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

// sharedData is the raw datasets folder next to the repository root.
const sharedData = "../../shared/datasets"

func needShared(t *testing.T, sub string) string {
	t.Helper()
	p := filepath.Join(sharedData, sub)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("raw dataset %s not present (%v): this test needs the shared datasets folder next to the repository (datasets/fetch.sh get)", p, err)
	}
	return p
}

// TestRegenerateMatchesCommitted rebuilds both embedded files from the raw
// copies and compares them byte for byte with the committed ones.
func TestRegenerateMatchesCommitted(t *testing.T) {
	needShared(t, "vcfp-alexa")
	needShared(t, "pensieve-bw")
	files, err := BuildReal(sharedData)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range files {
		committed, err := Embedded(name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, committed) {
			t.Errorf("%s: rebuilt %d bytes differ from the committed %d: run go run ./scripts/mkrealdata -write and review the change", name, len(b), len(committed))
		}
	}
}

// TestEmbeddedChecksums checks the embedded bytes against SHA256SUMS.
func TestEmbeddedChecksums(t *testing.T) {
	want, err := os.ReadFile(filepath.Join("real", SumsFile))
	if err != nil {
		t.Fatal(err)
	}
	got := Sums(map[string][]byte{AlexaFile: alexaNPZ, PensieveFile: pensieveNPZ})
	if got != string(want) {
		t.Errorf("embedded files do not match real/%s:\ngot\n%swant\n%s", SumsFile, got, want)
	}
	t.Logf("embedded sizes: %s %d bytes, %s %d bytes, %d in all", AlexaFile, len(alexaNPZ), PensieveFile, len(pensieveNPZ), len(alexaNPZ)+len(pensieveNPZ))
}

// TestAlexaMatchesRaw compares the decoded embedded traces with the raw CSVs
// read by trafficio: IDs, labels, groups, sizes and directions exactly,
// times to within the 1 µs quantisation (0.5 µs, plus float rounding).
func TestAlexaMatchesRaw(t *testing.T) {
	dir := needShared(t, "vcfp-alexa")
	raw, _, err := trafficio.ReadCSVFolder(filepath.Join(dir, "trace_csv"), trafficio.FolderOptions{Labels: filepath.Join(dir, "labels.csv")})
	if err != nil {
		t.Fatal(err)
	}
	emb, err := Alexa(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(emb.Classes, raw.Classes) || len(emb.Traces) != len(raw.Traces) {
		t.Fatalf("embedded: %d classes %d traces; raw: %d classes %d traces", len(emb.Classes), len(emb.Traces), len(raw.Classes), len(raw.Traces))
	}
	worst := 0.0
	for i := range raw.Traces {
		r, e := &raw.Traces[i], &emb.Traces[i]
		if r.ID != e.ID || r.Label != e.Label || r.Group != e.Group || len(r.Packets) != len(e.Packets) {
			t.Fatalf("trace %d: raw %s %s %s %d packets, embedded %s %s %s %d", i, r.ID, r.Label, r.Group, len(r.Packets), e.ID, e.Label, e.Group, len(e.Packets))
		}
		for k, p := range r.Packets {
			q := e.Packets[k]
			if p.Size != q.Size || p.Dir != q.Dir {
				t.Fatalf("%s packet %d: raw %+v, embedded %+v", r.ID, k, p, q)
			}
			worst = max(worst, math.Abs(p.Time-q.Time))
		}
	}
	if worst > 0.5e-6+1e-12 {
		t.Errorf("largest time error %g s, want <= 0.5 µs", worst)
	}
	t.Logf("largest time error %.3g s over %d traces", worst, len(raw.Traces))
}

// TestPensieveMatchesRaw compares the embedded series with ReadThroughput on
// the raw logs. Tolerance per bin: 1e-6 relative (float32 rates, 6e-8) plus
// 3 bytes (times rounded to the millisecond move a boundary by < 1 µs, at
// most 9 Mbit/s x 1 µs = 1.1 bytes, twice per bin).
func TestPensieveMatchesRaw(t *testing.T) {
	for _, folder := range PensieveFolders {
		dir := needShared(t, filepath.Join("pensieve-bw", folder))
		raw, _, err := trafficio.ReadThroughput(dir, trafficio.ThroughputOptions{})
		if err != nil {
			t.Fatal(err)
		}
		emb, err := Pensieve(folder)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(emb.Classes, raw.Classes) || len(emb.Traces) != len(raw.Traces) || emb.Default != raw.Default {
			t.Fatalf("%s: embedded %v %d traces %v; raw %v %d traces %v", folder, emb.Classes, len(emb.Traces), emb.Default, raw.Classes, len(raw.Traces), raw.Default)
		}
		worst := 0.0
		for i := range raw.Traces {
			r, e := raw.Traces[i], emb.Traces[i]
			if r.ID != e.ID || r.Label != e.Label || r.Group != e.Group || len(r.Values) != len(e.Values) {
				t.Fatalf("%s trace %d: raw %s/%s %d values, embedded %s/%s %d", folder, i, r.ID, r.Label, len(r.Values), e.ID, e.Label, len(e.Values))
			}
			for k, v := range r.Values {
				d := math.Abs(v - e.Values[k])
				if d > 1e-6*math.Abs(v)+3 {
					t.Fatalf("%s %s bin %d: raw %g, embedded %g", folder, r.ID, k, v, e.Values[k])
				}
				worst = max(worst, d)
			}
		}
		t.Logf("%s: %d traces, largest bin error %.3g bytes", folder, len(raw.Traces), worst)
	}
}

// TestRealShapes checks the served datasets against SOURCE.txt's counts and
// logs the measured sizes the dataset cards quote. No raw data needed.
func TestRealShapes(t *testing.T) {
	for _, c := range []struct {
		name            string
		classes, traces int
		perClass        map[string]int // nil: every class has traces/classes
		minLen, maxLen  int            // packets or values per trace
		feature         traffic.Feature
	}{
		{"alexa", 10, 100, nil, 0, 0, traffic.PacketFeature(traffic.SignedSizes, 300)},
		{"alexa100", 100, 1000, nil, 34, 8658, traffic.PacketFeature(traffic.SignedSizes, 300)},
		{"pensieve", 6, 142, map[string]int{"bus": 23, "car": 12, "ferry": 20, "metro": 10, "train": 21, "tram": 56}, 0, 0,
			traffic.Feature{Kind: traffic.BytesPerBin, Bin: 1, Length: 318}},
	} {
		for _, v := range []Variant{Small, Full} {
			ds, err := Load(c.name, v, DefaultSeed)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Classes) != c.classes || len(ds.Traces) != c.traces || ds.Default != c.feature {
				t.Errorf("%s %s: %d classes %d traces %v, want %d %d %v", c.name, v, len(ds.Classes), len(ds.Traces), ds.Default, c.classes, c.traces, c.feature)
			}
			for k, n := range ds.CountPerClass() {
				want := c.traces / c.classes
				if c.perClass != nil {
					want = c.perClass[ds.Classes[k]]
				}
				if n != want {
					t.Errorf("%s: class %s has %d traces, want %d", c.name, ds.Classes[k], n, want)
				}
			}
			lens := make([]int, len(ds.Traces))
			for i := range ds.Traces {
				lens[i] = ds.Traces[i].Length()
			}
			sort.Ints(lens)
			if c.maxLen > 0 && (lens[0] != c.minLen || lens[len(lens)-1] != c.maxLen) {
				t.Errorf("%s: lengths %d..%d, want %d..%d (SOURCE.txt)", c.name, lens[0], lens[len(lens)-1], c.minLen, c.maxLen)
			}
			x, err := ds.Series(ds.Default)
			if err != nil || len(x) != c.traces || len(x[0]) != c.feature.Length {
				t.Errorf("%s: series: %v", c.name, err)
			}
			if v == Small {
				t.Logf("%s: %d classes, %d traces, length min %d / median %d / max %d", c.name, len(ds.Classes), len(ds.Traces), lens[0], lens[len(lens)/2], lens[len(lens)-1])
			}
		}
	}
}

// TestAlexaSubset checks that the 10-command task is the 100-command one
// restricted to AlexaCommands10, trace for trace.
func TestAlexaSubset(t *testing.T) {
	all, err := Alexa(nil)
	if err != nil {
		t.Fatal(err)
	}
	ten, err := Load("alexa", Small, DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ten.Classes, AlexaCommands10) {
		t.Errorf("classes %v, want %v", ten.Classes, AlexaCommands10)
	}
	var want []traffic.Trace
	for _, tr := range all.Traces {
		for _, c := range AlexaCommands10 {
			if tr.Label == c {
				want = append(want, tr)
			}
		}
	}
	for i := range want {
		want[i].Class = ten.Traces[i].Class
		if !reflect.DeepEqual(want[i], ten.Traces[i]) {
			t.Fatalf("trace %d: %s differs from the 100-command task's", i, ten.Traces[i].ID)
		}
	}
	if _, err := Alexa([]string{"open_the_pod_bay_doors"}); err == nil {
		t.Error("unknown command: want an error")
	}
	if _, err := Pensieve("sim"); err == nil {
		t.Error("unknown folder: want an error")
	}
}

// TestEmbeddedCorrupt checks that damaged embedded bytes give errors, not
// panics or wrong data.
func TestEmbeddedCorrupt(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("PK\x03\x04 not a zip"), alexaNPZ[:len(alexaNPZ)/2]} {
		if _, err := decodeAlexa(b); err == nil {
			t.Errorf("decodeAlexa of %d bytes: want an error", len(b))
		}
		if _, err := decodePensieve(b); err == nil {
			t.Errorf("decodePensieve of %d bytes: want an error", len(b))
		}
	}
	good := []int64{0, 2, 5}
	for _, off := range [][]int64{{0, 2}, {1, 2, 5}, {0, 3, 2}, {0, 2, 6}} {
		if err := checkOffsets("x", off, 2, 5); err == nil {
			t.Errorf("offsets %v: want an error", off)
		}
	}
	if err := checkOffsets("x", good, 2, 5); err != nil {
		t.Error(err)
	}
}

// TestEmbeddedLayout reads the archives with archive/zip and parses each
// member's .npy header by hand (independent of the internal/npy decoder): member
// order, deflate, fixed timestamps, and the NumPy dtypes and shapes the
// README documents, so numpy.load sees what the cards say.
func TestEmbeddedLayout(t *testing.T) {
	for _, c := range []struct {
		file  string
		b     []byte
		descr map[string]string // member -> dtype, in archive order
		order []string
	}{
		{AlexaFile, alexaNPZ, map[string]string{"classes": "|u1", "files": "|u1", "groups": "|u1", "label": "<i2", "offsets": "<i8",
			"gap_lo": "<u2", "gap_hi": "<u2", "size": "<u2", "direction": "|i1"},
			[]string{"classes", "files", "groups", "label", "offsets", "gap_lo", "gap_hi", "size", "direction"}},
		{PensieveFile, pensieveNPZ, map[string]string{"classes": "|u1", "files": "|u1", "label": "|i1", "offsets": "<i8", "time_ms": "<i4", "mbps": "<f4"},
			[]string{"classes", "files", "label", "offsets", "time_ms", "mbps"}},
	} {
		zr, err := zip.NewReader(bytes.NewReader(c.b), int64(len(c.b)))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if len(zr.File) != len(c.order) {
			t.Fatalf("%s: %d members, want %d", c.file, len(zr.File), len(c.order))
		}
		shapes := map[string]int{}
		for i, f := range zr.File {
			name := strings.TrimSuffix(f.Name, ".npy")
			if name != c.order[i] || f.Method != zip.Deflate || !f.Modified.Equal(zipEpoch) {
				t.Errorf("%s member %d: %s method %d modified %v; want %s.npy, deflate, %v", c.file, i, f.Name, f.Method, f.Modified, c.order[i], zipEpoch)
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatal(err)
			}
			descr, n, err := npyHeader(data)
			if err != nil {
				t.Fatalf("%s %s: %v", c.file, f.Name, err)
			}
			if descr != c.descr[name] {
				t.Errorf("%s %s: dtype %s, want %s", c.file, name, descr, c.descr[name])
			}
			shapes[name] = n
		}
		if shapes["offsets"] != shapes["label"]+1 {
			t.Errorf("%s: %d offsets for %d traces", c.file, shapes["offsets"], shapes["label"])
		}
		t.Logf("%s: %v", c.file, shapes)
	}
}

// npyHeader parses a version 1.0 or 2.0 .npy header (2- or 4-byte header
// length) and returns the dtype and the length of a one-dimensional array,
// checking that the data that follows has exactly that many elements.
func npyHeader(b []byte) (string, int, error) {
	if len(b) < 12 || string(b[:6]) != "\x93NUMPY" || (b[6] != 1 && b[6] != 2) {
		return "", 0, fmt.Errorf("not a version 1 or 2 .npy")
	}
	start, hl := 10, int(b[8])|int(b[9])<<8
	if b[6] == 2 {
		start, hl = 12, int(b[8])|int(b[9])<<8|int(b[10])<<16|int(b[11])<<24
	}
	if start+hl > len(b) {
		return "", 0, fmt.Errorf("header length %d past the end", hl)
	}
	h := string(b[start : start+hl])
	d := regexp.MustCompile(`'descr': '([^']+)'`).FindStringSubmatch(h)
	s := regexp.MustCompile(`'shape': \((\d+),\)`).FindStringSubmatch(h)
	if d == nil || s == nil || !strings.Contains(h, "'fortran_order': False") {
		return "", 0, fmt.Errorf("header %q is not a 1-D C-order array", h)
	}
	n, _ := strconv.Atoi(s[1])
	size, _ := strconv.Atoi(d[1][2:])
	if got := len(b) - start - hl; got != n*size {
		return "", 0, fmt.Errorf("header says %d x %d bytes, data has %d", n, size, got)
	}
	return d[1], n, nil
}

func BenchmarkLoadReal(b *testing.B) {
	for _, name := range RealNames() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := Load(name, Small, DefaultSeed); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
