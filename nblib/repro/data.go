package repro

import (
	"fmt"
	"sort"
	"strings"

	"gonum.org/v1/plot"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/plots"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// DatasetView is one default dataset as the data notebook shows it.
type DatasetView struct {
	Card    datasets.Card
	Dataset *traffic.Dataset
}

// DatasetTour generates every default dataset in the preset's variant (Data.Variant).
func DatasetTour(p preset.Preset, seed uint64) ([]DatasetView, error) {
	v := p.Data.Variant
	var out []DatasetView
	for _, card := range datasets.Cards() {
		ds, err := datasets.Load(card.Name, v, seed)
		if err != nil {
			return nil, err
		}
		out = append(out, DatasetView{Card: card, Dataset: ds})
	}
	return out, nil
}

// DatasetTable summarises datasets one row each: name, classes, traces, traces per class (min-max),
// groups, feature and trace lengths (min / median / max, in packets or values).
func DatasetTable(views []DatasetView) (header []string, rows [][]string) {
	header = []string{"dataset", "classes", "traces", "per class", "groups", "feature", "length min/median/max"}
	for _, v := range views {
		ds := v.Dataset
		counts := ds.CountPerClass()
		groups := map[string]bool{}
		lengths := make([]int, len(ds.Traces))
		for i := range ds.Traces {
			groups[ds.Traces[i].Group] = true
			lengths[i] = ds.Traces[i].Length()
		}
		sort.Ints(counts)
		sort.Ints(lengths)
		rows = append(rows, []string{ds.Name, fmt.Sprint(len(ds.Classes)), fmt.Sprint(len(ds.Traces)),
			fmt.Sprintf("%d-%d", counts[0], counts[len(counts)-1]), fmt.Sprint(len(groups)), ds.Default.String(),
			fmt.Sprintf("%d / %d / %d", lengths[0], lengths[len(lengths)/2], lengths[len(lengths)-1])})
	}
	return header, rows
}

// Stats is the dataset's summary as text (traffic.Dataset.WriteStats).
func (v DatasetView) Stats() string {
	var b strings.Builder
	v.Dataset.WriteStats(&b)
	return b.String()
}

// ExamplesPlot draws the first trace of each of the first n classes in the dataset's default feature,
// x in samples (bins or packets).
func (v DatasetView) ExamplesPlot(n int) (*plot.Plot, error) {
	series, err := v.examples(n)
	if err != nil {
		return nil, err
	}
	return plots.Lines(fmt.Sprintf("%s: one trace of %d classes", v.Card.Title, len(series)), "sample", v.Dataset.Default.String(), series...)
}

// examples returns the first trace of each of the first n classes as a series.
func (v DatasetView) examples(n int) ([]plots.Series, error) {
	ds := v.Dataset
	seen := map[int]bool{}
	var series []plots.Series
	for i := range ds.Traces {
		tr := &ds.Traces[i]
		if seen[tr.Class] || len(seen) >= n {
			continue
		}
		seen[tr.Class] = true
		y, err := ds.Default.Of(tr)
		if err != nil {
			return nil, fmt.Errorf("dataset %s, trace %s: %w", ds.Name, tr.ID, err)
		}
		x := make([]float64, len(y))
		for k := range x {
			x[k] = float64(k)
		}
		series = append(series, plots.Series{Name: tr.Label, X: x, Y: y})
	}
	return series, nil
}
