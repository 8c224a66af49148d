package nn

import (
	"os"
	"testing"
	"time"

	"github.com/gomlx/compute"
	"github.com/netdiffus/netdiffus/nblib/eval/internal/synthdata"
	"github.com/netdiffus/netdiffus/nblib/internal/testbackend"
)

// BenchmarkFit trains each network for 4 epochs on a quick-sized set (4 classes x 60 GASF images of
// 32x32, batch 32) on each backend and reports the seconds per epoch after the first (the first
// includes graph compilation, reported separately as first-epoch-s) and the accuracy on 4 x 30 held-out
// images. Run with -benchtime=1x: one iteration already takes several epochs. CNN8 on the pure Go
// backend takes about 5 minutes (77 s per epoch on the 2-core reference machine): it runs only with
// NETDIFFUS_BENCH_SLOW=1.
func BenchmarkFit(b *testing.B) {
	x, y := synthdata.Images(11, 4, 60, 32, 0.1)
	xt, yt := synthdata.Images(12, 4, 30, 32, 0.1)
	backends := map[string]func(testing.TB) compute.Backend{
		"go":   testbackend.Go,
		"onnx": func(tb testing.TB) compute.Backend { return testbackend.ORT(tb, repoRoot) },
	}
	for _, bname := range []string{"go", "onnx"} {
		for _, arch := range []Arch{CNN2, CNN8, MLP} {
			b.Run(bname+"/"+arch.String(), func(b *testing.B) {
				if bname == "go" && arch == CNN8 && os.Getenv("NETDIFFUS_BENCH_SLOW") == "" {
					b.Skip("CNN8 on the Go backend takes minutes; set NETDIFFUS_BENCH_SLOW=1")
				}
				backend := backends[bname](b)
				for range b.N {
					var stamps []time.Time
					nw := &Network{Backend: backend, Arch: arch, Height: 32, Width: 32, Channels: 1, Epochs: 4, Seed: 1,
						Progress: func(int, int, float64) { stamps = append(stamps, time.Now()) }}
					start := time.Now()
					if err := nw.Fit(x, y); err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(stamps[0].Sub(start).Seconds(), "first-epoch-s")
					b.ReportMetric(stamps[len(stamps)-1].Sub(stamps[0]).Seconds()/float64(len(stamps)-1), "s/epoch")
					b.ReportMetric(accuracyOf(b, nw, xt, yt), "acc")
				}
			})
		}
	}
}
