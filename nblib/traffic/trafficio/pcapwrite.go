package trafficio

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/netdiffus/netdiffus/internal/atomicfile"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// HeaderBytes is the length of the Ethernet (14), IPv4 (20) and TCP (20)
// headers WritePcap synthesises: the smallest packet size it can write and
// the bytes it stores of every packet.
const HeaderBytes = 14 + 20 + 20

// Endpoints are the two hosts of a synthesised capture: the monitored device
// and the server it talks to.
type Endpoints struct {
	DeviceMAC, ServerMAC   net.HardwareAddr
	DeviceIP, ServerIP     netip.Addr // IPv4
	DevicePort, ServerPort uint16
	// Start is the capture time of a trace's time 0. The zero value is the
	// Unix epoch, which keeps times read back exact in float64 seconds.
	Start time.Time
}

// DefaultEndpoints is a smart speaker on a home network (192.168.1.20)
// talking TLS to a cloud server (203.0.113.10, a documentation address).
// Its direction rule is Rule().
func DefaultEndpoints() Endpoints {
	return Endpoints{
		DeviceMAC: net.HardwareAddr{0x02, 0x00, 0x00, 0xec, 0x40, 0x01}, ServerMAC: net.HardwareAddr{0x02, 0x00, 0x00, 0x00, 0x00, 0xfe},
		DeviceIP: netip.MustParseAddr("192.168.1.20"), ServerIP: netip.MustParseAddr("203.0.113.10"),
		DevicePort: 49152, ServerPort: 443, Start: time.Unix(0, 0).UTC(),
	}
}

// Rule is the direction rule that recovers Up/Down from a capture written
// with these endpoints: the device's IP address.
func (e Endpoints) Rule() DirectionRule { return DirectionRule{IPs: []netip.Addr{e.DeviceIP}} }

// CaptureFormat is the file format of a written capture.
type CaptureFormat string

// The capture formats WriteCapture writes (ReadPcap reads both).
const (
	Pcap   CaptureFormat = "pcap"   // libpcap, nanosecond timestamps
	PcapNg CaptureFormat = "pcapng" // pcapng, one Ethernet interface, nanosecond timestamps
)

// ParseCaptureFormat is the inverse of a CaptureFormat's string.
func ParseCaptureFormat(s string) (CaptureFormat, error) {
	switch f := CaptureFormat(s); f {
	case Pcap, PcapNg:
		return f, nil
	}
	return "", fmt.Errorf("trafficio: unknown capture format %q: use pcap or pcapng", s)
}

// WritePcap writes the packets of t as a pcap capture (Ethernet, nanosecond
// timestamps) that ReadPcap reads back to the same packets; it is
// WriteCapture in the Pcap format.
func WritePcap(path string, t *traffic.Trace, e Endpoints) error {
	return WriteCapture(path, t, e, Pcap)
}

// packetWriter is what pcapgo's two writers have in common.
type packetWriter interface {
	WritePacket(ci gopacket.CaptureInfo, data []byte) error
}

// WriteCapture writes the packets of t as a capture in format (pcap or
// pcapng; Ethernet, nanosecond timestamps) that ReadPcap reads back to the
// same packets. Each packet gets synthesised Ethernet/IPv4/TCP headers from
// the device to the server (Up) or back (Down); its Size is the frame's
// length on the wire (what ReadPcap and capture tools report), so the IPv4
// total length is Size-14. Only the 54 header bytes are stored, as a capture
// with a 54-byte snap length would: the payload is not known. Times are
// Start + Time rounded to 1 ns; TCP sequence numbers advance by each
// direction's payload. A size below 54 bytes or above 65549, a fractional
// size, a direction other than Up/Down or a time before the previous
// packet's is an error naming the packet.
func WriteCapture(path string, t *traffic.Trace, e Endpoints, format CaptureFormat) error {
	if t.Packets == nil {
		return fmt.Errorf("%s: trace %q is a ready series without packets; a capture needs packets", path, t.ID)
	}
	if !e.DeviceIP.Is4() || !e.ServerIP.Is4() || len(e.DeviceMAC) != 6 || len(e.ServerMAC) != 6 {
		return fmt.Errorf("%s: endpoints need IPv4 addresses and 6-byte MACs (start from DefaultEndpoints)", path)
	}
	if _, err := ParseCaptureFormat(string(format)); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return atomicfile.Write(path, func(w0 io.Writer) error {
		bw := bufio.NewWriterSize(w0, 1<<16)
		w, flush, err := newPacketWriter(bw, format)
		if err != nil {
			return err
		}
		s := newFrameState(e)
		prev := math.Inf(-1)
		for k, p := range t.Packets {
			if err := checkPacket(p, prev); err != nil {
				return fmt.Errorf("%s: trace %q packet %d: %w", path, t.ID, k+1, err)
			}
			prev = p.Time
			frame, err := s.frame(p)
			if err != nil {
				return fmt.Errorf("%s: trace %q packet %d: %w", path, t.ID, k+1, err)
			}
			ts := e.Start.Add(time.Duration(math.Round(p.Time * 1e9)))
			ci := gopacket.CaptureInfo{Timestamp: ts, CaptureLength: len(frame), Length: int(p.Size), InterfaceIndex: 0}
			if err := w.WritePacket(ci, frame); err != nil {
				return fmt.Errorf("%s: packet %d: %w", path, k+1, err)
			}
		}
		if err := flush(); err != nil {
			return err
		}
		return bw.Flush()
	})
}

// newPacketWriter starts a capture in format on w; flush finishes it.
func newPacketWriter(w io.Writer, format CaptureFormat) (packetWriter, func() error, error) {
	if format == PcapNg {
		intf := pcapgo.NgInterface{Name: "synthetic", LinkType: layers.LinkTypeEthernet, SnapLength: HeaderBytes, TimestampResolution: 9}
		ng, err := pcapgo.NewNgWriterInterface(w, intf, pcapgo.NgWriterOptions{SectionInfo: pcapgo.NgSectionInfo{Application: "netdiffus"}})
		if err != nil {
			return nil, nil, err
		}
		return ng, ng.Flush, nil
	}
	pw := pcapgo.NewWriterNanos(w)
	if err := pw.WriteFileHeader(HeaderBytes, layers.LinkTypeEthernet); err != nil {
		return nil, nil, err
	}
	return pw, func() error { return nil }, nil
}

func checkPacket(p traffic.Packet, prev float64) error {
	switch {
	case p.Size < HeaderBytes || p.Size > 14+math.MaxUint16 || p.Size != math.Trunc(p.Size):
		return fmt.Errorf("size %g is not a whole number of bytes in %d..%d (Ethernet+IPv4+TCP headers to the largest IPv4 packet)", p.Size, HeaderBytes, 14+math.MaxUint16)
	case p.Dir != traffic.Up && p.Dir != traffic.Down:
		return fmt.Errorf("direction %d is neither up (+1) nor down (-1)", p.Dir)
	case math.IsNaN(p.Time) || math.IsInf(p.Time, 0) || math.Abs(p.Time) > 1e9:
		return fmt.Errorf("time %g s is not a finite time within 1e9 s of the start", p.Time)
	case p.Time < prev:
		return fmt.Errorf("time %g s is before the previous packet's %g s: sort the trace first", p.Time, prev)
	}
	return nil
}

// frameState holds what advances from packet to packet: IP ids and TCP
// sequence numbers per direction.
type frameState struct {
	e      Endpoints
	ipID   uint16
	seqUp  uint32
	seqDwn uint32
	buf    gopacket.SerializeBuffer
}

func newFrameState(e Endpoints) *frameState {
	return &frameState{e: e, seqUp: 1000, seqDwn: 5000, buf: gopacket.NewSerializeBuffer()}
}

// frame builds the 54 header bytes of one packet.
func (s *frameState) frame(p traffic.Packet) ([]byte, error) {
	e := s.e
	srcMAC, dstMAC, srcIP, dstIP := e.DeviceMAC, e.ServerMAC, e.DeviceIP, e.ServerIP
	srcPort, dstPort, seq, ack := e.DevicePort, e.ServerPort, &s.seqUp, s.seqDwn
	if p.Dir == traffic.Down {
		srcMAC, dstMAC, srcIP, dstIP = e.ServerMAC, e.DeviceMAC, e.ServerIP, e.DeviceIP
		srcPort, dstPort, seq, ack = e.ServerPort, e.DevicePort, &s.seqDwn, s.seqUp
	}
	payload := int(p.Size) - HeaderBytes
	s.ipID++
	eth := &layers.Ethernet{SrcMAC: srcMAC, DstMAC: dstMAC, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolTCP, Flags: layers.IPv4DontFragment,
		Id: s.ipID, Length: uint16(int(p.Size) - 14), SrcIP: srcIP.AsSlice(), DstIP: dstIP.AsSlice()}
	tcp := &layers.TCP{SrcPort: layers.TCPPort(srcPort), DstPort: layers.TCPPort(dstPort), Seq: *seq, Ack: ack,
		DataOffset: 5, ACK: true, PSH: payload > 0, Window: 65535}
	*seq += uint32(payload)
	if err := gopacket.SerializeLayers(s.buf, gopacket.SerializeOptions{}, eth, ip, tcp); err != nil {
		return nil, err
	}
	return append([]byte(nil), s.buf.Bytes()[:HeaderBytes]...), nil // without the padding to the 60-byte Ethernet minimum
}

// WritePcapFolder writes one pcap capture per packet trace of ds and a
// labels.csv into dir: WriteCaptureFolder in the Pcap format.
func WritePcapFolder(dir string, ds *traffic.Dataset, e Endpoints) error {
	return WriteCaptureFolder(dir, ds, e, Pcap)
}

// WriteCaptureFolder writes one capture per packet trace of ds in format
// (WriteCapture; file names from the trace IDs by TraceFileName, with
// ".pcap" or ".pcapng" in place of its ".csv") and a labels.csv
// (file,label,group,trace: the trace column keeps the exact ids) into dir,
// creating it: the layout ReadPcaps reads with the rule e.Rule().
func WriteCaptureFolder(dir string, ds *traffic.Dataset, e Endpoints, format CaptureFormat) error {
	if err := needPackets(dir, ds); err != nil {
		return err
	}
	if _, err := ParseCaptureFormat(string(format)); err != nil {
		return fmt.Errorf("%s: %w", dir, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	labels := [][]string{{"file", "label", "group", "trace"}}
	for i := range ds.Traces {
		t := &ds.Traces[i]
		name := strings.TrimSuffix(TraceFileName(t.ID), ".csv") + "." + string(format)
		if err := WriteCapture(filepath.Join(dir, name), t, e, format); err != nil {
			return err
		}
		labels = append(labels, []string{name, t.Label, t.Group, t.ID})
	}
	return writeCSVRows(filepath.Join(dir, "labels.csv"), labels)
}
