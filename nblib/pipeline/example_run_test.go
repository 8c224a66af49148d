package pipeline_test

import (
	"context"
	"fmt"
	"os"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/must"
	"github.com/netdiffus/netdiffus/nblib/pipeline"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// The whole method on one default dataset, as the README shows it: WW's traces become 16x16 GASF
// images, a class-conditional diffusion U-Net learns them (here for a few steps only), samples four
// synthetic images per class and measures them against the held-out real images.
func Example() {
	p := preset.SmokePreset()                           // the CI preset: 16x16 images, a small U-Net
	p.Train.Steps, p.Sample.PerClass = 4, 4             // a demonstration: the smoke preset trains 1000 steps
	p.Downstream.Classifiers = []string{"nb"}           // Naive Bayes only: the CNN and the trees take longer
	data := must.M1(pipeline.LoadDefault(p, "ww", ""))  // WW: 3 access types, 80% of each to train
	b, _ := must.M2(backend.Shared())                   // ONNX Runtime on CPU, XLA on a GPU, or pure Go
	dir := must.M1(os.MkdirTemp("", "netdiffus-model")) // checkpoints, loss curve and class names
	res := must.M1(pipeline.Run(context.Background(), b, p, data, dir, pipeline.TrainOptions{}))
	fmt.Println(res.Classes, res.TrainImages, "training images,", res.SynthImages, "synthetic")
	fmt.Println(len(res.Accuracy), "scores: original, synth and ori+synth")
	os.RemoveAll(dir)
	// Output:
	// [all-access desktop mobile-web] 72 training images, 12 synthetic
	// 3 scores: original, synth and ori+synth
}
