package trafficio

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"path/filepath"
	"strings"
	"time"

	"github.com/netdiffus/netdiffus/internal/infile"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// DirectionRule says which endpoint of a packet is the monitored device:
// a packet sent by the device is Up, one it receives is Down. The source is
// tested before the destination, MACs before IPs before subnets.
type DirectionRule struct {
	MACs    []net.HardwareAddr
	IPs     []netip.Addr
	Subnets []netip.Prefix
	// Otherwise is the direction of packets matching neither endpoint; 0
	// leaves them out (their count is reported per capture).
	Otherwise traffic.Direction
}

// ParseDirectionRule reads a rule written as comma-separated key=value
// pairs: mac=aa:bb:cc:dd:ee:ff, ip=192.168.1.20, net=192.168.0.0/16 (each
// may repeat) and otherwise=up|down|skip.
func ParseDirectionRule(s string) (DirectionRule, error) {
	var r DirectionRule
	for _, kv := range strings.Split(s, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return r, fmt.Errorf("direction rule %q: %q is not key=value", s, kv)
		}
		if err := r.set(k, v); err != nil {
			return r, fmt.Errorf("direction rule %q: %w", s, err)
		}
	}
	if len(r.MACs)+len(r.IPs)+len(r.Subnets) == 0 && r.Otherwise == 0 {
		return r, fmt.Errorf("direction rule %q names no device: give mac=, ip= or net=", s)
	}
	return r, nil
}

func (r *DirectionRule) set(k, v string) error {
	switch k {
	case "mac":
		m, err := net.ParseMAC(v)
		r.MACs = append(r.MACs, m)
		return err
	case "ip":
		a, err := netip.ParseAddr(v)
		r.IPs = append(r.IPs, a)
		return err
	case "net":
		p, err := netip.ParsePrefix(v)
		r.Subnets = append(r.Subnets, p)
		return err
	case "otherwise":
		switch v {
		case "up":
			r.Otherwise = traffic.Up
		case "down":
			r.Otherwise = traffic.Down
		case "skip":
			r.Otherwise = 0
		default:
			return fmt.Errorf("otherwise=%q: use up, down or skip", v)
		}
		return nil
	}
	return fmt.Errorf("unknown key %q: use mac, ip, net or otherwise", k)
}

func (r *DirectionRule) isDeviceMAC(b []byte) bool {
	for _, m := range r.MACs {
		if bytes.Equal(m, b) {
			return true
		}
	}
	return false
}

func (r *DirectionRule) isDeviceIP(a netip.Addr) bool {
	a = a.Unmap()
	for _, ip := range r.IPs {
		if ip.Unmap() == a {
			return true
		}
	}
	for _, p := range r.Subnets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// direction applies the rule to a decoded packet.
func (r *DirectionRule) direction(p gopacket.Packet) traffic.Direction {
	if ll := p.LinkLayer(); ll != nil && len(r.MACs) > 0 {
		src, dst := ll.LinkFlow().Endpoints()
		if r.isDeviceMAC(src.Raw()) {
			return traffic.Up
		}
		if r.isDeviceMAC(dst.Raw()) {
			return traffic.Down
		}
	}
	if nl := p.NetworkLayer(); nl != nil {
		src, dst := nl.NetworkFlow().Endpoints()
		if a, ok := netip.AddrFromSlice(src.Raw()); ok && r.isDeviceIP(a) {
			return traffic.Up
		}
		if a, ok := netip.AddrFromSlice(dst.Raw()); ok && r.isDeviceIP(a) {
			return traffic.Down
		}
	}
	return r.Otherwise
}

// packetSource is what pcapgo's two readers have in common.
type packetSource interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	LinkType() layers.LinkType
}

// openCapture detects pcap or pcapng from the magic number.
func openCapture(r *bufio.Reader) (packetSource, error) {
	magic, err := r.Peek(4)
	if err != nil {
		return nil, fmt.Errorf("too short for a capture: %w", err)
	}
	if bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		return pcapgo.NewNgReader(r, pcapgo.DefaultNgReaderOptions)
	}
	return pcapgo.NewReader(r)
}

// ReadPcap reads one pcap or pcapng capture into a trace with the given id
// and label: packet time from the capture, size = the packet's length on
// the wire, direction from rule. Packets matching no endpoint (when
// rule.Otherwise is 0) and a capture that ends early are reported; what was
// read before the truncation is kept.
func ReadPcap(path string, rule DirectionRule, t traffic.Trace) (*traffic.Trace, traffic.Report, error) {
	return readPcap(path, rule, t, Options{})
}

// readPcap is ReadPcap; under opt.Strict a capture that ends early is an error.
func readPcap(path string, rule DirectionRule, t traffic.Trace, opt Options) (*traffic.Trace, traffic.Report, error) {
	var rep traffic.Report
	f, err := infile.Open(path, infile.MaxTrace)
	if err != nil {
		return nil, rep, err
	}
	defer f.Close()
	src, err := openCapture(bufio.NewReaderSize(f, 1<<16))
	if err != nil {
		return nil, rep, fmt.Errorf("%s: not a readable pcap/pcapng capture: %w", path, err)
	}
	opts := gopacket.DecodeOptions{Lazy: true, NoCopy: true}
	unmatched := 0
	for n := 1; ; n++ {
		data, ci, err := src.ReadPacketData()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			if err := opt.rowProblem(&rep, path, n, t.ID, fmt.Sprintf("capture ends early at packet %d (%v): kept the %d packets before it", n, err, len(t.Packets))); err != nil {
				return nil, rep, err
			}
			break
		}
		d := rule.direction(gopacket.NewPacket(data, src.LinkType(), opts))
		if d == 0 {
			unmatched++
			continue
		}
		t.Packets = append(t.Packets, traffic.Packet{Time: unixSeconds(ci.Timestamp), Size: float64(ci.Length), Dir: d})
	}
	if unmatched > 0 {
		rep.Add(path, 0, t.ID, fmt.Sprintf("%d packets have neither endpoint matching the direction rule: left out (set otherwise=up|down to keep them)", unmatched))
	}
	if !finishTrace(&rep, path, &t, false) {
		return nil, rep, nil
	}
	rep.Read = 1
	return &t, rep, nil
}

// PcapOptions configure ReadPcaps.
type PcapOptions struct {
	Options
	Rule DirectionRule
	// Labels maps capture files to labels (file,label[,group]);
	// "labels.csv" in the folder when empty.
	Labels string
	// Feature becomes the dataset's default feature (zero value: signed
	// sizes over 300 packets).
	Feature traffic.Feature
}

// ReadPcaps reads the captures a labels file lists (paths relative to dir),
// one trace per capture. Progress counts files.
func ReadPcaps(dir string, opt PcapOptions) (*traffic.Dataset, traffic.Report, error) {
	labels, labelsPath, rep, err := readFolderLabels(dir, opt.Labels, opt.Options, ".pcap", ".pcapng", ".cap")
	if err != nil {
		return nil, rep, err
	}
	var traces []traffic.Trace
	for i, e := range labels {
		opt.progress(int64(i), int64(len(labels)))
		path := filepath.Join(dir, e.File)
		t, r, err := readPcap(path, opt.Rule, traffic.Trace{ID: e.traceID(), Label: e.Label, Group: e.Group}, opt.Options)
		rep.Merge(r)
		if err != nil {
			if err := opt.rowProblem(&rep, labelsPath, e.Line, e.File, err.Error()); err != nil {
				return nil, rep, err
			}
			continue
		}
		if t != nil {
			traces = append(traces, *t)
		}
	}
	opt.progress(int64(len(labels)), int64(len(labels)))
	return newDataset(filepath.Base(dir), traces, opt.Feature, rep)
}

// unixSeconds converts a timestamp to seconds, adding the nanoseconds
// separately so microsecond stamps stay exact to float64 precision.
func unixSeconds(t time.Time) float64 {
	return float64(t.Unix()) + float64(t.Nanosecond())*1e-9
}
