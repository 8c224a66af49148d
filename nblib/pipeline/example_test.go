package pipeline_test

import (
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Loading a default dataset for the smoke preset: WW's 3 access types of 30 pages, the first 80% of each
// for training, imaged at 16x16 in the model range.
func ExampleLoadDefault() {
	d, err := pipeline.LoadDefault(preset.SmokePreset(), "ww", "")
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Name, d.Classes, d.Train.Shape, d.Test.Shape, pipeline.Counts(d.TrainY, len(d.Classes)))
	// Output: ww [all-access desktop mobile-web] [72 16 16 1] [18 16 16 1] [24 24 24]
}
