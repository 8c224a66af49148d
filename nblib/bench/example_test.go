package bench_test

import (
	"context"
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/backend"
	"github.com/netdiffus/netdiffus/nblib/bench"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Example times the smoke model on this machine's backend and the PyTorch twin beside it (skipped,
// with the reason, where no python3 imports torch). Timings vary, so the example prints no fixed output.
func Example() {
	b, _, err := backend.Shared()
	if err != nil {
		fmt.Println(err)
		return
	}
	p := preset.SmokePreset()
	r, err := bench.Run(context.Background(), b, p, bench.Options{TrainSteps: 20})
	if err != nil {
		fmt.Println(err)
		return
	}
	bench.RunTwin(context.Background(), r, p.Model(r.Model.Classes).Net, bench.TwinOptions{})
	fmt.Println(r.Summary())
}
