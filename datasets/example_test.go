package datasets_test

import (
	"fmt"

	"github.com/netdiffus/netdiffus/datasets"
)

func Example() {
	ds, err := datasets.Load("d3", datasets.Small, datasets.DefaultSeed)
	if err != nil {
		fmt.Println(err)
		return
	}
	alexa := ds.Filter("alexa")
	x, _ := alexa.Series(alexa.Default)
	fmt.Println(len(alexa.Classes), "classes,", len(x), "series of", len(x[0]), "values")
	fmt.Println(alexa.Classes[0], alexa.Default)
	// Output:
	// 10 classes, 100 series of 300 values
	// alexa-alarm signed x300
}

// The embedded real Echo traffic: the 10-command task, D3 feature.
func Example_real() {
	ds, err := datasets.Load("alexa", datasets.Small, datasets.DefaultSeed)
	if err != nil {
		fmt.Println(err)
		return
	}
	x, _ := ds.Series(ds.Default)
	fmt.Println(len(ds.Classes), "commands,", len(x), "traces of", len(x[0]), "values:", ds.Default)
	t := ds.Traces[0]
	fmt.Printf("%s (%s, capture set %s): %d packets, first %+v\n", t.ID, t.Label, t.Group, len(t.Packets), t.Packets[0])
	// Output:
	// 10 commands, 100 traces of 300 values: signed x300
	// flip_a_coin_5_30s_1.csv (flip_a_coin, capture set A): 311 packets, first {Time:0 Size:176 Dir:1}
}
