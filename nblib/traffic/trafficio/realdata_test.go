package trafficio

import (
	"bufio"
	"encoding/binary"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// sharedData is the real-capture folder next to the repository root.
const sharedData = "../../../../shared/datasets"

func needShared(t testing.TB, sub string) string {
	t.Helper()
	p := filepath.Join(sharedData, sub)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real dataset %s not present (%v): this test needs the shared datasets folder next to the repository", p, err)
	}
	return p
}

func TestReadCSVFolderVCFP(t *testing.T) {
	dir := needShared(t, "vcfp-alexa")
	ds, rep, err := ReadCSVFolder(filepath.Join(dir, "trace_csv"), FolderOptions{Labels: filepath.Join(dir, "labels.csv")})
	if err != nil {
		t.Fatal(err)
	}
	// Some captures have packets a few microseconds out of order: every
	// report entry must be that repair, nothing else.
	for _, s := range rep.Skipped {
		if !strings.Contains(s.Reason, "not monotonic") {
			t.Errorf("unexpected report entry: %v", s)
		}
	}
	t.Logf("vcfp-alexa: %d traces read, %d sorted by time", rep.Read, len(rep.Skipped))
	if len(ds.Classes) != 100 || len(ds.Traces) != 1000 {
		t.Fatalf("got %d classes, %d traces; SOURCE.txt says 100 x 10", len(ds.Classes), len(ds.Traces))
	}
	for c, n := range ds.CountPerClass() {
		if n != 10 {
			t.Errorf("class %s has %d traces, want 10", ds.Classes[c], n)
		}
	}
	// Independent check of one file: count data lines and read the first row.
	first := ds.Traces[0]
	lines := countDataLines(t, filepath.Join(dir, "trace_csv", first.ID))
	if len(first.Packets) != lines {
		t.Errorf("%s: %d packets, file has %d data lines", first.ID, len(first.Packets), lines)
	}
	want := traffic.Packet{Time: 0, Size: 176, Dir: traffic.Up} // first data row "0,0.0,176.0,1.0"
	if first.Packets[0] != want || first.Group != "L" {
		t.Errorf("first packet %+v group %q, want %+v group L", first.Packets[0], first.Group, want)
	}
	minLen, maxLen := math.MaxInt, 0
	for _, tr := range ds.Traces {
		minLen, maxLen = min(minLen, len(tr.Packets)), max(maxLen, len(tr.Packets))
	}
	if minLen != 34 || maxLen != 8658 { // SOURCE.txt: 34..8658 packets per trace
		t.Errorf("packets per trace %d..%d, SOURCE.txt says 34..8658", minLen, maxLen)
	}
}

func countDataLines(t *testing.T, path string) int {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	n := -1 // header
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() != "" {
			n++
		}
	}
	return n
}

func TestReadThroughputPensieve(t *testing.T) {
	dir := needShared(t, "pensieve-bw/cooked_test_traces")
	ds, rep, err := ReadThroughput(dir, ThroughputOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 0 {
		t.Errorf("unexpected skips: %v", rep.Skipped)
	}
	want := map[string]int{"bus": 23, "car": 12, "ferry": 20, "metro": 10, "train": 21, "tram": 56} // SOURCE.txt
	for c, n := range ds.CountPerClass() {
		if want[ds.Classes[c]] != n {
			t.Errorf("class %s: %d traces, SOURCE.txt says %d", ds.Classes[c], n, want[ds.Classes[c]])
		}
	}
	// Total bytes equal the integral of the step function, computed here
	// directly from the lines; tolerance 1e-9 relative covers summation order.
	tr := ds.Traces[0]
	total := 0.0
	for _, v := range tr.Values {
		total += v
	}
	ref := integralFromFile(t, filepath.Join(dir, tr.ID))
	if math.Abs(total-ref) > 1e-9*ref {
		t.Errorf("%s: binned bytes %g, integral %g", tr.ID, total, ref)
	}
}

func integralFromFile(t *testing.T, path string) float64 {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var ts, rs []float64
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(l)
		a, _ := strconv.ParseFloat(f[0], 64)
		r, _ := strconv.ParseFloat(f[1], 64)
		ts, rs = append(ts, a), append(rs, r)
	}
	sum := 0.0
	for i := 0; i+1 < len(ts); i++ {
		sum += rs[i] * 1e6 / 8 * (ts[i+1] - ts[i])
	}
	return sum
}

// pcapngBlocks walks a pcapng file block by block (a second, independent
// parser) and returns the number of enhanced packet blocks and the sum of
// their original lengths.
func pcapngBlocks(t *testing.T, b []byte) (packets int, bytes float64) {
	for off := 0; off+12 <= len(b); {
		typ := binary.LittleEndian.Uint32(b[off:])
		size := int(binary.LittleEndian.Uint32(b[off+4:]))
		if typ == 6 {
			packets++
			bytes += float64(binary.LittleEndian.Uint32(b[off+24:]))
		}
		if size < 12 {
			t.Fatalf("bad pcapng block size %d at %d", size, off)
		}
		off += size
	}
	return packets, bytes
}

func TestReadPcapNetShare(t *testing.T) {
	path := filepath.Join(needShared(t, "netshare-samples"), "caida-small", "raw.pcap")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	wantN, wantBytes := pcapngBlocks(t, raw)
	rule := DirectionRule{Otherwise: traffic.Up}
	tr, rep, err := ReadPcap(path, rule, traffic.Trace{ID: "caida", Label: "caida"})
	if err != nil {
		t.Fatal(err)
	}
	got := 0.0
	for _, p := range tr.Packets {
		got += p.Size
	}
	if len(tr.Packets) != wantN || got != wantBytes {
		t.Errorf("read %d packets, %g bytes; block walk says %d, %g", len(tr.Packets), got, wantN, wantBytes)
	}
	t.Logf("caida-small: %d packets, %g bytes, report %v", wantN, wantBytes, rep.Skipped)

	// Truncated copy: what was read before the cut is kept and reported.
	cut := filepath.Join(t.TempDir(), "cut.pcapng")
	if err := os.WriteFile(cut, raw[:len(raw)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	tc, rep, err := ReadPcap(cut, rule, traffic.Trace{ID: "cut", Label: "caida"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tc.Packets) == 0 || len(tc.Packets) >= wantN || len(rep.Skipped) != 1 || !strings.Contains(rep.Skipped[0].Reason, "ends early") {
		t.Errorf("truncated capture: %d of %d packets kept, report %v", len(tc.Packets), wantN, rep.Skipped)
	}
}

func TestReadNetShareFlowsUGR16(t *testing.T) {
	path := filepath.Join(needShared(t, "netshare-samples"), "ugr16-small", "raw.csv")
	ds, rep, err := ReadNetShareFlows(path, NetShareOptions{LabelColumn: "type"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 0 {
		t.Errorf("unexpected skips: %v", rep.Skipped)
	}
	flows := map[string]int{}
	bytes := 0.0
	for _, tr := range ds.Traces {
		flows[tr.Label] += len(tr.Packets)
		for _, p := range tr.Packets {
			bytes += p.Size
		}
	}
	if flows["background"] != 999 || flows["blacklist"] != 1 { // SOURCE.txt
		t.Errorf("flows per label %v, SOURCE.txt says background 999 / blacklist 1", flows)
	}
	if want := sumColumn(t, path, 8); bytes != want {
		t.Errorf("total bytes %g, byt column sums to %g", bytes, want)
	}
}

func sumColumn(t *testing.T, path string, col int) float64 {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	s := 0.0
	for _, r := range rows[1:] {
		v, _ := strconv.ParseFloat(r[col], 64)
		s += v
	}
	return s
}

func TestReadWikiTimetk(t *testing.T) {
	path := filepath.Join(needShared(t, "wwt-timetk-sample"), "wikipedia_traffic_daily.csv")
	ds, rep, err := ReadWikiLong(path, WikiOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 0 || len(ds.Traces) != 10 {
		t.Fatalf("%d series, skips %v; SOURCE.txt says 10 pages x 550 days", len(ds.Traces), rep.Skipped)
	}
	for _, tr := range ds.Traces {
		if len(tr.Values) != 550 || tr.Step != 86400 {
			t.Errorf("%s: %d days step %g", tr.ID, len(tr.Values), tr.Step)
		}
	}
	want := map[string]string{
		"Gordon_Ramsay_en.wikipedia.org_all-access_all-agents":          "all-access",
		"Philip,_Duke_of_Edinburgh_de.wikipedia.org_desktop_all-agents": "desktop",
		"DaiGo_ja.wikipedia.org_mobile-web_all-agents":                  "mobile-web",
	}
	for _, tr := range ds.Traces {
		if w, ok := want[tr.ID]; ok && tr.Label != w {
			t.Errorf("%s labelled %s, want %s", tr.ID, tr.Label, w)
		}
	}
	// The wide form of the same data reads back the same series.
	wide := writeWide(t, ds)
	dw, _, err := ReadWikiWide(wide, WikiOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range ds.Traces {
		a, b := ds.Traces[i], dw.Traces[i]
		if a.ID != b.ID || a.Label != b.Label || !equalFloats(a.Values, b.Values) {
			t.Errorf("wide vs long differ at series %d (%s / %s)", i, a.ID, b.ID)
		}
	}
}

// writeWide writes ds as Kaggle's wide layout, with consecutive dates from 2015-07-01.
func writeWide(t *testing.T, ds *traffic.Dataset) string {
	path := filepath.Join(t.TempDir(), "wide.csv")
	f, _ := os.Create(path)
	w := csv.NewWriter(f)
	head := []string{"Page"}
	for i := range ds.Traces[0].Values {
		head = append(head, time.Date(2015, 7, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly))
	}
	w.Write(head)
	for _, tr := range ds.Traces {
		row := []string{tr.ID}
		for _, v := range tr.Values {
			row = append(row, formatFloat(v))
		}
		w.Write(row)
	}
	w.Flush()
	f.Close()
	return path
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
