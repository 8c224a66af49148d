package trafficio

import (
	"errors"
	"fmt"
	"math"
	"net/netip"
	"path/filepath"
	"strconv"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// NetShareOptions configure the NetShare readers.
type NetShareOptions struct {
	Options
	// TimeUnit is seconds per unit of the time column (NetShare writes
	// microseconds: 1e-6 when 0).
	TimeUnit float64
	// LabelColumn names the column holding the class ("type" in NetShare's
	// UGR16 flows); when absent from the header every trace gets Label.
	LabelColumn string
	// Label is the class of traces without a label column ("unlabelled"
	// when empty).
	Label string
	// ByHost groups records by source IP instead of by flow.
	ByHost bool
}

func (o NetShareOptions) unit() float64 {
	if o.TimeUnit <= 0 {
		return 1e-6
	}
	return o.TimeUnit
}

// netshareColumns are the header fields of NetShare's packet and flow CSVs
// that the readers use; the time and size columns differ.
var (
	netsharePacketCols = []string{"srcip", "dstip", "srcport", "dstport", "proto", "time", "pkt_len"}
	netshareFlowCols   = []string{"srcip", "dstip", "srcport", "dstport", "proto", "ts", "byt"}
)

// ReadNetSharePackets reads NetShare's packet CSV (srcip, dstip, srcport,
// dstport, proto, time, pkt_len, further columns ignored) into one trace per
// bidirectional flow, or per source host with ByHost. In a flow, packets
// from the endpoint that sent first are Up. Progress counts bytes.
func ReadNetSharePackets(path string, opt NetShareOptions) (*traffic.Dataset, traffic.Report, error) {
	return readNetShare(path, opt, netsharePacketCols)
}

// ReadNetShareFlows reads NetShare's flow CSV (srcip, dstip, srcport,
// dstport, proto, ts, td, pkt, byt[, type]): every flow record becomes one
// Up "packet" of byt bytes at time ts, grouped into one trace per source
// host and label. Progress counts bytes.
func ReadNetShareFlows(path string, opt NetShareOptions) (*traffic.Dataset, traffic.Report, error) {
	opt.ByHost = true
	return readNetShare(path, opt, netshareFlowCols)
}

type netshareTrace struct {
	first string // endpoint (ip:port) that sent the first packet
	trace traffic.Trace
}

func readNetShare(path string, opt NetShareOptions, names []string) (*traffic.Dataset, traffic.Report, error) {
	var rep traffic.Report
	c, err := openCSV(path, ',')
	if err != nil {
		return nil, rep, err
	}
	defer c.Close()
	cols, err := c.columns(append(names, opt.LabelColumn+"?")...)
	if err != nil {
		return nil, rep, err
	}
	if opt.LabelColumn == "" {
		cols[len(cols)-1] = -1
	}
	index := map[string]*netshareTrace{}
	var order []*netshareTrace
	err = c.eachRow(path, opt.Options, &rep, 4096, func(rec []string, line int) error {
		if err := addNetShareRow(rec, cols, opt, index, &order); err != nil {
			return opt.rowProblem(&rep, path, line, "", err.Error()+": row skipped")
		}
		return nil
	})
	if err != nil {
		return nil, rep, err
	}
	var traces []traffic.Trace
	for _, t := range order {
		if finishTrace(&rep, path, &t.trace, opt.KeepOrder) {
			traces = append(traces, t.trace)
		}
	}
	rep.Read = len(traces)
	ds, err := traffic.NewDataset(filepath.Base(path), traces, nil, traffic.PacketFeature(traffic.Sizes, 300))
	return ds, rep, err
}

func addNetShareRow(rec []string, cols []int, opt NetShareOptions, index map[string]*netshareTrace, order *[]*netshareTrace) error {
	src, dst := field(rec, cols[0]), field(rec, cols[1])
	sp, dp, proto := field(rec, cols[2]), field(rec, cols[3]), field(rec, cols[4])
	if src == "" || dst == "" {
		return fmt.Errorf("missing srcip or dstip")
	}
	for _, e := range []struct{ name, v string }{{"srcip", src}, {"dstip", dst}} {
		if err := checkIP(e.name, e.v); err != nil {
			return err
		}
	}
	for _, e := range []struct{ name, v string }{{"srcport", sp}, {"dstport", dp}} {
		if err := checkPort(e.name, e.v); err != nil {
			return err
		}
	}
	t, err := parseFloat(rec, cols[5], "time")
	if err != nil {
		return err
	}
	size, err := parseFloat(rec, cols[6], "size")
	if err != nil {
		return err
	}
	if msg := packetDomain(t*opt.unit(), size); msg != "" {
		return errors.New(msg)
	}
	label := field(rec, cols[7])
	if label == "" {
		label = orDefault(opt.Label, "unlabelled")
	}
	a, b := src+":"+sp, dst+":"+dp
	key := src + "/" + label
	if !opt.ByHost {
		lo, hi := min(a, b), max(a, b)
		key = proto + " " + lo + " " + hi + "/" + label
	}
	tr := index[key]
	if tr == nil {
		tr = &netshareTrace{first: a, trace: traffic.Trace{ID: key, Label: label, Group: proto}}
		index[key] = tr
		*order = append(*order, tr)
	}
	dir := traffic.Up
	if a != tr.first && !opt.ByHost {
		dir = traffic.Down
	}
	tr.trace.Packets = append(tr.trace.Packets, traffic.Packet{Time: t * opt.unit(), Size: size, Dir: dir})
	return nil
}

// checkIP accepts an IPv4 or IPv6 address, or an IPv4 address as an integer in [0, 2^32) (NetShare's
// numeric form).
func checkIP(name, v string) error {
	if _, err := netip.ParseAddr(v); err == nil {
		return nil
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 && n < 1<<32 && n == math.Trunc(n) {
		return nil
	}
	return fmt.Errorf("%s %q is not an IP address (dotted IPv4, IPv6, or an integer below 2^32)", name, v)
}

// checkPort accepts an empty port (protocols without ports) or a whole number in [0, 65535].
func checkPort(name, v string) error {
	if v == "" {
		return nil
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 && n <= 65535 && n == math.Trunc(n) {
		return nil
	}
	return fmt.Errorf("%s %q is not a port number in [0, 65535]", name, v)
}
