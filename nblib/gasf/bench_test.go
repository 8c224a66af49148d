package gasf

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchSeries mirrors gasf_ref.py bench: exponential samples, fixed seed.
func benchSeries(n, length int) [][]float64 {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([][]float64, n)
	for i := range xs {
		xs[i] = make([]float64, length)
		for j := range xs[i] {
			xs[i][j] = rng.ExpFloat64()
		}
	}
	return xs
}

// BenchmarkPipeline times one series to a 64×64 8-bit image, like
// `gasf_ref.py bench N L 64`, for both methods. ms/image is per image.
func BenchmarkPipeline(b *testing.B) {
	for _, length := range []int{300, 720, 5000} {
		for _, m := range []Method{Fused, Exact} {
			b.Run(fmt.Sprintf("L=%d/S=64/%v", length, m), func(b *testing.B) {
				xs := benchSeries(8, length)
				p := DefaultParams(64)
				p.Method = m
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					if _, err := Encode(xs[i%len(xs)], p); err != nil {
						b.Fatal(err)
					}
					i++
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/image")
			})
		}
	}
}

// BenchmarkIntegerFactor times the fused path when L/S is an integer
// (OpenCV's block-mean branch): 768 and 5120 samples to 64×64.
func BenchmarkIntegerFactor(b *testing.B) {
	for _, length := range []int{768, 5120} {
		b.Run(fmt.Sprintf("L=%d/S=64", length), func(b *testing.B) {
			x := benchSeries(1, length)[0]
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Encode(x, DefaultParams(64)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N), "ms/image")
		})
	}
}

// BenchmarkBatch times EncodeBatch over 32 series (one image per worker,
// all CPUs): throughput rather than single-image latency.
func BenchmarkBatch(b *testing.B) {
	for _, length := range []int{300, 720, 5000} {
		b.Run(fmt.Sprintf("L=%d/S=64", length), func(b *testing.B) {
			xs := benchSeries(32, length)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := EncodeAll(xs, DefaultParams(64), nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/1e6/float64(b.N*len(xs)), "ms/image")
		})
	}
}

// BenchmarkResizeArea times the exact OpenCV port alone on a 720×720
// float32 image (fractional factor) and a 768×768 one (integer factor 12).
func BenchmarkResizeArea(b *testing.B) {
	for _, n := range []int{720, 768} {
		b.Run(fmt.Sprintf("%dto64", n), func(b *testing.B) {
			src := make([]float32, n*n)
			for i := range src {
				src[i] = float32(i%97) / 97
			}
			for b.Loop() {
				if _, err := ResizeArea(src, n, 64); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
