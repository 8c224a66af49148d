package trafficio

import (
	"encoding/binary"
	"math"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

func pcapSample(t *testing.T) *traffic.Dataset {
	traces := []traffic.Trace{
		{ID: "echo_1.csv", Label: "joke", Group: "A", Packets: []traffic.Packet{
			{Time: 0, Size: 190, Dir: traffic.Up}, {Time: 0.000570, Size: 1514, Dir: traffic.Down},
			{Time: 0.000570, Size: 54, Dir: traffic.Up}, {Time: 12.345678901, Size: 800, Dir: traffic.Down}}},
		{ID: "echo 2", Label: "news", Group: "L", Packets: []traffic.Packet{{Time: 3.5, Size: 60, Dir: traffic.Down}}},
	}
	ds, err := traffic.NewDataset("sample", traces, nil, traffic.PacketFeature(traffic.SignedSizes, 4))
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

// Packets written by WritePcapFolder and read back by ReadPcaps with the
// endpoints' rule are the packets written: sizes and directions exactly,
// times to 1 ns (the capture's resolution).
func TestPcapWriteRoundTrip(t *testing.T) {
	ds := pcapSample(t)
	dir := t.TempDir()
	e := DefaultEndpoints()
	if err := WritePcapFolder(dir, ds, e); err != nil {
		t.Fatal(err)
	}
	got, rep, err := ReadPcaps(dir, PcapOptions{Rule: e.Rule(), Feature: ds.Default})
	if err != nil || len(rep.Skipped) != 0 {
		t.Fatalf("read back: %v %v", err, rep.Skipped)
	}
	if len(got.Traces) != len(ds.Traces) {
		t.Fatalf("%d traces read back, %d written", len(got.Traces), len(ds.Traces))
	}
	for i, w := range ds.Traces {
		g := got.Traces[i]
		if g.Label != w.Label || g.Group != w.Group || len(g.Packets) != len(w.Packets) {
			t.Fatalf("trace %d: got %s %s %d packets, want %s %s %d", i, g.Label, g.Group, len(g.Packets), w.Label, w.Group, len(w.Packets))
		}
		for k, p := range w.Packets {
			q := g.Packets[k]
			if q.Size != p.Size || q.Dir != p.Dir || math.Abs(q.Time-p.Time) > 1e-9 {
				t.Errorf("%s packet %d: read %+v, wrote %+v", w.ID, k, q, p)
			}
		}
	}
	if got.Traces[0].ID != "echo_1.csv" || got.Traces[1].ID != "echo 2" {
		t.Errorf("trace ids read back %q %q, want the ids written (labels.csv trace column)", got.Traces[0].ID, got.Traces[1].ID)
	}
	// The MAC rule recovers the same directions from the Ethernet headers.
	byMAC, _, err := ReadPcaps(dir, PcapOptions{Rule: DirectionRule{MACs: []net.HardwareAddr{e.DeviceMAC}}, Feature: ds.Default})
	if err != nil {
		t.Fatal(err)
	}
	for k, p := range byMAC.Traces[0].Packets {
		if p.Dir != ds.Traces[0].Packets[k].Dir {
			t.Errorf("MAC rule: packet %d direction %d, want %d", k, p.Dir, ds.Traces[0].Packets[k].Dir)
		}
	}
}

// The stored header bytes, parsed here by hand (independent of gopacket):
// pcap record lengths, Ethernet type, IPv4 addresses and total length, TCP
// ports.
func TestPcapWriteHeaders(t *testing.T) {
	ds := pcapSample(t)
	path := filepath.Join(t.TempDir(), "one.pcap")
	e := DefaultEndpoints()
	if err := WritePcap(path, &ds.Traces[0], e); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	if m := le.Uint32(b); m != 0xa1b23c4d || le.Uint32(b[16:]) != HeaderBytes || le.Uint32(b[20:]) != 1 {
		t.Fatalf("file header: magic %#x snaplen %d link %d, want nanosecond pcap, 54, Ethernet", m, le.Uint32(b[16:]), le.Uint32(b[20:]))
	}
	off := 24
	for k, p := range ds.Traces[0].Packets {
		incl, orig := le.Uint32(b[off+8:]), le.Uint32(b[off+12:])
		f := b[off+16 : off+16+int(incl)]
		be := binary.BigEndian
		src, dst := [4]byte(f[26:30]), [4]byte(f[30:34])
		sport, dport := be.Uint16(f[34:]), be.Uint16(f[36:])
		wantSrc, wantDst, wantSport := e.DeviceIP.As4(), e.ServerIP.As4(), e.DevicePort
		if p.Dir == traffic.Down {
			wantSrc, wantDst, wantSport = e.ServerIP.As4(), e.DeviceIP.As4(), e.ServerPort
		}
		switch {
		case incl != HeaderBytes || orig != uint32(p.Size):
			t.Errorf("packet %d: captured %d of %d bytes, want 54 of %g", k, incl, orig, p.Size)
		case be.Uint16(f[12:]) != 0x0800 || f[14] != 0x45 || f[23] != 6:
			t.Errorf("packet %d: not Ethernet/IPv4/TCP: % x", k, f[12:24])
		case int(be.Uint16(f[16:])) != int(p.Size)-14:
			t.Errorf("packet %d: IPv4 total length %d, want %g", k, be.Uint16(f[16:]), p.Size-14)
		case src != wantSrc || dst != wantDst || sport != wantSport || (dport != e.ServerPort && dport != e.DevicePort):
			t.Errorf("packet %d: %v:%d -> %v:%d", k, src, sport, dst, dport)
		}
		off += 16 + int(incl)
	}
	if off != len(b) {
		t.Errorf("%d bytes left after the records", len(b)-off)
	}
}

func TestPcapWriteErrors(t *testing.T) {
	dir := t.TempDir()
	e := DefaultEndpoints()
	for _, c := range []struct {
		name string
		t    traffic.Trace
		want string
	}{
		{"small", traffic.Trace{ID: "s", Packets: []traffic.Packet{{Size: 40, Dir: traffic.Up}}}, "size 40"},
		{"fraction", traffic.Trace{ID: "f", Packets: []traffic.Packet{{Size: 100.5, Dir: traffic.Up}}}, "size 100.5"},
		{"direction", traffic.Trace{ID: "d", Packets: []traffic.Packet{{Size: 100}}}, "direction 0"},
		{"backwards", traffic.Trace{ID: "b", Packets: []traffic.Packet{{Time: 1, Size: 100, Dir: 1}, {Time: 0.5, Size: 100, Dir: 1}}}, "before the previous"},
		{"nan", traffic.Trace{ID: "n", Packets: []traffic.Packet{{Time: math.NaN(), Size: 100, Dir: 1}}}, "finite"},
		{"series", traffic.Trace{ID: "v", Values: []float64{1, 2}}, "ready series"},
	} {
		path := filepath.Join(dir, c.name+".pcap")
		err := WritePcap(path, &c.t, e)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one mentioning %q", c.name, err, c.want)
		}
		if _, serr := os.Stat(path); serr == nil {
			t.Errorf("%s: a failed write left %s behind", c.name, path)
		}
	}
}
