package unet

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/core/tensors"
)

// TestGroupNormMatchesReference checks groupNormWith (folded multiply-add, hand-written backward)
// against the textbook formulation differentiated by GoMLX: ((x - mean) / sqrt(var + eps) gamma +
// beta) (1 + scale) + shift, with random gamma, beta, scale and shift. Outputs and the gradients of
// sum(y r) (r random) with respect to x, gamma, beta, scale and shift must agree to 1e-4 relative to
// their largest magnitude (float32 sums of at most 96 values per group or channel, in other orders).
func TestGroupNormMatchesReference(t *testing.T) {
	cases := []struct {
		dims       []int // [B, C, spatial...]
		groups     int
		modulation bool
	}{
		{[]int{2, 6, 4, 4}, 3, false},
		{[]int{3, 8, 3, 4}, 4, true},
		{[]int{2, 6, 5}, 4, true}, // gcd(4, 6) = 2 groups, 1-D
		{[]int{2, 4, 3, 3}, 1, true},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%v/g%d/mod=%v", c.dims, c.groups, c.modulation), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, uint64(c.groups)))
			b, ch := c.dims[0], c.dims[1]
			inputs := []*tensors.Tensor{randomTensor(rng, c.dims), randomTensor(rng, []int{ch}), randomTensor(rng, []int{ch}),
				randomTensor(rng, []int{b, ch}), randomTensor(rng, []int{b, ch}), randomTensor(rng, c.dims)}
			results := map[bool][]*tensors.Tensor{}
			backend := goBackend(t) // one backend: tensors cannot move between backend instances
			for _, folded := range []bool{false, true} {
				exec := MustNewExec(backend, func(in []*Node) []*Node {
					x, gamma, beta, scale, shift, r := in[0], in[1], in[2], in[3], in[4], in[5]
					if !c.modulation {
						scale, shift = nil, nil
					}
					var y *Node
					if folded {
						y = groupNormWith(x, gamma, beta, scale, shift, c.groups)
					} else {
						y = textbookGroupNorm(x, gamma, beta, scale, shift, gcd(c.groups, ch))
					}
					wrt := []*Node{x, gamma, beta}
					if c.modulation {
						wrt = append(wrt, scale, shift)
					}
					return append([]*Node{y}, Gradient(ReduceAllSum(Mul(y, r)), wrt...)...)
				})
				results[folded] = exec.MustCall(inputs)
			}
			names := []string{"output", "dx", "dgamma", "dbeta", "dscale", "dshift"}
			for i := range results[false] {
				want, got := flat(t, results[false][i]), flat(t, results[true][i])
				scale := 0.0
				for _, v := range want {
					scale = math.Max(scale, math.Abs(float64(v)))
				}
				for j := range want {
					if math.Abs(float64(got[j]-want[j])) > 1e-4*scale {
						t.Fatalf("%s[%d]: got %g, reference %g (scale %g)", names[i], j, got[j], want[j], scale)
					}
				}
			}
		})
	}
}

// textbookGroupNorm is the direct formulation, differentiated by GoMLX's autodiff.
func textbookGroupNorm(x, gamma, beta, scale, shift *Node, groups int) *Node {
	dims := x.Shape().Dimensions
	h := Reshape(x, dims[0], groups, -1)
	centered := Sub(h, ReduceAndKeep(h, ReduceMean, 2))
	std := Sqrt(AddScalar(ReduceAndKeep(Square(centered), ReduceMean, 2), 1e-5))
	y := Reshape(Div(centered, std), dims...)
	y = Add(Mul(y, perChannel(gamma, len(dims))), perChannel(beta, len(dims)))
	if scale != nil {
		y = Add(Mul(y, OnePlus(toSpatial(scale, len(dims)))), toSpatial(shift, len(dims)))
	}
	return y
}

// TestSiLUMatchesClosedForm checks silu's output and hand-written gradient against the closed forms
// y = x / (1 + e^-x) and dy/dx = s (1 + x (1 - s)), computed in float64 on the host, for x from -30
// to 30 (both tails of the sigmoid) and a random upstream gradient r: within 1e-6 absolute plus
// 1e-5 relative (float32 rounding of a few operations).
func TestSiLUMatchesClosedForm(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	const n = 241
	xs, rs := make([]float32, n), make([]float32, n)
	for i := range xs {
		xs[i] = float32(-30 + 0.25*float64(i))
		rs[i] = float32(rng.NormFloat64())
	}
	exec := MustNewExec(goBackend(t), func(x, r *Node) []*Node {
		y := silu(x)
		return []*Node{y, Gradient(ReduceAllSum(Mul(y, r)), x)[0]}
	})
	out := exec.MustCall(tensors.FromFlatDataAndDimensions(xs, n), tensors.FromFlatDataAndDimensions(rs, n))
	y, dx := flat(t, out[0]), flat(t, out[1])
	for i, x32 := range xs {
		x := float64(x32)
		s := 1 / (1 + math.Exp(-x))
		wantY, wantDx := x*s, float64(rs[i])*s*(1+x*(1-s))
		if d := math.Abs(float64(y[i]) - wantY); d > 1e-6+1e-5*math.Abs(wantY) {
			t.Errorf("silu(%g) = %g, want %g", x, y[i], wantY)
		}
		if d := math.Abs(float64(dx[i]) - wantDx); d > 1e-6+1e-5*math.Abs(wantDx) {
			t.Errorf("gradient at %g (upstream %g) = %g, want %g", x, rs[i], dx[i], wantDx)
		}
	}
}

// TestSoftmaxLastMatchesAutodiff checks softmaxLast's output and hand-written gradient against
// GoMLX's autodiff of the textbook softmax exp(l - max) / sum(exp(l - max)) over the last axis, on
// random logits (spread 5, so that some rows are nearly one-hot) and a random upstream gradient:
// within 1e-6 absolute plus 1e-5 relative (float32 sums of 17 terms in other orders).
func TestSoftmaxLastMatchesAutodiff(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 9))
	dims := []int{2, 3, 5, 17}
	l, r := randomTensor(rng, dims), randomTensor(rng, dims)
	results := map[bool][]*tensors.Tensor{}
	backend := goBackend(t)
	for _, custom := range []bool{false, true} {
		exec := MustNewExec(backend, func(l, r *Node) []*Node {
			l = MulScalar(l, 5)
			var s *Node
			if custom {
				s = softmaxLast(l)
			} else {
				e := Exp(Sub(l, StopGradient(ReduceAndKeep(l, ReduceMax, -1))))
				s = Div(e, ReduceAndKeep(e, ReduceSum, -1))
			}
			return []*Node{s, Gradient(ReduceAllSum(Mul(s, r)), l)[0]}
		})
		results[custom] = exec.MustCall(l, r)
	}
	for i, name := range []string{"softmax", "gradient"} {
		want, got := flat(t, results[false][i]), flat(t, results[true][i])
		for j := range want {
			if d := math.Abs(float64(got[j] - want[j])); d > 1e-6+1e-5*math.Abs(float64(want[j])) {
				t.Fatalf("%s[%d]: got %g, textbook %g", name, j, got[j], want[j])
			}
		}
	}
}
