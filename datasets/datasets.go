package datasets

import (
	"fmt"
	"sort"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/traffic"
	"github.com/netdiffus/netdiffus/nblib/traffic/synth"
)

// Variant selects a dataset's size.
type Variant string

// The three sizes of every synthetic default dataset (the embedded real ones have one size).
const (
	Small Variant = "small" // CI, smoke and cpu runs: sub-second generation (10 traces per class)
	// Medium has 50 traces per class (40 training and 10 test at the presets' 0.8 split): enough test
	// traces to decide the paper's larger effects (see nblib/preset's doc for the power calculation),
	// at a CPU's cost: training cost does not grow with the number of traces.
	Medium Variant = "medium"
	Full   Variant = "full" // the paper's sizes
)

// LegacySmall is the former name of Small, accepted when reading (ParseVariant, JSON) so that stored
// configurations and references keep their meaning.
const LegacySmall = "quick"

// ParseVariant accepts "small", "medium" or "full" (and "quick", the former name of small).
func ParseVariant(s string) (Variant, error) {
	switch Variant(s) {
	case Small, Medium, Full:
		return Variant(s), nil
	case LegacySmall:
		return Small, nil
	}
	return "", fmt.Errorf("datasets: variant %q: use small, medium or full", s)
}

// UnmarshalText reads a variant by ParseVariant's names, so JSON holding the former name "quick"
// reads as Small; "" stays the unset variant (the zero value, refused where a variant is needed), and
// another unknown name is an error.
func (v *Variant) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*v = ""
		return nil
	}
	p, err := ParseVariant(string(b))
	if err != nil {
		return err
	}
	*v = p
	return nil
}

// DefaultSeed is the seed notebooks and the command line use unless told
// otherwise.
const DefaultSeed uint64 = 1

// Card summarises one default dataset.
type Card struct {
	Name    string // "d1", "d2", "d3" or "ww"
	Title   string
	Task    string // the classification task
	Feature string // the default feature
	Groups  string // what Trace.Group holds
	Small   string // size of the small variant
	Medium  string // size of the medium variant
	Full    string // size of the full variant
}

type entry struct {
	card Card
	gen  func(v Variant, seed uint64) (*traffic.Dataset, error)
}

// synthetic wraps a generator that cannot fail.
func synthetic(gen func(v Variant, seed uint64) *traffic.Dataset) func(Variant, uint64) (*traffic.Dataset, error) {
	return func(v Variant, seed uint64) (*traffic.Dataset, error) { return gen(v, seed), nil }
}

// embedded serves an embedded dataset: the variant and the seed change nothing
// (there is no more real data to draw, and none to generate).
func embedded(load func() (*traffic.Dataset, error)) func(Variant, uint64) (*traffic.Dataset, error) {
	return func(Variant, uint64) (*traffic.Dataset, error) { return load() }
}

var registry = map[string]entry{
	"d1": {Card{"d1", "D1-like video streaming (synthetic)", "fingerprint the video within a platform (L3), or the platform (L2)",
		"downlink bytes per 0.25 s bin, 180 s = 720 bins", "platform: youtube, stan, netflix",
		"3 platforms x 10 videos x 10 sessions = 300", "3 platforms x 10 videos x 50 sessions = 1500", "3 platforms x 20 videos x 100 sessions = 6000"}, synthetic(D1)},
	"d2": {Card{"d2", "D2-like website fingerprinting (synthetic, DF-style Tor cells)", "fingerprint the website",
		"packet directions +1/-1, 5000 packets (zero padded)", "web",
		"20 sites x 10 visits = 200", "20 sites x 50 visits = 1000", "20 sites x 100 visits = 2000"}, synthetic(D2)},
	"d3": {Card{"d3", "D3-like smart-speaker commands (synthetic)", "classify the voice command within a device (L3), or the device (L2)",
		"signed packet sizes, 300 packets (size, direction and gaps available)", "device: alexa, google",
		"2 devices x 10 commands x 10 = 200", "2 devices x 10 commands x 50 = 1000 (as full)", "2 devices x 10 commands x 50 = 1000"}, synthetic(D3)},
	"ww": {Card{"ww", "WW-like Wikipedia web traffic (synthetic)", "classify the access type (all-access, desktop, mobile-web)",
		"daily page views, 550 days", "domain, e.g. en.wikipedia.org",
		"3 access types x 30 pages = 90", "3 access types x 50 pages = 150", "3 access types x 1000 pages = 3000"}, synthetic(WW)},
}

// realRegistry holds the real datasets embedded in datasets/real.
var realRegistry = map[string]entry{
	"alexa": {Card{"alexa", "VCFingerprinting Amazon Echo, 10 commands (real)", "classify the voice command (the paper's D3-Alexa L3 task)",
		"signed packet sizes, 300 packets (size, direction and gaps available)", "capture set: A, L",
		"10 commands x 10 traces = 100 (same as full)", "10 commands x 10 traces = 100 (same as full)", "10 commands x 10 traces = 100"}, embedded(func() (*traffic.Dataset, error) { return Alexa(AlexaCommands10) })},
	"alexa100": {Card{"alexa100", "VCFingerprinting Amazon Echo, 100 commands (real)", "classify the voice command",
		"signed packet sizes, 300 packets (size, direction and gaps available)", "capture set: A, L",
		"100 commands x 10 traces = 1000 (same as full)", "100 commands x 10 traces = 1000 (same as full)", "100 commands x 10 traces = 1000"}, embedded(func() (*traffic.Dataset, error) { return Alexa(nil) })},
	"pensieve": {Card{"pensieve", "Pensieve Norway 3G/HSDPA throughput by transport mode (real)", "classify the transport mode",
		"bytes per 1 s, zero padded to the longest trace (318 s)", "norway",
		"6 modes, 142 traces (same as full)", "6 modes, 142 traces (same as full)", "6 modes, 142 traces"}, embedded(func() (*traffic.Dataset, error) { return Pensieve("cooked_test_traces") })},
}

// Names lists the synthetic default datasets in order (RealNames lists the
// embedded real ones; Load serves both).
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RealNames lists the embedded real datasets in order.
func RealNames() []string {
	names := make([]string, 0, len(realRegistry))
	for n := range realRegistry {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// RealCards returns the card of every embedded real dataset, in RealNames
// order.
func RealCards() []Card {
	var out []Card
	for _, n := range RealNames() {
		out = append(out, realRegistry[n].card)
	}
	return out
}

// Cards returns the card of every synthetic default dataset, in Names order.
func Cards() []Card {
	var out []Card
	for _, n := range Names() {
		out = append(out, registry[n].card)
	}
	return out
}

// Load returns the named dataset: a synthetic one ("d1", "d2", "d3" or
// "ww"), generated from the variant and the seed, or an embedded real one
// ("alexa", "alexa100" or "pensieve"), the same for every variant and seed,
// or one registered with Register (by the name Register returned).
func Load(name string, v Variant, seed uint64) (*traffic.Dataset, error) {
	key := strings.ToLower(name)
	e, ok := registry[key]
	if !ok {
		e, ok = realRegistry[key]
	}
	if ds, mine := registered(key); !ok && mine {
		e, ok = entry{gen: func(Variant, uint64) (*traffic.Dataset, error) { return ds, nil }}, true
	}
	if !ok {
		return nil, fmt.Errorf("datasets: unknown dataset %q; the defaults are %v (synthetic) and %v (real) (bring your own data with nblib/traffic/trafficio)", name, Names(), RealNames())
	}
	v, err := ParseVariant(string(v))
	if err != nil {
		return nil, err
	}
	return e.gen(v, seed)
}

func pick[T any](v Variant, small, medium, full T) T {
	switch v {
	case Full:
		return full
	case Medium:
		return medium
	}
	return small
}

// D1 generates the video-streaming dataset; groups are platforms.
func D1(v Variant, seed uint64) *traffic.Dataset {
	return synth.Video(synth.VideoConfig{
		Videos: pick(v, 10, 10, 20), TracesPerVideo: pick(v, 10, 50, 100),
		Duration: 180, Bin: traffic.DefaultBin, Noise: 1,
	}, seed)
}

// D2 generates the website-fingerprinting dataset.
func D2(v Variant, seed uint64) *traffic.Dataset {
	return synth.Web(synth.WebConfig{Sites: 20, TracesPerSite: pick(v, 10, 50, 100), Length: 5000, Noise: 1}, seed)
}

// D3 generates the smart-speaker dataset; groups are devices.
func D3(v Variant, seed uint64) *traffic.Dataset {
	return synth.Speakers(synth.SpeakerConfig{TracesPerCommand: pick(v, 10, 50, 50), Length: 300, Noise: 1}, seed)
}

// WW generates the Wikipedia web-traffic dataset; classes are access types.
func WW(v Variant, seed uint64) *traffic.Dataset {
	return synth.Wiki(synth.WikiConfig{PagesPerAccess: pick(v, 30, 50, 1000), Days: 550, Noise: 1}, seed)
}
