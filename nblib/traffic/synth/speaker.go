package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Device describes one smart speaker's traffic habits.
type Device struct {
	Name     string
	Commands []string
	// Spread is the log-scale spread of per-command means: smaller means
	// more overlapping classes.
	Spread float64
	Hello  []float64 // sizes of the fixed handshake packets (+ up, - down)
}

// DefaultDevices are the two speakers of D3 with ten commands each.
func DefaultDevices() []Device {
	return []Device{
		{Name: "alexa", Spread: 0.5, Hello: []float64{176, -1500, -1500, -1163, 93, -66},
			Commands: []string{"alarm", "joke", "news", "time", "weather", "music", "timer", "fact", "spell", "volume"}},
		{Name: "google", Spread: 0.9, Hello: []float64{583, -1430, -1430, -760, 126, 96},
			Commands: []string{"alarm", "joke", "news", "time", "weather", "music", "timer", "fact", "translate", "lights"}},
	}
}

// SpeakerConfig sizes a D3-like dataset.
type SpeakerConfig struct {
	Devices          []Device // DefaultDevices when nil
	TracesPerCommand int
	Length           int // packets kept (300 in the paper)
	Noise            float64
}

// command holds the per-class means of one command.
type command struct {
	query, think, response, tail float64
}

// Speakers generates a D3-like dataset. Labels are "<device>-<command>",
// groups the device.
func Speakers(cfg SpeakerConfig, seed uint64) *traffic.Dataset {
	if cfg.Devices == nil {
		cfg.Devices = DefaultDevices()
	}
	var traces []traffic.Trace
	var classes []string
	for di, d := range cfg.Devices {
		for ci, name := range d.Commands {
			label := d.Name + "-" + name
			classes = append(classes, label)
			cr := newRand(seed, "command", di, ci)
			c := command{
				query:    logNormal(cr, 1.6, d.Spread),
				think:    logNormal(cr, 0.7, d.Spread),
				response: logNormal(cr, 60000, 1.2*d.Spread),
				tail:     logNormal(cr, 8, d.Spread),
			}
			for k := range cfg.TracesPerCommand {
				r := newRand(seed, "utterance", di, ci, k)
				traces = append(traces, traffic.Trace{
					ID: fmt.Sprintf("%s-%03d", label, k+1), Label: label, Group: d.Name,
					Packets: utterance(r, d, c, cfg),
				})
			}
		}
	}
	ds, err := traffic.NewDataset("d3-speakers", traces, classes, traffic.PacketFeature(traffic.SignedSizes, cfg.Length))
	if err != nil {
		panic(err)
	}
	return ds
}

// utterance renders one voice command, cut at cfg.Length packets.
func utterance(r *rand.Rand, d Device, c command, cfg SpeakerConfig) []traffic.Packet {
	noise := cfg.Noise
	var out []traffic.Packet
	t := 0.0
	add := func(gap, size float64, dir traffic.Direction) {
		t += gap
		out = append(out, traffic.Packet{Time: t, Size: math.Min(1500, math.Max(54, math.Round(size))), Dir: dir})
	}
	for _, h := range d.Hello {
		dir := traffic.Up
		if h < 0 {
			dir = traffic.Down
		}
		add(r.ExpFloat64()*0.01, math.Abs(h)+noise*4*r.NormFloat64(), dir)
	}
	// voice upload: ~40 packets/s for the spoken query, acks every few
	q := c.query * logNormal(r, 1, 0.2*noise+0.01)
	for n := int(q * 40); n > 0; n-- {
		add(0.025*logNormal(r, 1, 0.3*noise+0.01), 300+600*r.Float64(), traffic.Up)
		if r.Float64() < 0.3 {
			add(0.002, 66, traffic.Down)
		}
	}
	t += c.think * logNormal(r, 1, 0.4*noise+0.01)
	// response audio / content
	resp := c.response * logNormal(r, 1, 0.25*noise+0.01)
	for resp > 0 && len(out) < cfg.Length {
		size := math.Min(1500, resp)
		add(r.ExpFloat64()*0.003, size, traffic.Down)
		resp -= size
		if r.Float64() < 0.5 {
			add(0.0005, 66, traffic.Up)
		}
	}
	// tail: telemetry and keep-alives
	for range poisson(r, c.tail*(1+0.5*noise*r.NormFloat64()*r.NormFloat64())) {
		add(r.ExpFloat64()*0.3, logNormal(r, 300, 0.8), traffic.Direction(1-2*r.IntN(2)))
	}
	if len(out) > cfg.Length {
		out = out[:cfg.Length]
	}
	return out
}
