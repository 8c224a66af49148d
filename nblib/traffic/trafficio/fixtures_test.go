package trafficio

import (
	"math"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// The NumPy and pickle fixtures in testdata come from gen_fixtures.py; the
// expected values below recompute its formulas.

func TestReadNPZAndNPY(t *testing.T) {
	check := func(t *testing.T, ds *traffic.Dataset, rep traffic.Report) {
		if len(ds.Traces) != 5 || len(rep.Skipped) != 0 || ds.Default.Length != 6 {
			t.Fatalf("%d traces, skips %v, default %v", len(ds.Traces), rep.Skipped, ds.Default)
		}
		for i, tr := range ds.Traces {
			if tr.Class != i%3 {
				t.Errorf("row %d class %d, want %d", i, tr.Class, i%3)
			}
			for j, v := range tr.Values {
				if v != float64(10*i+j) {
					t.Errorf("x[%d,%d] = %g, want %d", i, j, v, 10*i+j)
				}
			}
		}
	}
	ds, rep, err := ReadNPZ("testdata/series.npz", ArrayOptions{Classes: []string{"a", "b", "c"}})
	if err != nil {
		t.Fatal(err)
	}
	check(t, ds, rep)
	ds, rep, err = ReadNPY("testdata/series_x.npy", "testdata/series_y.npy", ArrayOptions{})
	if err != nil {
		t.Fatal(err)
	}
	check(t, ds, rep)
	if _, _, err := ReadNPZ("testdata/series.npz", ArrayOptions{X: "nope"}); err == nil {
		t.Error("missing array name: want an error")
	}
}

func TestReadDoppelGANger(t *testing.T) {
	ds, rep, err := ReadDoppelGANger("testdata/dg_train.npz", DGOptions{LabelFrom: 2, LabelTo: 5, Classes: WikiAccessTypes, Step: 86400})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Traces) != 3 || len(rep.Skipped) != 1 {
		t.Fatalf("%d series, report %v; want 3 and the all-zero-flag series reported", len(ds.Traces), rep.Skipped)
	}
	for i, tr := range ds.Traces {
		if len(tr.Values) != 3+i || tr.Label != WikiAccessTypes[i%3] {
			t.Errorf("series %d: %d steps label %s; want %d, %s", i, len(tr.Values), tr.Label, 3+i, WikiAccessTypes[i%3])
		}
		for k, v := range tr.Values {
			// float32 in the file: tolerance 1e-6 relative to the value.
			if want := float64(i) + float64(k)/10; math.Abs(v-want) > 1e-6*math.Max(1, want) {
				t.Errorf("series %d step %d = %g, want %g", i, k, v, want)
			}
		}
	}
}

func TestReadDFPickles(t *testing.T) {
	for _, tc := range []struct{ x, y string }{
		{"df_X_p2.pkl", "df_y_p2.pkl"},
		{"df_X_p4.pkl", "df_y_p4.pkl"},
		{"df_X_list.pkl", "df_y_list.pkl"},
	} {
		t.Run(tc.x, func(t *testing.T) {
			ds, rep, err := ReadDFPickles(filepath.Join("testdata", tc.x), filepath.Join("testdata", tc.y), DFOptions{Length: 8})
			if err != nil {
				t.Fatal(err)
			}
			if len(ds.Traces) != 6 || len(rep.Skipped) != 0 {
				t.Fatalf("%d traces, report %v", len(ds.Traces), rep.Skipped)
			}
			for i, tr := range ds.Traces {
				if tr.Class != i%2 {
					t.Errorf("trace %d class %d", i, tr.Class)
				}
				for j, v := range tr.Values {
					want := 0.0
					if j < 4+i/2 {
						want = math.Pow(-1, float64(i+j))
					}
					if v != want {
						t.Errorf("X[%d,%d] = %g, want %g", i, j, v, want)
					}
				}
			}
		})
	}
}

// writeTestPcap writes Ethernet/IPv4/UDP packets between a device and a
// server, alternating direction, with 20+i bytes of payload at time i*10 ms.
func writeTestPcap(t testing.TB, path string, n int) (device net.HardwareAddr) {
	device, _ = net.ParseMAC("02:00:00:00:00:01")
	server, _ := net.ParseMAC("02:00:00:00:00:02")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := pcapgo.NewWriter(f)
	if err := w.WriteFileHeader(65536, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	devIP, srvIP := net.IPv4(192, 168, 1, 20), net.IPv4(8, 8, 8, 8)
	for i := range n {
		eth := &layers.Ethernet{SrcMAC: device, DstMAC: server, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: devIP, DstIP: srvIP}
		if i%2 == 1 {
			eth.SrcMAC, eth.DstMAC = server, device
			ip.SrcIP, ip.DstIP = srvIP, devIP
		}
		udp := &layers.UDP{SrcPort: 5000, DstPort: 443}
		udp.SetNetworkLayerForChecksum(ip)
		buf := gopacket.NewSerializeBuffer()
		err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true}, eth, ip, udp, gopacket.Payload(make([]byte, 20+i)))
		if err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		ci := gopacket.CaptureInfo{Timestamp: time.Unix(1000, int64(i)*10e6), CaptureLength: len(b), Length: len(b)}
		if err := w.WritePacket(ci, b); err != nil {
			t.Fatal(err)
		}
	}
	return device
}

func TestReadPcapDirectionRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.pcap")
	mac := writeTestPcap(t, path, 6)
	const overhead = 14 + 20 + 8 + 20 // Ethernet + IPv4 + UDP headers + 20 bytes payload (frames above the 60-byte minimum)
	for _, tc := range []struct {
		name string
		rule string
	}{
		{"mac", "mac=" + mac.String()},
		{"ip", "ip=192.168.1.20"},
		{"subnet", "net=192.168.0.0/16"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rule, err := ParseDirectionRule(tc.rule)
			if err != nil {
				t.Fatal(err)
			}
			tr, rep, err := ReadPcap(path, rule, traffic.Trace{ID: "a", Label: "x"})
			if err != nil || len(rep.Skipped) != 0 {
				t.Fatalf("err %v report %v", err, rep.Skipped)
			}
			for i, p := range tr.Packets {
				wantDir := traffic.Up
				if i%2 == 1 {
					wantDir = traffic.Down
				}
				if p.Dir != wantDir || p.Size != float64(overhead+i) || math.Abs(p.Time-(1000+float64(i)*0.01)) > 1e-9 {
					t.Errorf("packet %d = %+v, want dir %d size %d", i, p, wantDir, overhead+i)
				}
			}
		})
	}
	// A rule matching neither endpoint leaves every packet out, reported.
	rule, _ := ParseDirectionRule("ip=10.0.0.1")
	tr, rep, err := ReadPcap(path, rule, traffic.Trace{ID: "a", Label: "x"})
	if err != nil || tr != nil || len(rep.Skipped) != 2 {
		t.Errorf("non-matching rule: trace %v err %v report %v; want no trace and two report entries", tr, err, rep.Skipped)
	}
	if _, err := ParseDirectionRule("ip=300.1.1.1"); err == nil {
		t.Error("bad IP in rule: want an error")
	}
}

func TestReadPcapsWithLabels(t *testing.T) {
	dir := t.TempDir()
	writeTestPcap(t, filepath.Join(dir, "a.pcap"), 4)
	writeTestPcap(t, filepath.Join(dir, "b.pcap"), 5)
	writeTestPcap(t, filepath.Join(dir, "unlisted.pcap"), 3)
	os.WriteFile(filepath.Join(dir, "labels.csv"), []byte("file,label,group\na.pcap,alexa,speaker\nb.pcap,google,speaker\nmissing.pcap,google,speaker\n"), 0o644)
	rule, _ := ParseDirectionRule("ip=192.168.1.20")
	ds, rep, err := ReadPcaps(dir, PcapOptions{Rule: rule})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Traces) != 2 || len(ds.Traces[1].Packets) != 5 || len(rep.Skipped) != 2 {
		t.Errorf("%d traces, report %v; want 2 traces, unlisted and missing files reported", len(ds.Traces), rep.Skipped)
	}
}
