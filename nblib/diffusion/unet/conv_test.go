package unet

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/internal/testbackend"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/core/tensors/images"
)

// TestConvSameMatchesConvGeneral checks convSame (GoMLX convolution with the batched-matmul kernel
// gradient) against GoMLX's ConvGeneral and its own VJP on random inputs: the output and the
// gradients of sum(y * r) (r random) with respect to x and the kernel must agree to 1e-4 relative to
// the largest magnitude (float32 sums of up to a few hundred products accumulated in different orders).
// It runs on the Go backend and, when installed, on ONNX Runtime.
func TestConvSameMatchesConvGeneral(t *testing.T) {
	backends := []compute.Backend{goBackend(t)}
	if ort := optionalORT(t); ort != nil {
		backends = append(backends, ort)
	}
	cases := []struct {
		name   string
		x      []int // [B, I, spatial...]
		out, k int
	}{
		{"2d_k3", []int{3, 4, 6, 5}, 5, 3},            // kernelGradient copies windows of x
		{"2d_k3_narrow_out", []int{2, 8, 5, 6}, 2, 3}, // ... or moves copies of dy (fewer channels)
		{"2d_k1", []int{2, 6, 4, 4}, 3, 1},
		{"2d_k5", []int{2, 3, 7, 6}, 2, 5},
		{"1d_k3", []int{3, 4, 9}, 5, 3},
		{"1d_k3_narrow_out", []int{2, 6, 7}, 2, 3},
		{"1d_k1", []int{2, 3, 8}, 4, 1},
	}
	for _, be := range backends {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/%s", be.Name(), c.name), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(7, uint64(len(c.x))))
				kdims := append([]int{c.out, c.x[1]}, repeat(c.k, len(c.x)-2)...)
				ydims := append([]int{c.x[0], c.out}, c.x[2:]...)
				x, w, r := randomTensor(rng, c.x), randomTensor(rng, kdims), randomTensor(rng, ydims)
				results := map[bool][]*tensors.Tensor{}
				for _, custom := range []bool{false, true} {
					exec := MustNewExec(be, func(x, w, r *Node) []*Node {
						var y *Node
						if custom {
							y = convSame(x, w)
						} else {
							y = Convolve(x, w).ChannelsAxis(images.ChannelsFirst).PadSame().Done()
						}
						grads := Gradient(ReduceAllSum(Mul(y, r)), x, w)
						return []*Node{y, grads[0], grads[1]}
					})
					results[custom] = exec.MustCall(x, w, r)
				}
				for i, name := range []string{"output", "input gradient", "kernel gradient"} {
					want, got := flat(t, results[false][i]), flat(t, results[true][i])
					scale := 0.0
					for _, v := range want {
						scale = math.Max(scale, math.Abs(float64(v)))
					}
					for j := range want {
						if d := math.Abs(float64(got[j] - want[j])); d > 1e-4*scale {
							t.Fatalf("%s[%d]: got %g, ConvGeneral gives %g (scale %g)", name, j, got[j], want[j], scale)
						}
					}
				}
			})
		}
	}
}

func randomTensor(rng *rand.Rand, dims []int) *tensors.Tensor {
	n := 1
	for _, d := range dims {
		n *= d
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(rng.NormFloat64())
	}
	return tensors.FromFlatDataAndDimensions(v, dims...)
}

func flat(t *testing.T, x *tensors.Tensor) []float32 {
	t.Helper()
	v, err := tensors.CopyFlatData[float32](x)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// optionalORT returns the project's ONNX Runtime backend, or nil (logged) when it is not installed.
func optionalORT(t *testing.T) compute.Backend {
	if testbackend.ORTLibrary(repoRoot) == "" {
		t.Logf("ONNX Runtime not installed under %s: testing the Go backend only", repoRoot)
		return nil
	}
	return ortBackend(t)
}
