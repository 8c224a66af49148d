package datasets

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"math"
	"strings"
	"sync"

	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

// EthernetHeader is the bytes a capture on the speaker's network adds to
// VCFingerprinting's sizes, which are IPv4 packet lengths (a bare TCP
// acknowledgement is 40 bytes): the captures EchoCaptureFolder writes hold
// Ethernet frames.
const EthernetHeader = 14

// EchoCaptureFolder writes a small folder of pcap captures made from the
// embedded real Echo traces, for trying the capture readers offline: the
// first perCommand traces (in dataset order) of each command (AlexaCommands10
// when commands is nil), one capture per trace, plus labels.csv
// (file,label,group). Every packet becomes an Ethernet/IPv4/TCP frame
// between the speaker and the cloud of trafficio.DefaultEndpoints, EthernetHeader
// bytes longer than the recorded IP length, at the recorded time. It
// returns the dataset written (sizes as in the captures) and the endpoints,
// whose Rule() recovers the directions.
func EchoCaptureFolder(dir string, commands []string, perCommand int) (*traffic.Dataset, trafficio.Endpoints, error) {
	e := trafficio.DefaultEndpoints()
	if commands == nil {
		commands = AlexaCommands10
	}
	if perCommand < 1 {
		return nil, e, fmt.Errorf("datasets: %d traces per command; want at least 1", perCommand)
	}
	all, err := Alexa(commands)
	if err != nil {
		return nil, e, err
	}
	taken := map[string]int{}
	var traces []traffic.Trace
	for _, t := range all.Traces {
		if taken[t.Label] >= perCommand {
			continue
		}
		taken[t.Label]++
		p := make([]traffic.Packet, len(t.Packets))
		for k, q := range t.Packets {
			q.Size += EthernetHeader
			p[k] = q
		}
		t.Packets = p
		traces = append(traces, t)
	}
	ds, err := traffic.NewDataset("echo-captures", traces, all.Classes, all.Default)
	if err != nil {
		return nil, e, err
	}
	return ds, e, trafficio.WritePcapFolder(dir, ds, e)
}

// user holds datasets registered by Register.
var user = struct {
	sync.Mutex
	m map[string]*traffic.Dataset
}{m: map[string]*traffic.Dataset{}}

// Register makes ds loadable by Load under a name derived from base and a
// digest of ds's contents ("<base>-<12 hex digits>"), which it returns: the
// name, not the data, keys cached results and trained models, so data that
// changes gets a new name and never reuses a model trained on other data.
// Load serves the registered dataset for every variant and seed, sharing
// its traces (do not modify them afterwards). base must not be a built-in
// name.
func Register(base string, ds *traffic.Dataset) (string, error) {
	key := strings.ToLower(base)
	if _, ok := registry[key]; ok {
		return "", fmt.Errorf("datasets: %q is a built-in dataset; register yours under another name", base)
	}
	if _, ok := realRegistry[key]; ok {
		return "", fmt.Errorf("datasets: %q is a built-in dataset; register yours under another name", base)
	}
	if ds == nil || len(ds.Traces) == 0 {
		return "", fmt.Errorf("datasets: register %q: the dataset has no traces", base)
	}
	d := Digest(ds)
	name := fmt.Sprintf("%s-%x", key, d[:6])
	user.Lock()
	user.m[name] = ds
	user.Unlock()
	return name, nil
}

func registered(name string) (*traffic.Dataset, bool) {
	user.Lock()
	defer user.Unlock()
	ds, ok := user.m[name]
	return ds, ok
}

// Digest is a SHA-256 over everything of ds a model sees: class names, the
// default feature, and every trace's ID, label, group, packets or values.
func Digest(ds *traffic.Dataset) [32]byte {
	h := sha256.New()
	str := func(s string) { num(h, float64(len(s))); h.Write([]byte(s)) }
	for _, c := range ds.Classes {
		str(c)
	}
	str(ds.Default.String())
	for _, t := range ds.Traces {
		str(t.ID)
		str(t.Label)
		str(t.Group)
		num(h, float64(len(t.Packets)))
		for _, p := range t.Packets {
			num(h, p.Time)
			num(h, p.Size)
			num(h, float64(p.Dir))
		}
		num(h, float64(len(t.Values)))
		for _, v := range t.Values {
			num(h, v)
		}
		num(h, t.Step)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

func num(h hash.Hash, v float64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
	h.Write(b[:])
}
