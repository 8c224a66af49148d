package datasets

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

// The embedded real datasets: file names under datasets/real and the
// folders of the raw copies (../shared/datasets layout, see fetch.sh) they are
// built from.
const (
	AlexaFile    = "alexa.npz"    // from vcfp-alexa
	PensieveFile = "pensieve.npz" // from pensieve-bw
	SumsFile     = "SHA256SUMS"   // sha256sum format, one line per .npz
)

// PensieveFolders are the pensieve-bw folders embedded, in this order.
var PensieveFolders = []string{"cooked_test_traces", "cooked_traces"}

// BuildAlexa reads VCFingerprinting's per-trace CSVs (dir/trace_csv with
// dir/labels.csv, the layout fetch.sh writes) and encodes them as the
// embedded alexa.npz: per packet the time quantised to 1 µs, the size in
// bytes and the direction. Times are stored as the gap in µs from the
// previous packet of the trace (the first packet's from 0) split into two
// uint16 halves, gap = 65536*gap_hi + gap_lo, which deflate compresses a
// fifth better than one int32 array. Packets a few microseconds out of order are sorted by time, as
// trafficio.ReadCSVFolder does; any other problem in the raw files is an
// error, so the embedded form never silently drops data.
func BuildAlexa(dir string) ([]byte, error) {
	ds, rep, err := trafficio.ReadCSVFolder(filepath.Join(dir, "trace_csv"),
		trafficio.FolderOptions{Labels: filepath.Join(dir, "labels.csv"), Options: trafficio.Options{Strict: true}})
	if err != nil {
		return nil, fmt.Errorf("alexa from %s: %w", dir, err)
	}
	for _, s := range rep.Skipped {
		if !strings.Contains(s.Reason, "sorted by time") {
			return nil, fmt.Errorf("alexa from %s: %s: %s (the embedded form keeps every packet; fix the raw copy: datasets/fetch.sh verify vcfp-alexa)", dir, s.Item, s.Reason)
		}
	}
	return encodeAlexa(ds)
}

func encodeAlexa(ds *traffic.Dataset) ([]byte, error) {
	n := len(ds.Traces)
	files, groups := make([]string, n), make([]string, n)
	labels := make([]int16, n)
	offsets := make([]int64, 1, n+1)
	var lo, hi []uint16
	var size []uint16
	var dir []int8
	for i, t := range ds.Traces {
		files[i], groups[i], labels[i] = t.ID, t.Group, int16(t.Class)
		prev := int64(0)
		for k, p := range t.Packets {
			us := int64(math.Round(p.Time * 1e6))
			d := us - prev
			if d < 0 || d > math.MaxUint32 || p.Size > math.MaxUint16 || p.Size != math.Trunc(p.Size) {
				return nil, fmt.Errorf("alexa: %s packet %d: gap %d µs or size %g does not fit 0..2^32-1 µs / uint16 bytes", t.ID, k+1, d, p.Size)
			}
			prev = us
			lo, hi = append(lo, uint16(d&0xffff)), append(hi, uint16(d>>16))
			size, dir = append(size, uint16(p.Size)), append(dir, int8(p.Dir))
		}
		offsets = append(offsets, int64(len(size)))
	}
	cl, err := joinText("classes", ds.Classes)
	if err != nil {
		return nil, err
	}
	fl, err := joinText("files", files)
	if err != nil {
		return nil, err
	}
	gr, err := joinText("groups", groups)
	if err != nil {
		return nil, err
	}
	return deterministicNPZ([]member{
		{"classes", cl}, {"files", fl}, {"groups", gr}, {"label", labels},
		{"offsets", offsets}, {"gap_lo", lo}, {"gap_hi", hi}, {"size", size}, {"direction", dir},
	})
}

// joinText stores strings as newline-separated UTF-8 bytes (a uint8 array,
// as trafficio.WriteNPZ stores class names).
func joinText(what string, s []string) ([]byte, error) {
	for _, x := range s {
		if strings.ContainsAny(x, "\n\r") {
			return nil, fmt.Errorf("%s: %q contains a line break", what, x)
		}
	}
	return []byte(strings.Join(s, "\n")), nil
}

// BuildPensieve reads Pensieve's bandwidth logs (dir/cooked_test_traces and
// dir/cooked_traces, lines "<time s> <Mbit/s>") and encodes them as the
// embedded pensieve.npz: per line the time in whole milliseconds (as the
// delta from the previous line; every upstream time is a whole millisecond to
// within 1 µs, and a time that is not is an error) and the rate as float32
// Mbit/s (relative rounding error below 6e-8). Files are taken in name
// order within each folder.
func BuildPensieve(dir string) ([]byte, error) {
	var files []string
	offsets := []int64{0}
	var dt []int32
	var rate []float32
	for _, folder := range PensieveFolders {
		ents, err := os.ReadDir(filepath.Join(dir, folder))
		if err != nil {
			return nil, fmt.Errorf("pensieve: %w (fetch it with datasets/fetch.sh get pensieve-bw)", err)
		}
		var names []string
		for _, e := range ents {
			if e.Type().IsRegular() && e.Name() != "SOURCE.txt" {
				names = append(names, e.Name())
			}
		}
		sort.Strings(names)
		for _, name := range names {
			ms, r, err := readRateLines(filepath.Join(dir, folder, name))
			if err != nil {
				return nil, err
			}
			files = append(files, folder+"/"+name)
			dt, rate = append(dt, ms...), append(rate, r...)
			offsets = append(offsets, int64(len(dt)))
		}
	}
	labels, classes := pensieveLabels(files)
	cl, err := joinText("classes", classes)
	if err != nil {
		return nil, err
	}
	fl, err := joinText("files", files)
	if err != nil {
		return nil, err
	}
	return deterministicNPZ([]member{
		{"classes", cl}, {"files", fl}, {"label", labels},
		{"offsets", offsets}, {"time_ms", dt}, {"mbps", rate},
	})
}

// readRateLines parses one log strictly: millisecond time deltas and rates.
func readRateLines(path string) ([]int32, []float32, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	var dt []int32
	var rate []float32
	prev := int64(0)
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if len(fields) != 2 {
			return nil, nil, fmt.Errorf("%s:%d: %d fields, want \"<time s> <Mbit/s>\"", path, line, len(fields))
		}
		t, err1 := strconv.ParseFloat(fields[0], 64)
		r, err2 := strconv.ParseFloat(fields[1], 64)
		ms := math.Round(t * 1000)
		switch {
		case err1 != nil || err2 != nil || !(r >= 0) || math.IsInf(r, 0) || math.IsNaN(t):
			return nil, nil, fmt.Errorf("%s:%d: %q is not a time and a non-negative rate", path, line, sc.Text())
		case math.Abs(t*1000-ms) > 1e-3:
			return nil, nil, fmt.Errorf("%s:%d: time %v s is not a whole millisecond; the embedded form stores milliseconds", path, line, t)
		case int64(ms)-prev < 0 || int64(ms)-prev > math.MaxInt32:
			return nil, nil, fmt.Errorf("%s:%d: time %v s goes backwards or jumps too far", path, line, t)
		}
		dt, rate = append(dt, int32(int64(ms)-prev)), append(rate, float32(r))
		prev = int64(ms)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return dt, rate, nil
}

// pensieveLabels labels files "folder/name" by transport mode
// (trafficio.PensieveLabel); classes are the sorted distinct labels.
func pensieveLabels(files []string) ([]int8, []string) {
	seen := map[string]bool{}
	var classes []string
	for _, f := range files {
		l, _ := trafficio.PensieveLabel(filepath.Base(f))
		if !seen[l] {
			seen[l] = true
			classes = append(classes, l)
		}
	}
	sort.Strings(classes)
	index := map[string]int8{}
	for i, c := range classes {
		index[c] = int8(i)
	}
	labels := make([]int8, len(files))
	for i, f := range files {
		l, _ := trafficio.PensieveLabel(filepath.Base(f))
		labels[i] = index[l]
	}
	return labels, classes
}

// BuildReal rebuilds both embedded files from a shared datasets folder
// (holding vcfp-alexa and pensieve-bw) and returns their bytes by file name.
func BuildReal(shared string) (map[string][]byte, error) {
	a, err := BuildAlexa(filepath.Join(shared, "vcfp-alexa"))
	if err != nil {
		return nil, err
	}
	p, err := BuildPensieve(filepath.Join(shared, "pensieve-bw"))
	if err != nil {
		return nil, err
	}
	return map[string][]byte{AlexaFile: a, PensieveFile: p}, nil
}

// Sums formats SHA-256 checksums of files in sha256sum's format (check them
// with `sha256sum -c SHA256SUMS` inside datasets/real), sorted by name.
func Sums(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "%x  %s\n", sha256.Sum256(files[n]), n)
	}
	return b.String()
}
