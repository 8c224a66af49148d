package datasets

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

// The capture folder made from the embedded Echo traces reads back, with the
// endpoints' direction rule, to the embedded packets: directions exactly,
// sizes plus the 14-byte Ethernet header, times to 1 ns.
func TestEchoCaptureFolderRoundTrip(t *testing.T) {
	dir := t.TempDir()
	commands := []string{"tell_me_a_joke", "what_time_is_it"}
	written, e, err := EchoCaptureFolder(dir, commands, 2)
	if err != nil {
		t.Fatal(err)
	}
	rule, err := trafficio.ParseDirectionRule("ip=" + e.DeviceIP.String())
	if err != nil {
		t.Fatal(err)
	}
	got, rep, err := trafficio.ReadPcaps(dir, trafficio.PcapOptions{Rule: rule})
	if err != nil || len(rep.Skipped) != 0 {
		t.Fatalf("read back: %v %v", err, rep.Skipped)
	}
	src, err := Alexa(commands)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Traces) != 4 || !reflect.DeepEqual(got.Classes, commands) {
		t.Fatalf("%d traces, classes %v", len(got.Traces), got.Classes)
	}
	for i, g := range got.Traces {
		w := &written.Traces[i]
		orig := findTrace(t, src, w.ID)
		if g.Label != w.Label || g.Group != w.Group || g.ID != w.ID || len(g.Packets) != len(orig.Packets) {
			t.Fatalf("trace %d: %s %s %s %d packets; wrote %s %s %s %d", i, g.ID, g.Label, g.Group, len(g.Packets), w.ID, w.Label, w.Group, len(orig.Packets))
		}
		for k, p := range orig.Packets {
			q := g.Packets[k]
			if q.Size != p.Size+EthernetHeader || q.Dir != p.Dir || math.Abs(q.Time-p.Time) > 1e-9 {
				t.Fatalf("%s packet %d: read %+v, embedded %+v", g.ID, k, q, p)
			}
		}
	}
	if _, _, err := EchoCaptureFolder(filepath.Join(dir, "x"), commands, 0); err == nil {
		t.Error("0 traces per command: want an error")
	}
}

func findTrace(t *testing.T, ds *traffic.Dataset, id string) *traffic.Trace {
	for i := range ds.Traces {
		if ds.Traces[i].ID == id {
			return &ds.Traces[i]
		}
	}
	t.Fatalf("no trace %s", id)
	return nil
}

func TestRegister(t *testing.T) {
	ds, err := Alexa([]string{"tell_me_a_joke", "what_time_is_it"})
	if err != nil {
		t.Fatal(err)
	}
	name, err := Register("My-Captures", ds)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(name, "my-captures-") || len(name) != len("my-captures-")+12 {
		t.Errorf("name %q, want my-captures-<12 hex digits>", name)
	}
	got, err := Load(name, Full, 7)
	if err != nil || got != ds {
		t.Fatalf("Load(%q): %v, same dataset %v", name, err, got == ds)
	}
	other := ds.Subset([]int{0, 1, 2})
	name2, err := Register("my-captures", other)
	if err != nil || name2 == name {
		t.Errorf("other data registered as %q (%v); want a name other than %q", name2, err, name)
	}
	for _, bad := range []string{"d1", "Alexa"} {
		if _, err := Register(bad, ds); err == nil {
			t.Errorf("Register(%q): want an error (built-in name)", bad)
		}
	}
	if _, err := Register("empty", &traffic.Dataset{}); err == nil {
		t.Error("empty dataset: want an error")
	}
}

// The series CSV written for decoded traces reads back (independently, as
// text) to the same rows.
func TestWriteSeriesCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "synth.csv")
	err := trafficio.WriteSeriesCSV(path, "signed_size", []trafficio.LabelledSeries{
		{ID: "synth-1", Label: "joke", Values: []float64{-1500, 66.5}}, {ID: "synth-2", Label: "time", Values: []float64{3}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "trace,label,k,signed_size\nsynth-1,joke,0,-1500\nsynth-1,joke,1,66.5\nsynth-2,time,0,3\n"
	if string(b) != want {
		t.Errorf("got\n%swant\n%s", b, want)
	}
}
