package trafficio

import (
	"bytes"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// syntheticSeriesDataset is what netdiffus generate writes: series of a feature turned into packets
// by traffic.PacketsFromSeries, here binned bytes and padded signed sizes.
func syntheticSeriesDataset(t *testing.T, f traffic.Feature, series [][]float64) *traffic.Dataset {
	t.Helper()
	traces := make([]traffic.Trace, len(series))
	for i, s := range series {
		pk, err := traffic.PacketsFromSeries(s, f, 0.01)
		if err != nil {
			t.Fatal(err)
		}
		traces[i] = traffic.Trace{ID: "synthetic-" + strconv.Itoa(i), Label: []string{"a", "b"}[i%2], Packets: pk}
	}
	ds, err := traffic.NewDataset("synthetic", traces, nil, f)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func randomSeries(rng *rand.Rand, n, length int, f traffic.Feature) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		s := make([]float64, length)
		end := length - rng.IntN(length/2) // signed sizes: f.Of's zero padding after the last packet
		for k := range s {
			switch {
			case f.Kind == traffic.BytesPerBin && (k == 0 || rng.IntN(5) > 0):
				s[k] = float64(traffic.MinFrame + rng.IntN(30000))
			case f.Kind == traffic.SignedSizes && k < end:
				s[k] = float64((2*rng.IntN(2) - 1) * (traffic.MinFrame + rng.IntN(traffic.MaxFrame-traffic.MinFrame+1)))
			}
		}
		out[i] = s
	}
	return out
}

// Captures of synthetic series, in both formats, open in tshark with no warning and as many packets
// as written (capinfos counts them too), and ReadPcaps reads them back to the series written.
func TestSyntheticCapturesOpenInTshark(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		t.Skip("tshark is not installed (Debian: apt-get install tshark): the captures are not checked against Wireshark's dissectors")
	}
	rng := rand.New(rand.NewPCG(24, 3))
	e := DefaultEndpoints()
	for _, f := range []traffic.Feature{traffic.BinnedBytes(0.25, 5, traffic.Down), traffic.PacketFeature(traffic.SignedSizes, 30)} {
		series := randomSeries(rng, 2, f.Length, f)
		ds := syntheticSeriesDataset(t, f, series)
		for _, format := range []CaptureFormat{Pcap, PcapNg} {
			dir := t.TempDir()
			if err := WriteCaptureFolder(dir, ds, e, format); err != nil {
				t.Fatal(err)
			}
			for _, tr := range ds.Traces {
				path := filepath.Join(dir, tr.ID+"."+string(format))
				checkTshark(t, tshark, path, len(tr.Packets))
			}
			back, rep, err := ReadPcaps(dir, PcapOptions{Rule: e.Rule(), Feature: f})
			if err != nil || len(rep.Skipped) != 0 {
				t.Fatalf("%v %s: read back: %v %v", f, format, err, rep.Skipped)
			}
			got, err := back.Series(f)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range series {
				for k := range want {
					if math.Abs(got[i][k]-want[k]) > 1e-6 {
						t.Fatalf("%v %s trace %d value %d: read back %g, generated %g", f, format, i, k, got[i][k], want[k])
					}
				}
			}
		}
	}
}

// checkTshark runs tshark over a capture and fails on any warning on stderr (but its note about
// running as root), any expert-info warning or error, or a packet count other than want.
func checkTshark(t *testing.T, tshark, path string, want int) {
	t.Helper()
	cmd := exec.Command(tshark, "-n", "-r", path, "-q", "-z", "expert,warn")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tshark -r %s: %v\n%s", path, err, stderr.String())
	}
	for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if line != "" && !strings.Contains(line, "Running as user \"root\"") {
			t.Errorf("tshark -r %s warns: %s", filepath.Base(path), line)
		}
	}
	if out := stdout.String(); strings.Contains(out, "Warns") || strings.Contains(out, "Errors") || strings.Contains(out, "Malformed") {
		t.Errorf("tshark expert info on %s:\n%s", filepath.Base(path), out)
	}
	count := exec.Command(tshark, "-n", "-r", path, "-T", "fields", "-e", "frame.len")
	out, err := count.Output()
	if err != nil {
		t.Fatal(err)
	}
	if n := len(strings.Fields(string(out))); n != want {
		t.Errorf("tshark reads %d packets in %s, %d written", n, filepath.Base(path), want)
	}
	if capinfos, err := exec.LookPath("capinfos"); err == nil {
		out, err := exec.Command(capinfos, "-c", "-M", path).Output()
		if err != nil || !strings.Contains(string(out), "Number of packets:") || !strings.HasSuffix(strings.TrimSpace(string(out)), " "+strconv.Itoa(want)) {
			t.Errorf("capinfos -c %s: %q, %v: want %d packets", filepath.Base(path), out, err, want)
		}
	}
}

// realCapture is a real CAIDA backbone capture (raw IP, pcapng) in the shared datasets.
const realCapture = "../../../../shared/datasets/netshare-samples/caida-small/raw.pcap"

// A real capture survives pcap -> trace -> pcap -> trace: the first write changes only what the
// format imposes (raw IP becomes Ethernet: 14 bytes more per frame; times relative to a start kept
// to the nanosecond), and a second round gives exactly the trace of the first.
func TestRealCaptureRoundTrip(t *testing.T) {
	if _, err := os.Stat(realCapture); err != nil {
		t.Skipf("the real CAIDA capture is absent (%v): fetch the shared datasets (datasets/fetch.sh)", err)
	}
	rule, err := ParseDirectionRule("net=0.0.0.0/1,otherwise=down") // half the address space is "the device"
	if err != nil {
		t.Fatal(err)
	}
	orig, rep, err := ReadPcap(realCapture, rule, traffic.Trace{ID: "caida", Label: "backbone"})
	if err != nil || orig == nil || len(orig.Packets) != 1000 {
		t.Fatalf("reading %s: %v %v", realCapture, err, rep.Skipped)
	}
	ups := 0
	for _, p := range orig.Packets {
		if p.Dir == traffic.Up {
			ups++
		}
	}
	if ups == 0 || ups == len(orig.Packets) {
		t.Fatalf("%d of %d packets up: the test needs both directions", ups, len(orig.Packets))
	}
	t0 := orig.Packets[0].Time
	e := DefaultEndpoints()
	e.Start = time.Unix(0, int64(math.Round(t0*1e6))*1000).UTC() // the capture's microseconds
	rel := traffic.Trace{ID: "caida", Label: "backbone"}
	for _, p := range orig.Packets {
		rel.Packets = append(rel.Packets, traffic.Packet{Time: p.Time - t0, Size: p.Size + 14, Dir: p.Dir})
	}
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.pcap"), filepath.Join(dir, "second.pcapng")
	if err := WriteCapture(first, &rel, e, Pcap); err != nil {
		t.Fatal(err)
	}
	back1, _, err := ReadPcap(first, e.Rule(), traffic.Trace{ID: "caida"})
	if err != nil || back1 == nil {
		t.Fatal(err)
	}
	for k, p := range orig.Packets {
		q := back1.Packets[k]
		if q.Size != p.Size+14 || q.Dir != p.Dir || math.Abs(q.Time-p.Time) > 1e-6 {
			t.Fatalf("packet %d: read back %+v from the written capture, %+v from the real one", k, q, p)
		}
	}
	for k := range back1.Packets {
		back1.Packets[k].Time -= t0
	}
	if err := WriteCapture(second, back1, e, PcapNg); err != nil {
		t.Fatal(err)
	}
	back2, _, err := ReadPcap(second, e.Rule(), traffic.Trace{ID: "caida"})
	if err != nil || back2 == nil || len(back2.Packets) != len(back1.Packets) {
		t.Fatalf("second round: %v", err)
	}
	for k, p := range back1.Packets {
		if q := back2.Packets[k]; q.Size != p.Size || q.Dir != p.Dir || math.Abs(q.Time-t0-p.Time) > 1e-6 {
			t.Fatalf("packet %d: second round %+v, first %+v", k, q, p)
		}
	}
}
