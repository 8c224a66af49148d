package traffic

import (
	"fmt"
	"math"
)

// Kind selects what a Feature extracts from a trace.
type Kind int

// Feature kinds; see the package documentation for the formulas.
const (
	BytesPerBin Kind = iota // bytes per time bin (D1)
	Directions              // +1/-1 per packet (D2)
	Gaps                    // inter-packet gaps in seconds (D2, D3)
	Sizes                   // packet sizes in bytes (D3)
	SignedSizes             // direction * size (D3)
	Values                  // the trace's ready series as is (WW)
)

var kindNames = [...]string{"bytes", "direction", "gap", "size", "signed", "values"}

// String returns the kind's short name, as accepted by ParseKind.
func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return fmt.Sprintf("Kind(%d)", int(k))
	}
	return kindNames[k]
}

// ParseKind is the inverse of Kind.String.
func ParseKind(s string) (Kind, error) {
	for i, n := range kindNames {
		if n == s {
			return Kind(i), nil
		}
	}
	return 0, fmt.Errorf("traffic: unknown feature %q; use one of %v", s, kindNames)
}

// DefaultBin is the paper's bin width for D1, in seconds.
const DefaultBin = 0.25

// Feature describes one fixed-length series extracted from a trace.
type Feature struct {
	Kind   Kind
	Length int       // output length: bins, packets or values; must be > 0
	Bin    float64   // BytesPerBin: bin width in seconds (DefaultBin when 0)
	Dir    Direction // BytesPerBin: count only this direction; 0 counts both
}

// BinnedBytes is the D1 feature: bytes in direction dir per bin of bin
// seconds over the first duration seconds, e.g. BinnedBytes(0.25, 180, Down)
// has 720 bins.
func BinnedBytes(bin, duration float64, dir Direction) Feature {
	return Feature{Kind: BytesPerBin, Bin: bin, Dir: dir, Length: int(math.Round(duration / bin))}
}

// PacketFeature is a per-packet feature over the first n packets.
func PacketFeature(k Kind, n int) Feature { return Feature{Kind: k, Length: n} }

// String describes f, e.g. "bytes/0.25s/down x720".
func (f Feature) String() string {
	if f.Kind != BytesPerBin {
		return fmt.Sprintf("%s x%d", f.Kind, f.Length)
	}
	dir := "both"
	switch f.Dir {
	case Up:
		dir = "up"
	case Down:
		dir = "down"
	}
	return fmt.Sprintf("bytes/%gs/%s x%d", f.bin(), dir, f.Length)
}

func (f Feature) bin() float64 {
	if f.Bin <= 0 {
		return DefaultBin
	}
	return f.Bin
}

// Of computes the feature of one trace. It panics if f.Length <= 0
// (misuse) and returns an error when the trace lacks what the feature
// needs (packets, or a ready series whose step fits the bin).
func (f Feature) Of(t *Trace) ([]float64, error) {
	if f.Length <= 0 {
		panic(fmt.Sprintf("traffic: feature %v has length %d", f.Kind, f.Length))
	}
	if t.Packets == nil {
		return f.fromValues(t)
	}
	out := make([]float64, f.Length)
	switch f.Kind {
	case BytesPerBin:
		binBytes(out, t.Packets, f.bin(), f.Dir)
		return out, nil
	case Values:
		return nil, fmt.Errorf("trace %q has packets, not a ready series; use a packet feature", t.ID)
	}
	n := min(len(t.Packets), f.Length)
	for k := range n {
		out[k] = packetValue(f.Kind, t.Packets, k)
	}
	return out, nil
}

func packetValue(k Kind, p []Packet, i int) float64 {
	switch k {
	case Directions:
		return float64(p[i].Dir)
	case Gaps:
		if i == 0 {
			return 0
		}
		return p[i].Time - p[i-1].Time
	case Sizes:
		return p[i].Size
	case SignedSizes:
		return float64(p[i].Dir) * p[i].Size
	}
	panic(fmt.Sprintf("traffic: unknown packet feature %v", k))
}

// binBytes adds every matching packet's size to its bin; packets before the
// first packet or past the last bin are ignored (truncation).
func binBytes(out []float64, p []Packet, bin float64, dir Direction) {
	if len(p) == 0 {
		return
	}
	t0 := p[0].Time
	for _, q := range p {
		if dir != 0 && q.Dir != dir {
			continue
		}
		i := int(math.Floor((q.Time - t0) / bin))
		if i >= 0 && i < len(out) {
			out[i] += q.Size
		}
	}
}

// fromValues handles ready series: Values pads or truncates them, and
// BytesPerBin re-bins them when the bin is a whole multiple of the step.
func (f Feature) fromValues(t *Trace) ([]float64, error) {
	switch f.Kind {
	case Values:
		return Fit(t.Values, f.Length), nil
	case BytesPerBin:
		return rebin(t, f.bin(), f.Length)
	}
	return nil, fmt.Errorf("trace %q is a ready series without packets; feature %v needs packets", t.ID, f.Kind)
}

func rebin(t *Trace, bin float64, n int) ([]float64, error) {
	if t.Step <= 0 {
		return nil, fmt.Errorf("trace %q is a ready series with unknown step; cannot bin it by %g s", t.ID, bin)
	}
	ratio := bin / t.Step
	r := int(math.Round(ratio))
	if r < 1 || math.Abs(ratio-float64(r)) > 1e-9*ratio {
		return nil, fmt.Errorf("trace %q has step %g s; bin %g s must be a whole multiple of it", t.ID, t.Step, bin)
	}
	out := make([]float64, n)
	for i, v := range t.Values {
		if i/r >= n {
			break
		}
		out[i/r] += v
	}
	return out, nil
}

// Fit returns x truncated or zero padded to length n, as a new slice.
func Fit(x []float64, n int) []float64 {
	out := make([]float64, n)
	copy(out, x)
	return out
}
