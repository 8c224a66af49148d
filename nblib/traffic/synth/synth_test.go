package synth

import (
	"math"
	"os"
	"reflect"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Check-sized configurations: large enough for a stable accuracy estimate,
// small enough for a fast test.
var (
	videoCheck   = VideoConfig{Videos: 10, TracesPerVideo: 30, Duration: 180, Bin: 0.25, Noise: 1}
	webCheck     = WebConfig{Sites: 20, TracesPerSite: 30, Length: 5000, Noise: 1}
	speakerCheck = SpeakerConfig{TracesPerCommand: 30, Length: 300, Noise: 1}
	wikiCheck    = WikiConfig{PagesPerAccess: 90, Days: 550, Noise: 1}
)

func TestDeterministic(t *testing.T) {
	gens := map[string]func(seed uint64) *traffic.Dataset{
		"video": func(s uint64) *traffic.Dataset {
			return Video(VideoConfig{Videos: 2, TracesPerVideo: 2, Duration: 30, Bin: 0.25, Noise: 1}, s)
		},
		"web": func(s uint64) *traffic.Dataset {
			return Web(WebConfig{Sites: 2, TracesPerSite: 2, Length: 500, Noise: 1}, s)
		},
		"speaker": func(s uint64) *traffic.Dataset {
			return Speakers(SpeakerConfig{TracesPerCommand: 2, Length: 300, Noise: 1}, s)
		},
		"wiki": func(s uint64) *traffic.Dataset { return Wiki(WikiConfig{PagesPerAccess: 2, Days: 60, Noise: 1}, s) },
	}
	for name, gen := range gens {
		a, b, c := gen(7), gen(7), gen(8)
		if !reflect.DeepEqual(a, b) {
			t.Errorf("%s: same seed, different data", name)
		}
		if reflect.DeepEqual(a.Traces, c.Traces) {
			t.Errorf("%s: different seeds, same data", name)
		}
	}
	// Adding traces does not change the earlier ones (per-trace streams).
	small := Speakers(SpeakerConfig{TracesPerCommand: 2, Length: 300, Noise: 1}, 3)
	big := Speakers(SpeakerConfig{TracesPerCommand: 3, Length: 300, Noise: 1}, 3)
	if !reflect.DeepEqual(small.Traces[0], big.Traces[0]) {
		t.Error("speaker trace 1 changed when more traces were generated")
	}
}

func TestShapes(t *testing.T) {
	v := Video(VideoConfig{Videos: 2, TracesPerVideo: 3, Duration: 180, Bin: 0.25, Noise: 1}, 1)
	if len(v.Classes) != 6 || len(v.Traces) != 18 || len(v.Traces[0].Values) != 720 || v.Default.Length != 720 {
		t.Errorf("video: %d classes %d traces %d bins", len(v.Classes), len(v.Traces), len(v.Traces[0].Values))
	}
	// Mean downlink rate must sit between the lowest ladder rate and the
	// link's order of magnitude (6 Mbit/s median): a physical sanity bound.
	for _, tr := range v.Traces {
		sum := 0.0
		for _, b := range tr.Values {
			sum += b
		}
		if mbps := sum * 8 / 1e6 / 180; mbps < 0.3 || mbps > 20 {
			t.Errorf("%s: mean rate %.2f Mbit/s outside [0.3, 20]", tr.ID, mbps)
		}
	}
	s := Speakers(SpeakerConfig{TracesPerCommand: 3, Length: 300, Noise: 1}, 1)
	if len(s.Classes) != 20 || len(s.Filter("alexa").Classes) != 10 {
		t.Errorf("speakers: %d classes", len(s.Classes))
	}
	for _, tr := range s.Traces {
		if len(tr.Packets) == 0 || len(tr.Packets) > 300 {
			t.Errorf("%s: %d packets", tr.ID, len(tr.Packets))
		}
		checkPackets(t, tr)
	}
	w := Web(WebConfig{Sites: 3, TracesPerSite: 3, Length: 5000, Noise: 1}, 1)
	for _, tr := range w.Traces {
		checkPackets(t, tr)
	}
	k := Wiki(WikiConfig{PagesPerAccess: 3, Days: 550, Noise: 1}, 1)
	if !reflect.DeepEqual(k.Classes, []string{"all-access", "desktop", "mobile-web"}) {
		t.Errorf("wiki classes %v", k.Classes)
	}
	for _, tr := range k.Traces {
		if len(tr.Values) != 550 {
			t.Errorf("%s: %d days", tr.ID, len(tr.Values))
		}
		for _, x := range tr.Values {
			if x < 0 || math.IsNaN(x) {
				t.Fatalf("%s: value %g", tr.ID, x)
			}
		}
	}
}

func checkPackets(t *testing.T, tr traffic.Trace) {
	t.Helper()
	for i, p := range tr.Packets {
		if p.Dir != traffic.Up && p.Dir != traffic.Down || p.Size <= 0 || p.Size > 1500 || i > 0 && p.Time < tr.Packets[i-1].Time {
			t.Fatalf("%s: packet %d = %+v", tr.ID, i, p)
		}
	}
}

// TestNotTriviallySeparable: a nearest-centroid classifier on the default
// feature must land well above chance and below 100%. The accuracy is the
// mean over seeds 1..3 (each seed draws new videos, sites and commands; one
// seed's estimate moves by 10 to 20 points since the test sets hold 54 to
// 120 traces), and the band [0.55, 0.97] is the issue's.
func TestNotTriviallySeparable(t *testing.T) {
	type check struct {
		name string
		make func(seed uint64) *traffic.Dataset
	}
	checks := []check{
		{"d1-youtube", func(s uint64) *traffic.Dataset { return Video(videoCheck, s).Filter("youtube") }},
		{"d1-stan", func(s uint64) *traffic.Dataset { return Video(videoCheck, s).Filter("stan") }},
		{"d1-netflix", func(s uint64) *traffic.Dataset { return Video(videoCheck, s).Filter("netflix") }},
		{"d2-web", func(s uint64) *traffic.Dataset { return Web(webCheck, s) }},
		{"d3-alexa", func(s uint64) *traffic.Dataset { return Speakers(speakerCheck, s).Filter("alexa") }},
		{"d3-google", func(s uint64) *traffic.Dataset { return Speakers(speakerCheck, s).Filter("google") }},
		{"ww", func(s uint64) *traffic.Dataset { return Wiki(wikiCheck, s) }},
	}
	for _, c := range checks {
		var accs []float64
		mean := 0.0
		var ds *traffic.Dataset
		for seed := uint64(1); seed <= 3; seed++ {
			ds = c.make(seed)
			a := accuracy(ds, seed)
			accs = append(accs, a)
			mean += a / 3
		}
		t.Logf("%-11s %2d classes, %3d traces: nearest-centroid accuracy %.3f (seeds 1..3: %.3f), chance %.3f",
			c.name, len(ds.Classes), len(ds.Traces), mean, accs, 1/float64(len(ds.Classes)))
		if mean < 0.55 || mean > 0.97 {
			t.Errorf("%s: mean accuracy %.3f outside [0.55, 0.97]", c.name, mean)
		}
	}
}

// TestNoiseMatters: without noise the same classifier does better, so the
// noise is what keeps the data from being trivially separable. Checked on
// D3-Google, whose noise acts on every feature value.
func TestNoiseMatters(t *testing.T) {
	noisy := Speakers(speakerCheck, 2).Filter("google")
	cfg := speakerCheck
	cfg.Noise = 0
	clean := Speakers(cfg, 2).Filter("google")
	a, b := accuracy(noisy, 2), accuracy(clean, 2)
	t.Logf("d3-google: noise 1 -> %.3f, noise 0 -> %.3f", a, b)
	if b <= a {
		t.Errorf("noise-free accuracy %.3f not above noisy %.3f", b, a)
	}
}

func TestFullScaleAccuracy(t *testing.T) {
	if testing.Short() || os.Getenv("NETDIFFUS_SLOW") == "" {
		t.Skip("full-scale accuracy check: set NETDIFFUS_SLOW=1 (and no -short) to run it")
	}
	v := Video(VideoConfig{Videos: 20, TracesPerVideo: 100, Duration: 180, Bin: 0.25, Noise: 1}, 1)
	for _, p := range []string{"youtube", "stan", "netflix"} {
		t.Logf("full d1-%s: %.3f", p, accuracy(v.Filter(p), 1))
	}
	s := Speakers(SpeakerConfig{TracesPerCommand: 50, Length: 300, Noise: 1}, 1)
	t.Logf("full d3-alexa: %.3f, d3-google: %.3f", accuracy(s.Filter("alexa"), 1), accuracy(s.Filter("google"), 1))
	t.Logf("full d2-web: %.3f", accuracy(Web(WebConfig{Sites: 20, TracesPerSite: 100, Length: 5000, Noise: 1}, 1), 1))
	t.Logf("full ww: %.3f", accuracy(Wiki(WikiConfig{PagesPerAccess: 1000, Days: 550, Noise: 1}, 1), 1))
}

func BenchmarkVideoQuick(b *testing.B) {
	for b.Loop() {
		Video(VideoConfig{Videos: 10, TracesPerVideo: 10, Duration: 180, Bin: 0.25, Noise: 1}, 1)
	}
}

func BenchmarkWebQuick(b *testing.B) {
	for b.Loop() {
		Web(WebConfig{Sites: 20, TracesPerSite: 10, Length: 5000, Noise: 1}, 1)
	}
}
