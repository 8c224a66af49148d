package baselines_test

import (
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/baselines"
	"github.com/netdiffus/netdiffus/nblib/preset"
	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// Encode completes a preset from the data: WW-like daily series of 40 days, two classes.
func ExampleEncode() {
	var traces []traffic.Trace
	for i := range 6 {
		v := make([]float64, 40)
		for k := range v {
			v[k] = float64((i + 1) * (k%7 + 1))
		}
		traces = append(traces, traffic.Trace{ID: fmt.Sprint(i), Label: []string{"desktop", "mobile"}[i%2], Values: v, Step: 86400})
	}
	ds, _ := traffic.NewDataset("ww-like", traces, nil, traffic.Feature{Kind: traffic.Values, Length: 40})
	cfg, _ := preset.DoppelGANger("smoke")
	cfg, data, err := baselines.Encode(cfg, ds)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d steps in %d LSTM cells of %d, %d classes, %d min/max attributes, %d series\n",
		cfg.Length, cfg.Cells(), cfg.SampleLen, cfg.NumClasses, cfg.ExtraAttributes(), data.Len())
	// Output: 40 steps in 4 LSTM cells of 10, 2 classes, 2 min/max attributes, 6 series
}

// A generator that repeats one series per class has diversity 0; the real data against itself has 1.
func ExampleDiversity() {
	real := baselines.Series{Series: [][]float64{{0, 1, 2}, {2, 1, 0}, {0, 2, 1}, {1, 0, 2}}, Y: []int{0, 0, 1, 1}}
	collapsed := baselines.Series{Series: [][]float64{{0, 1, 2}, {0, 1, 2}, {0, 2, 1}, {0, 2, 1}}, Y: []int{0, 0, 1, 1}}
	d, _ := baselines.Diversity(real, collapsed, 2)
	same, _ := baselines.Diversity(real, real, 2)
	fmt.Printf("collapsed %.2f, real %.2f\n", d.Mean, same.Mean)
	// Output: collapsed 0.00, real 1.00
}
