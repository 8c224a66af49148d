package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Platform describes one streaming service's player.
type Platform struct {
	Name    string
	Ladder  []float64 // video bitrates, Mbit/s, ascending
	Segment float64   // segment duration, seconds
	Buffer  float64   // buffer target, seconds
	VBR     float64   // deviation of log segment complexity
	Audio   float64   // audio bitrate, Mbit/s (separate segments), 0 for muxed
}

// DefaultPlatforms are three players loosely shaped like the paper's YouTube,
// Stan and Netflix: different ladders, segment lengths and buffer targets.
func DefaultPlatforms() []Platform {
	return []Platform{
		{Name: "youtube", Ladder: []float64{0.4, 0.75, 1.5, 2.5, 4.5}, Segment: 5, Buffer: 60, VBR: 0.45, Audio: 0.13},
		{Name: "stan", Ladder: []float64{0.6, 1.2, 2.2, 3.5, 5.5}, Segment: 4, Buffer: 40, VBR: 0.34},
		{Name: "netflix", Ladder: []float64{0.35, 0.75, 1.75, 3.0, 5.8}, Segment: 4, Buffer: 30, VBR: 0.4, Audio: 0.19},
	}
}

// VideoConfig sizes a D1-like dataset.
type VideoConfig struct {
	Platforms      []Platform // DefaultPlatforms when nil
	Videos         int        // videos per platform (classes)
	TracesPerVideo int
	Duration       float64 // seconds captured per session
	Bin            float64 // bin width, seconds
	// Noise scales the network and player noise (1: default realism; 0:
	// ideal link, no aborts, no background).
	Noise float64
}

// Video generates a D1-like dataset: one ready series of downlink bytes per
// bin per session. Labels are "<platform>-v<NN>", groups the platform.
func Video(cfg VideoConfig, seed uint64) *traffic.Dataset {
	if cfg.Platforms == nil {
		cfg.Platforms = DefaultPlatforms()
	}
	nBins := int(math.Round(cfg.Duration / cfg.Bin))
	var traces []traffic.Trace
	var classes []string
	for pi, p := range cfg.Platforms {
		for v := range cfg.Videos {
			label := fmt.Sprintf("%s-v%02d", p.Name, v+1)
			classes = append(classes, label)
			cx := complexity(newRand(seed, "video", pi, v), p, cfg.Duration)
			for s := range cfg.TracesPerVideo {
				r := newRand(seed, "session", pi, v, s)
				sess := &session{p: p, cfg: cfg, cx: cx, bins: make([]float64, nBins)}
				sess.run(r)
				traces = append(traces, traffic.Trace{
					ID: fmt.Sprintf("%s-s%03d", label, s+1), Label: label, Group: p.Name,
					Values: sess.bins, Step: cfg.Bin,
				})
			}
		}
	}
	ds, err := traffic.NewDataset("d1-video", traces, classes, traffic.BinnedBytes(cfg.Bin, cfg.Duration, traffic.Down))
	if err != nil {
		panic(err) // impossible: classes lists every label
	}
	return ds
}

// complexity draws a video's per-segment complexity, mean 1.
func complexity(r *rand.Rand, p Platform, duration float64) []float64 {
	n := int(duration/p.Segment) * 3 // enough segments for fast links
	a := newAR1(r, 0.6, p.VBR)
	out := make([]float64, n)
	for k := range out {
		out[k] = math.Exp(a.next(r) - p.VBR*p.VBR/2)
	}
	return out
}

// session simulates one streaming session into bins.
type session struct {
	p    Platform
	cfg  VideoConfig
	cx   []float64
	bins []float64

	lastSec, fluctX float64 // throughput process state, per second
}

func (s *session) run(r *rand.Rand) {
	noise := s.cfg.Noise
	link := logNormal(r, 6, 0.25*noise+0.01) // Mbit/s
	fluct := newAR1(r, 0.9, 0.15*noise+0.001)
	rate := func(t float64) float64 { // throughput at time t, Mbit/s, piecewise per second
		for fluctT := math.Floor(t); s.lastSec < fluctT; s.lastSec++ {
			s.fluctX = fluct.next(r)
		}
		return link * math.Exp(s.fluctX)
	}
	s.lastSec = -1
	t := 0.2 + r.Float64()*0.8*noise // startup / first request delay
	rtt := logNormal(r, 0.04, 0.4)
	buffer, playing := 0.0, false
	level := 1
	var hist []float64
	for k := 0; k < len(s.cx) && t < s.cfg.Duration; k++ {
		bytes := s.p.Ladder[level] * s.p.Segment * s.cx[k] * 1e6 / 8
		if noise > 0 && r.Float64() < 0.03*noise { // aborted download, re-requested
			part := bytes * r.Float64()
			t = s.download(t, part, rate(t), rtt)
		}
		start := t
		t = s.download(t, bytes, rate(t), rtt)
		if s.p.Audio > 0 {
			t = s.download(t, s.p.Audio*s.p.Segment*1e6/8, rate(t), rtt)
		}
		hist = append(hist, bytes*8/1e6/math.Max(t-start, 1e-3))
		level = s.pick(hist)
		// playback drains the buffer during the download
		if playing {
			buffer = math.Max(0, buffer-(t-start))
		}
		buffer += s.p.Segment
		if !playing && buffer >= 2*s.p.Segment {
			playing = true
		}
		if buffer > s.p.Buffer { // off period until the buffer has room
			wait := buffer - (s.p.Buffer - s.p.Segment)
			wait *= 1 + 0.05*noise*r.NormFloat64()
			t += math.Max(wait, 0)
			buffer -= math.Max(wait, 0)
		}
	}
	if noise > 0 { // background: keep-alives, telemetry, ads
		for i := range s.bins {
			if r.Float64() < 0.15 {
				s.bins[i] += logNormal(r, 800, 1) * noise
			}
		}
	}
}

// download spreads bytes over the bins covered by [t+rtt, t+rtt+bytes/rate]
// and returns the end time.
func (s *session) download(t, bytes, mbps, rtt float64) float64 {
	t += rtt
	dur := bytes * 8 / (mbps * 1e6)
	end := t + dur
	for a := t; a < end; {
		i := int(a / s.cfg.Bin)
		if i >= len(s.bins) {
			break
		}
		b := math.Min(end, float64(i+1)*s.cfg.Bin)
		s.bins[i] += bytes * (b - a) / dur
		a = b
	}
	return end
}

// pick is a throughput-based ABR: highest rate below 0.8x the harmonic
// mean of the last three segment throughputs.
func (s *session) pick(hist []float64) int {
	n := min(3, len(hist))
	inv := 0.0
	for _, h := range hist[len(hist)-n:] {
		inv += 1 / h
	}
	est := float64(n) / inv
	level := 0
	for i, b := range s.p.Ladder {
		if b <= 0.8*est {
			level = i
		}
	}
	return level
}
