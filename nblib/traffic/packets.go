package traffic

import (
	"fmt"
	"math"
)

// Frame sizes PacketsFromSeries keeps to, so that its packets fit a capture.
const (
	MinFrame = 14 + 20 + 20 // Ethernet, IPv4 and TCP headers: the smallest frame it writes
	MaxFrame = 1514         // the largest Ethernet frame without jumbo frames (1500-byte MTU)
)

// PacketsFromSeries turns a series of feature f (as f.Of computes it) back into packets, so that a
// synthetic series can be written as a trace and a capture:
//
//   - Sizes, SignedSizes: one packet per value up to the last non-zero one (the zeros after it are
//     f.Of's padding of a short trace), at time k*step; size |v| rounded to whole bytes, direction the
//     sign of v (Sizes: Down).
//   - Directions: one packet per value up to the last non-zero one, at time k*step, direction the sign
//     of v (zero: Down), size MinFrame.
//   - Gaps: packets at the running sum of the gaps (the first value is f.Of's 0), up to the last non-zero
//     gap, size MinFrame, direction Down.
//   - BytesPerBin: bin j's bytes B (rounded to whole bytes) become n = ceil(B/MaxFrame) packets whose
//     sizes differ by at most one byte and add up to B, at times (j + 0.1 + 0.8 m/n)*bin for m < n (the
//     trace's first packet at the start of its bin, as f.Of counts bins from the first packet), in
//     direction f.Dir (Down when f counts both).
//
// Sizes below MinFrame (a bin of fewer bytes, a packet value near zero) are raised to MinFrame: a
// capture cannot hold a smaller TCP frame. Where nothing is raised and no leading bin is empty, f.Of
// of the packets gives the rounded series back exactly. Values (a ready series) has no packets and is an
// error, as are non-finite values and a step that is not positive.
func PacketsFromSeries(series []float64, f Feature, step float64) ([]Packet, error) {
	for k, v := range series {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) > 1e15 {
			return nil, fmt.Errorf("traffic: value %d (%g) is not a finite number of reasonable size", k, v)
		}
	}
	if !(step > 0) || math.IsInf(step, 0) {
		return nil, fmt.Errorf("traffic: the time step %g is not a positive number of seconds", step)
	}
	end := lastNonZero(series) + 1
	switch f.Kind {
	case Sizes, SignedSizes, Directions:
		out := make([]Packet, end)
		for k, v := range series[:end] {
			out[k] = packetOf(f.Kind, v, float64(k)*step)
		}
		return out, nil
	case Gaps:
		out := make([]Packet, max(end, min(len(series), 1)))
		t := 0.0
		for k := range out {
			if k > 0 {
				t += math.Max(series[k], 0)
			}
			out[k] = Packet{Time: t, Size: MinFrame, Dir: Down}
		}
		return out, nil
	case BytesPerBin:
		return binPackets(series, f), nil
	}
	return nil, fmt.Errorf("traffic: feature %v is a ready series, not packets: it has no capture form", f)
}

func lastNonZero(s []float64) int {
	for k := len(s) - 1; k >= 0; k-- {
		if s[k] != 0 {
			return k
		}
	}
	return -1
}

// packetOf is one packet of a per-packet feature value.
func packetOf(k Kind, v, t float64) Packet {
	dir := Down
	if v > 0 && k != Sizes {
		dir = Up
	}
	size := math.Round(math.Abs(v))
	if k == Directions || size < MinFrame || (k == Sizes && v < 0) {
		size = MinFrame
	}
	return Packet{Time: t, Size: size, Dir: dir}
}

// binPackets spreads each bin's bytes over packets of at most MaxFrame bytes.
func binPackets(series []float64, f Feature) []Packet {
	bin, dir := f.bin(), f.Dir
	if dir == 0 {
		dir = Down
	}
	out := []Packet{} // an empty trace still has packets (none), not a ready series
	for j, v := range series {
		bytes := math.Round(math.Max(v, 0))
		if bytes == 0 {
			continue
		}
		bytes = math.Max(bytes, MinFrame)
		n := math.Ceil(bytes / MaxFrame)
		base := math.Floor(bytes / n)
		extra := int(bytes - base*n) // this many packets carry one byte more
		for m := range int(n) {
			size := base
			if m < extra {
				size++
			}
			t := (float64(j) + 0.1 + 0.8*float64(m)/n) * bin
			if len(out) == 0 {
				t = float64(j) * bin
			}
			out = append(out, Packet{Time: t, Size: size, Dir: dir})
		}
	}
	return out
}
