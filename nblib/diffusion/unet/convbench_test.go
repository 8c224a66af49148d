package unet

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/core/tensors/images"
)

// benchBackend opens the backend named by GOMLX_BACKEND (default "go").
func benchBackend(b *testing.B) compute.Backend {
	config := os.Getenv("GOMLX_BACKEND")
	if config == "" {
		config = "go"
	}
	be, err := compute.NewWithConfig(config)
	if err != nil {
		b.Fatal(err)
	}
	return be
}

// BenchmarkKernelGradient times the gradient of a 3x3 same convolution with respect to its kernel
// (x [B, I, S, S], dy [B, O, S, S], the 32x32 test model's largest shapes) computed by GoMLX's
// ConvGeneral VJP (a convolution with an SxS "kernel") and by kernelGradient (batched matrix
// products of shifted windows), on GOMLX_BACKEND. It reports GFLOP/s of the 2 B O I 9 S^2 FLOPs.
func BenchmarkKernelGradient(b *testing.B) {
	be := benchBackend(b)
	for _, s := range [][4]int{{32, 96, 32, 32}, {32, 64, 64, 16}} { // B, I, O, S
		batch, in, out, size := s[0], s[1], s[2], s[3]
		rng := rand.New(rand.NewPCG(1, 2))
		x, dy := randomTensor(rng, []int{batch, in, size, size}), randomTensor(rng, []int{batch, out, size, size})
		variants := []struct {
			name string
			fn   func(x, dy *Node) *Node
		}{
			{"convgeneral", func(x, dy *Node) *Node {
				w := Zeros(x.Graph(), shapes.Make(dtypes.Float32, out, in, 3, 3))
				y := Convolve(x, w).ChannelsAxis(images.ChannelsFirst).PadSame().Done()
				return Gradient(ReduceAllSum(Mul(y, StopGradient(dy))), w)[0]
			}},
			{"kernelgradient", func(x, dy *Node) *Node { return kernelGradient(x, dy, 3) }},
		}
		for _, v := range variants {
			b.Run(fmt.Sprintf("B%d_I%d_O%d_S%d/%s", batch, in, out, size, v.name), func(b *testing.B) {
				exec := MustNewExec(be, v.fn)
				exec.MustCall1(x, dy) // compile
				b.ResetTimer()
				for range b.N {
					exec.MustCall1(x, dy)
				}
				flops := 2 * float64(batch*in*out*9*size*size)
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkMatMulPeak measures the backend's single matrix product throughput (1024^3), the ceiling
// for the convolutions and matrix products that dominate a training step.
func BenchmarkMatMulPeak(b *testing.B) {
	be := benchBackend(b)
	const n = 1024
	rng := rand.New(rand.NewPCG(1, 3))
	lhs, rhs := randomTensor(rng, []int{n, n}), randomTensor(rng, []int{n, n})
	exec := MustNewExec(be, func(a, c *Node) *Node { return MatMul(a, c) })
	exec.MustCall1(lhs, rhs)
	b.ResetTimer()
	for range b.N {
		exec.MustCall1(lhs, rhs)
	}
	b.ReportMetric(2*float64(n*n*n)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}
