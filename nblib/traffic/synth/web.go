package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// WebConfig sizes a D2-like dataset.
type WebConfig struct {
	Sites         int // classes
	TracesPerSite int
	Length        int // packets kept per trace (5000 in DF)
	// Noise scales visit-to-visit variation (1: default).
	Noise float64
}

// resource is one object of a page template.
type resource struct {
	round int     // dependency round: 0 document, 1 scripts/styles, 2 media
	cells float64 // median response size in cells
}

// Web generates a D2-like dataset of Tor-cell direction traces: one packet
// per cell, Up for requests and acks, Down for response cells. Labels are
// "site-NN", all in group "web".
func Web(cfg WebConfig, seed uint64) *traffic.Dataset {
	var traces []traffic.Trace
	var classes []string
	for s := range cfg.Sites {
		label := fmt.Sprintf("site-%02d", s+1)
		classes = append(classes, label)
		tmpl := siteTemplate(newRand(seed, "site", s))
		for v := range cfg.TracesPerSite {
			r := newRand(seed, "visit", s, v)
			traces = append(traces, traffic.Trace{
				ID: fmt.Sprintf("%s-visit%03d", label, v+1), Label: label, Group: "web",
				Packets: visit(r, tmpl, cfg),
			})
		}
	}
	ds, err := traffic.NewDataset("d2-web", traces, classes, traffic.PacketFeature(traffic.Directions, cfg.Length))
	if err != nil {
		panic(err)
	}
	return ds
}

func siteTemplate(r *rand.Rand) []resource {
	n := 4 + int(logNormal(r, 14, 0.6))
	out := []resource{{round: 0, cells: logNormal(r, 60, 0.8)}}
	for range n {
		round := 1 + r.IntN(2)
		out = append(out, resource{round: round, cells: logNormal(r, 25, 1.1)})
	}
	return out
}

// visit renders one page load as packets.
func visit(r *rand.Rand, tmpl []resource, cfg WebConfig) []traffic.Packet {
	noise := cfg.Noise
	rtt := logNormal(r, 0.25, 0.3*noise+0.01) // Tor circuit RTT
	rounds := map[int][]float64{}
	for _, res := range tmpl {
		if res.round > 0 && r.Float64() < 0.04*noise { // cached or blocked
			continue
		}
		rounds[res.round] = append(rounds[res.round], res.cells*logNormal(r, 1, 0.1*noise+0.01))
	}
	for range poisson(r, 1*noise) { // third-party extras
		rounds[2] = append(rounds[2], logNormal(r, 15, 1))
	}
	var out []traffic.Packet
	t := 0.0
	for round := 0; round <= 2; round++ {
		out, t = renderRound(r, out, t, rtt, rounds[round], noise)
		if len(out) >= cfg.Length {
			break
		}
	}
	return out
}

// renderRound sends one request per resource, then interleaves the
// responses of the round as parallel streams.
func renderRound(r *rand.Rand, out []traffic.Packet, t, rtt float64, sizes []float64, noise float64) ([]traffic.Packet, float64) {
	for range sizes {
		t += r.ExpFloat64() * 0.002
		out = append(out, traffic.Packet{Time: t, Size: 512, Dir: traffic.Up})
	}
	t += rtt
	remaining := make([]int, len(sizes))
	for i, sz := range sizes {
		remaining[i] = max(1, int(math.Round(sz)))
	}
	sort.Ints(remaining)
	active := make([]int, len(remaining)) // streams with cells left
	for i := range active {
		active[i] = i
	}
	for len(active) > 0 {
		k := r.IntN(len(active))
		i := active[k]
		remaining[i]--
		if remaining[i] == 0 {
			active = append(active[:k], active[k+1:]...)
		}
		t += r.ExpFloat64() * 0.004 * (1 + 0.5*noise*r.Float64())
		out = append(out, traffic.Packet{Time: t, Size: 512, Dir: traffic.Down})
		if r.Float64() < 0.08 { // SENDME / acks
			out = append(out, traffic.Packet{Time: t, Size: 512, Dir: traffic.Up})
		}
	}
	return out, t
}
