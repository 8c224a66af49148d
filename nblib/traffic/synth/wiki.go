package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// WikiConfig sizes a WW-like dataset.
type WikiConfig struct {
	PagesPerAccess int // series per access type
	Days           int // 550 in DoppelGANger's WWT
	Noise          float64
}

// wikiAccess are the WW classes (Kaggle's access types).
var wikiAccess = []string{"all-access", "desktop", "mobile-web"}

var wikiDomains = []string{"en.wikipedia.org", "de.wikipedia.org", "ja.wikipedia.org", "fr.wikipedia.org",
	"ru.wikipedia.org", "zh.wikipedia.org", "es.wikipedia.org", "commons.wikimedia.org", "www.mediawiki.org"}

// Weekly profiles, Monday first; day 0 (2015-07-01) is a Wednesday.
var (
	desktopWeek = []float64{1.12, 1.14, 1.12, 1.08, 0.98, 0.76, 0.80}
	mobileWeek  = []float64{0.94, 0.93, 0.93, 0.95, 1.02, 1.13, 1.10}
)

// Wiki generates a WW-like dataset of daily page views. Labels are the
// access type, groups the domain; IDs follow Kaggle's page names.
func Wiki(cfg WikiConfig, seed uint64) *traffic.Dataset {
	var traces []traffic.Trace
	for a, access := range wikiAccess {
		for p := range cfg.PagesPerAccess {
			r := newRand(seed, "page", a, p)
			domain := wikiDomains[r.IntN(len(wikiDomains))]
			agent := "all-agents"
			if r.Float64() < 0.25 {
				agent = "spider"
			}
			traces = append(traces, traffic.Trace{
				ID:    fmt.Sprintf("Page_%d_%d_%s_%s_%s", a, p, domain, access, agent),
				Label: access, Group: domain, Step: 86400,
				Values: pageViews(r, access, agent, cfg),
			})
		}
	}
	ds, err := traffic.NewDataset("ww-wiki", traces, wikiAccess, traffic.Feature{Kind: traffic.Values, Length: cfg.Days})
	if err != nil {
		panic(err)
	}
	return ds
}

func pageViews(r *rand.Rand, access, agent string, cfg WikiConfig) []float64 {
	noise := cfg.Noise
	level := logNormal(r, 800, 1.5)
	mobileShare := map[string]float64{"desktop": 0, "mobile-web": 1, "all-access": 0.2 + 0.6*r.Float64()}[access]
	// mobile grew and desktop shrank over 2015-2016, with page-level spread
	trend := (0.7*(2*mobileShare-1) + 0.4*r.NormFloat64()) / float64(cfg.Days)
	weekAmp := logNormal(r, 1, 0.3)
	if agent == "spider" {
		weekAmp *= 0.3
		level *= 0.05
	}
	daily := newAR1(r, 0.7, 0.25*noise+0.01)
	spikes := spikeTrain(r, cfg.Days, 4*noise)
	out := make([]float64, cfg.Days)
	for d := range out {
		dow := (d + 2) % 7 // 2015-07-01 was a Wednesday
		week := mobileShare*mobileWeek[dow] + (1-mobileShare)*desktopWeek[dow]
		week = 1 + weekAmp*(week-1)
		v := level * week * holiday(d, mobileShare) * math.Exp(trend*float64(d)+daily.next(r)) * (1 + spikes[d])
		out[d] = math.Round(v)
	}
	return out
}

// spikeTrain adds news events: Poisson times, log-normal heights, decays of
// a few days.
func spikeTrain(r *rand.Rand, days int, mean float64) []float64 {
	out := make([]float64, days)
	for range poisson(r, mean) {
		at, h, tau := r.IntN(days), logNormal(r, 1.5, 1), 1+3*r.Float64()
		for d := at; d < days; d++ {
			out[d] += h * math.Exp(-float64(d-at)/tau)
		}
	}
	return out
}

// holiday is the seasonal factor: desktop views drop in the northern
// summer and the Christmas weeks, mobile views rise in the Christmas weeks.
func holiday(day int, mobileShare float64) float64 {
	doy := (day + 181) % 365 // day 0 is 1 July, day-of-year 181
	desktop, mobile := 1.0, 1.0
	switch {
	case doy >= 355 || doy < 3:
		desktop, mobile = 0.7, 1.15
	case doy >= 182 && doy < 240:
		desktop = 0.88
	}
	return mobileShare*mobile + (1-mobileShare)*desktop
}
