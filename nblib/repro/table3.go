package repro

import (
	"fmt"
	"io"

	"github.com/netdiffus/netdiffus/nblib/eval/stats"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/eval/protocols"
	"github.com/netdiffus/netdiffus/nblib/plots"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Table3Config is Table 3 (Appendix B): the same CNN design in 1-D on the min-max normalised series and
// in 2-D on their GASF images (protocols.SeriesVsImages), trained on fractions of the training traces,
// for the D1 platforms. No diffusion model is involved.
type Table3Config struct {
	// Data and Downstream are the preset's (no diffusion setting enters Table 3, so a change of one
	// does not make its cache or stored reference stale).
	Data       preset.Data
	Downstream protocols.Config
	Platforms  []string  // D1 groups
	Fractions  []float64 // of the training traces per class: 1, 0.5, 0.25 are the paper's 80%, 40%, 20% of all traces
	ImageSize  int       // GASF side of the 2-D network
	Seeds      []uint64
}

// Table3For is Table 3's configuration under a preset: every preset runs the paper's three fractions
// and the preset's CNN on Downstream.ImageSize images; smoke keeps D1-Netflix and one seed, cpu and
// full all three platforms and the preset's seeds.
func Table3For(p preset.Preset) Table3Config {
	c := Table3Config{Data: p.Data, Downstream: p.Downstream, Platforms: []string{"youtube", "stan", "netflix"}, Fractions: []float64{1, 0.5, 0.25},
		ImageSize: p.Downstream.ImageSize, Seeds: p.Downstream.Seeds}
	if p.Name == preset.Smoke {
		c.Platforms, c.Seeds = []string{"netflix"}, p.Downstream.Seeds[:1]
	}
	return c
}

// Table3Row is one platform at one fraction.
type Table3Row struct {
	Platform string
	Fraction float64
	Series   Acc // 1-D network on the series
	Images   Acc // 2-D network on the GASF images
}

// Table3Result holds the rows, platform by platform.
type Table3Result struct {
	CNN           string
	TrainFraction float64 // of all traces, to name the fractions as the paper does
	Rows          []Table3Row
}

// paperTable3 is the paper's Table 3: per platform, (1-D, 2-D) at 80%, 40% and 20% of the data.
var paperTable3 = map[string][3][2]float64{
	"D1-YouTube": {{90.5, 92.5}, {85.5, 87.0}, {71.0, 75.0}},
	"D1-Stan":    {{91.0, 99.0}, {96.0, 98.0}, {90.0, 93.0}},
	"D1-Netflix": {{83.0, 100.0}, {84.0, 97.0}, {78.0, 88.0}},
}

// Table3 runs (or loads) Table 3.
func Table3(c Table3Config, force bool, log io.Writer) (*Table3Result, error) {
	if log == nil {
		log = io.Discard
	}
	return Cached("table3", c, force, func() (*Table3Result, error) { return table3(c, log) })
}

func table3(c Table3Config, log io.Writer) (*Table3Result, error) {
	b, _, err := backend.Shared()
	if err != nil {
		return nil, err
	}
	cfg := c.Downstream
	cfg.Fractions, cfg.Seeds = c.Fractions, c.Seeds
	ds, err := datasets.Load("d1", c.Data.Variant, c.Data.Seed)
	if err != nil {
		return nil, err
	}
	res := &Table3Result{CNN: cfg.CNN, TrainFraction: c.Data.TrainFraction}
	for _, platform := range c.Platforms {
		train, test, err := seriesSplit(c.Data, ds, platform)
		if err != nil {
			return nil, err
		}
		points, err := protocols.SeriesVsImages(cfg, b, train, test, c.ImageSize)
		if err != nil {
			return nil, fmt.Errorf("table3 %s: %w", platform, err)
		}
		for _, pt := range points {
			row := Table3Row{Platform: paperName("d1-" + platform), Fraction: pt.Fraction, Series: accOf(pt.Series), Images: accOf(pt.Images)}
			fmt.Fprintf(log, "table3 %s %.0f%%: 1-D %s  2-D %s\n", row.Platform, 100*row.Fraction, row.Series, row.Images)
			res.Rows = append(res.Rows, row)
		}
	}
	return res, nil
}

// seriesSplit returns one group's default-feature series split as the pipeline splits them.
func seriesSplit(p preset.Data, ds *traffic.Dataset, group string) (train, test protocols.Traces, err error) {
	g := ds.Filter(group)
	if len(g.Traces) == 0 {
		return train, test, fmt.Errorf("dataset %s has no group %q", ds.Name, group)
	}
	series, err := g.Series(g.Default)
	if err != nil {
		return train, test, err
	}
	labels := g.Labels()
	split := p.Split(labels)
	for _, i := range split.Train {
		train.Series, train.Y = append(train.Series, series[i]), append(train.Y, labels[i])
	}
	for _, i := range split.Test {
		test.Series, test.Y = append(test.Series, series[i]), append(test.Y, labels[i])
	}
	return train, test, nil
}

// paperFraction names a fraction of the training traces as the paper's share of all data.
func paperFraction(f, trainFraction float64) string {
	return fmt.Sprintf("%.0f%% data", 100*f*trainFraction)
}

// Table3Compare is the notebook's table: paper, reference and this run for 1-D and 2-D.
func Table3Compare(this, ref *Table3Result) (header []string, rows [][]string) {
	header = []string{"platform", "data", "paper 1-D / 2-D", "cpu reference 1-D / 2-D", "this run 1-D / 2-D"}
	var refRows []Table3Row
	if ref != nil {
		refRows = ref.Rows
	}
	paperIndex := map[float64]int{1: 0, 0.5: 1, 0.25: 2}
	key := func(r Table3Row) string { return fmt.Sprintf("%s/%.3f", r.Platform, r.Fraction) }
	for _, c := range pairUp(this.Rows, refRows, key) {
		r := c.Row()
		paper := "–"
		if pv, ok := paperTable3[r.Platform]; ok {
			if i, ok := paperIndex[r.Fraction]; ok {
				paper = fmt.Sprintf("%.1f / %.1f", pv[i][0], pv[i][1])
			}
		}
		rows = append(rows, []string{r.Platform, paperFraction(r.Fraction, this.TrainFraction), paper,
			cell(c.Ref, c.HasRef, false, func(r Table3Row) string { return fmt.Sprintf("%.1f / %.1f", r.Series.Mean, r.Images.Mean) }),
			cell(c.This, c.HasThis, true, func(r Table3Row) string { return fmt.Sprintf("%s / %s", r.Series, r.Images) })})
	}
	return header, rows
}

// Table3Plot draws 1-D and 2-D accuracy per platform and fraction.
func Table3Plot(r *Table3Result) (*plot.Plot, error) {
	var cats []string
	var s1, s2 []float64
	for _, row := range r.Rows {
		cats = append(cats, fmt.Sprintf("%s %s", row.Platform, paperFraction(row.Fraction, r.TrainFraction)))
		s1, s2 = append(s1, row.Series.Mean), append(s2, row.Images.Mean)
	}
	return plots.Bars("Table 3: 1-D series vs 2-D GASF classifier ("+r.CNN+")", "accuracy (%)", cats,
		plots.Named{Name: "1-D series", Values: s1}, plots.Named{Name: "2-D GASF", Values: s2})
}

// Table3Verdicts decides the paper's claim (2-D beats 1-D by 1.5 to 13 points at every fraction) by the
// one verdict rule, each platform-fraction paired on its test traces.
func Table3Verdicts(r *Table3Result) []string {
	var cases []accCase
	for _, row := range r.Rows {
		cases = append(cases, accCase{Name: fmt.Sprintf("%s %.0f%%", row.Platform, 100*row.Fraction), A: row.Images, B: row.Series})
	}
	return []string{judgeGains("2-D GASF > 1-D series", stats.Greater(0), cases, "+1.5 to +13")}
}

func init() {
	register(newItem("table3", "Table 3: 1-D vs 2-D classifier", Table3For, Table3, Table3Compare, Table3Verdicts, onePlot("table3_1d_vs_2d", Table3Plot)))
}
