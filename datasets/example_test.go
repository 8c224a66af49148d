package datasets_test

import (
	"fmt"

	"github.com/netdiffus/netdiffus/datasets"
)

func Example() {
	ds, err := datasets.Load("d3", datasets.Quick, datasets.DefaultSeed)
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
