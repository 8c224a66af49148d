package datasets

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/netdiffus/netdiffus/internal/npy"
	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/trafficio"
)

//go:embed real/alexa.npz
var alexaNPZ []byte

//go:embed real/pensieve.npz
var pensieveNPZ []byte

// Embedded returns the committed bytes of an embedded real dataset file
// (AlexaFile or PensieveFile), for checksums and for users who want the
// arrays in NumPy: numpy.load reads them.
func Embedded(file string) ([]byte, error) {
	switch file {
	case AlexaFile:
		return alexaNPZ, nil
	case PensieveFile:
		return pensieveNPZ, nil
	}
	return nil, fmt.Errorf("datasets: no embedded file %q (have %s, %s)", file, AlexaFile, PensieveFile)
}

// AlexaCommands10 are the ten VCFingerprinting commands of the 10-command
// task "alexa": the closest matches to the ten commands of the project's D3
// stand-in (alarm, joke, news, time, weather, music, timer, fact, spell,
// volume; the speaker data has no alarm command, so a coin flip stands in).
// The paper does not name its ten commands.
var AlexaCommands10 = []string{
	"flip_a_coin", "how_do_you_spell_appreciate", "play_npr", "set_a_timer_for_thirty_seconds",
	"set_volume_to_five", "tell_me_a_fun_fact", "tell_me_a_joke", "what_is_in_the_news",
	"what_is_the_weather", "what_time_is_it",
}

// DefaultPacketLength is the packets kept by the D3-style feature (the
// paper's 300, truncated or zero padded).
const DefaultPacketLength = 300

// Alexa decodes the embedded VCFingerprinting traces: real Amazon Echo
// voice-command traffic, 10 traces per command, one trace per CSV of the
// upstream data. Trace IDs are the upstream file names, labels the
// commands, groups the capture set ("A": files without "_L_", "L": with).
// With commands nil all 100 commands are kept; otherwise only those named
// (an unknown name is an error). The default feature is the D3 one: signed
// packet size (direction x bytes) over the first 300 packets.
func Alexa(commands []string) (*traffic.Dataset, error) {
	a, err := alexaOnce()
	if err != nil {
		return nil, err
	}
	keep, classes, err := selectClasses(a.classes, commands)
	if err != nil {
		return nil, err
	}
	var traces []traffic.Trace
	for i := range a.files {
		if !keep[int(a.label[i])] {
			continue
		}
		traces = append(traces, traffic.Trace{ID: a.files[i], Label: a.classes[a.label[i]], Group: a.groups[i],
			Packets: a.packets(i)})
	}
	name := "alexa100"
	switch {
	case slices.Equal(classes, AlexaCommands10):
		name = "alexa"
	case commands != nil:
		name = fmt.Sprintf("alexa-%d-commands", len(classes))
	}
	return traffic.NewDataset(name, traces, classes, traffic.PacketFeature(traffic.SignedSizes, DefaultPacketLength))
}

// selectClasses returns which class indices to keep and their names, in the
// order of all (sorted), for the requested subset (nil: all).
func selectClasses(all, want []string) (map[int]bool, []string, error) {
	keep := map[int]bool{}
	index := map[string]int{}
	for i, c := range all {
		index[c] = i
	}
	if want == nil {
		for i := range all {
			keep[i] = true
		}
		return keep, append([]string(nil), all...), nil
	}
	for _, w := range want {
		i, ok := index[w]
		if !ok {
			return nil, nil, fmt.Errorf("datasets: alexa has no command %q; the commands are the labels of Alexa(nil)", w)
		}
		keep[i] = true
	}
	var classes []string
	for i, c := range all {
		if keep[i] {
			classes = append(classes, c)
		}
	}
	return keep, classes, nil
}

// Pensieve decodes the embedded Pensieve bandwidth logs of one folder
// ("cooked_test_traces" or "cooked_traces", see PensieveFolders) as ready
// series of bytes per 1 s step, integrated from the logs' piecewise-constant
// throughput exactly as trafficio.ReadThroughput does. Labels are the
// transport mode (bus, car, ferry, metro, train, tram; "fcc" for the FCC
// broadband logs of cooked_traces), groups "norway" or "fcc". The default
// feature is the series zero padded to the folder's longest trace.
func Pensieve(folder string) (*traffic.Dataset, error) {
	p, err := pensieveOnce()
	if err != nil {
		return nil, err
	}
	var traces []traffic.Trace
	longest := 0
	for i, f := range p.files {
		dir, name, _ := strings.Cut(f, "/")
		if dir != folder {
			continue
		}
		times, rates := p.lines(i)
		vals := trafficio.IntegrateThroughput(times, rates, 1)
		if len(vals) == 0 {
			return nil, fmt.Errorf("datasets: pensieve %s has fewer than two lines", f)
		}
		label, group := trafficio.PensieveLabel(name)
		traces = append(traces, traffic.Trace{ID: name, Label: label, Group: group, Values: vals, Step: 1})
		longest = max(longest, len(vals))
	}
	if len(traces) == 0 {
		return nil, fmt.Errorf("datasets: pensieve has no folder %q; use one of %v", folder, PensieveFolders)
	}
	return traffic.NewDataset(folder, traces, nil, traffic.Feature{Kind: traffic.BytesPerBin, Bin: 1, Length: longest})
}

// The embedded archives are decoded once; Alexa and Pensieve build fresh
// traces from the (never modified) arrays on every call.
var (
	alexaOnce    = sync.OnceValues(func() (*alexaArrays, error) { return decodeAlexa(alexaNPZ) })
	pensieveOnce = sync.OnceValues(func() (*pensieveArrays, error) { return decodePensieve(pensieveNPZ) })
)

// alexaArrays are the decoded members of alexa.npz.
type alexaArrays struct {
	classes, files, groups []string
	label                  []int16
	offsets                []int64
	gapLo, gapHi           []uint16
	size                   []uint16
	dir                    []int8
}

// packets rebuilds trace i: times are cumulative sums of the µs gaps.
func (a *alexaArrays) packets(i int) []traffic.Packet {
	lo, hi := a.offsets[i], a.offsets[i+1]
	out := make([]traffic.Packet, 0, hi-lo)
	us := int64(0)
	for k := lo; k < hi; k++ {
		us += int64(a.gapHi[k])<<16 | int64(a.gapLo[k])
		out = append(out, traffic.Packet{Time: float64(us) / 1e6, Size: float64(a.size[k]), Dir: traffic.Direction(a.dir[k])})
	}
	return out
}

func decodeAlexa(b []byte) (*alexaArrays, error) {
	f := "datasets: embedded " + AlexaFile
	r, err := npy.NewArchive(bytes.NewReader(b), int64(len(b)), f, npy.Limits{})
	if err != nil {
		return nil, err
	}
	a := &alexaArrays{}
	var cl, fl, gr []byte
	err = errors.Join(
		readMember(r, f, "classes", &cl), readMember(r, f, "files", &fl), readMember(r, f, "groups", &gr),
		readMember(r, f, "label", &a.label), readMember(r, f, "offsets", &a.offsets),
		readMember(r, f, "gap_lo", &a.gapLo), readMember(r, f, "gap_hi", &a.gapHi),
		readMember(r, f, "size", &a.size), readMember(r, f, "direction", &a.dir))
	if err != nil {
		return nil, err
	}
	a.classes, a.files, a.groups = splitText(cl), splitText(fl), splitText(gr)
	n := len(a.files)
	if err := checkOffsets(AlexaFile, a.offsets, n, len(a.size)); err != nil {
		return nil, err
	}
	switch {
	case len(a.groups) != n || len(a.label) != n:
		return nil, fmt.Errorf("datasets: embedded %s: %d files, %d groups, %d labels", AlexaFile, n, len(a.groups), len(a.label))
	case len(a.gapLo) != len(a.size) || len(a.gapHi) != len(a.size) || len(a.dir) != len(a.size):
		return nil, fmt.Errorf("datasets: embedded %s: %d+%d gaps, %d sizes, %d directions", AlexaFile, len(a.gapLo), len(a.gapHi), len(a.size), len(a.dir))
	}
	for i, l := range a.label {
		if l < 0 || int(l) >= len(a.classes) {
			return nil, fmt.Errorf("datasets: embedded %s: trace %d has label %d of %d classes", AlexaFile, i, l, len(a.classes))
		}
	}
	for k, d := range a.dir {
		if d != 1 && d != -1 {
			return nil, fmt.Errorf("datasets: embedded %s: packet %d has direction %d", AlexaFile, k, d)
		}
	}
	return a, nil
}

// pensieveArrays are the decoded members of pensieve.npz.
type pensieveArrays struct {
	files   []string
	offsets []int64
	timeMS  []int32
	mbps    []float32
}

// lines rebuilds log i: times in seconds and rates in Mbit/s.
func (p *pensieveArrays) lines(i int) (times, rates []float64) {
	lo, hi := p.offsets[i], p.offsets[i+1]
	ms := int64(0)
	for k := lo; k < hi; k++ {
		ms += int64(p.timeMS[k])
		times = append(times, float64(ms)/1000)
		rates = append(rates, float64(p.mbps[k]))
	}
	return times, rates
}

func decodePensieve(b []byte) (*pensieveArrays, error) {
	f := "datasets: embedded " + PensieveFile
	r, err := npy.NewArchive(bytes.NewReader(b), int64(len(b)), f, npy.Limits{})
	if err != nil {
		return nil, err
	}
	p := &pensieveArrays{}
	var fl []byte
	err = errors.Join(readMember(r, f, "files", &fl), readMember(r, f, "offsets", &p.offsets),
		readMember(r, f, "time_ms", &p.timeMS), readMember(r, f, "mbps", &p.mbps))
	if err != nil {
		return nil, err
	}
	p.files = splitText(fl)
	if err := checkOffsets(PensieveFile, p.offsets, len(p.files), len(p.timeMS)); err != nil {
		return nil, err
	}
	if len(p.mbps) != len(p.timeMS) {
		return nil, fmt.Errorf("datasets: embedded %s: %d times, %d rates", PensieveFile, len(p.timeMS), len(p.mbps))
	}
	return p, nil
}

// readMember reads the 1-D member name of archive file r into *dst, whose element type
// must be the member's dtype exactly.
func readMember[T npy.Element](r *npy.Archive, file, name string, dst *[]T) error {
	arr, err := r.Read(name)
	if err != nil {
		return err
	}
	if len(arr.Shape) != 1 {
		return fmt.Errorf("%s: member %s has shape %v, want 1-D", file, name, arr.Shape)
	}
	*dst, err = npy.Values[T](arr, file)
	return err
}

// checkOffsets checks that offsets split n items into non-decreasing,
// in-range runs covering total elements.
func checkOffsets(file string, off []int64, n, total int) error {
	if len(off) != n+1 || off[0] != 0 || off[n] != int64(total) {
		return fmt.Errorf("datasets: embedded %s: %d offsets for %d traces of %d elements in all", file, len(off), n, total)
	}
	for i := 1; i < len(off); i++ {
		if off[i] < off[i-1] {
			return fmt.Errorf("datasets: embedded %s: offset %d goes backwards", file, i)
		}
	}
	return nil
}

func splitText(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(string(b), "\n")
}
