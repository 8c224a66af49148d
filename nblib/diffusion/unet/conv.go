package unet

import (
	"github.com/gomlx/compute"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/core/tensors/images"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// conv is a same-padded, stride-1, channels-first convolution with bias (kernel size odd); zero
// starts its kernel at zero. Its variables are those of GoMLX's layers.Convolution
// (scope/conv/weights [out, in, k...] and scope/conv/biases [out]), created in the same order, so
// checkpoints and initial values are unchanged; only the kernel gradient differs (see convSame).
func conv(scope *model.Scope, x *Node, out, kernel int, zero bool) *Node {
	if zero {
		scope = scope.WithInitializer(initializer.Zero)
	}
	scope = scope.In("conv")
	g := x.Graph()
	dims := append([]int{out, channels(x)}, repeat(kernel, x.Rank()-2)...)
	w := scope.VariableWithShape("weights", shapes.Make(x.DType(), dims...)).NodeValue(g)
	b := scope.VariableWithShape("biases", shapes.Make(x.DType(), out)).NodeValue(g)
	return Add(convSame(x, w), perChannel(b, x.Rank()))
}

// convSame convolves x [B, I, spatial...] with w [O, I, k...] (odd k, same padding, stride 1).
//
// The forward pass and the input gradient are GoMLX's ConvGeneral and its VJP. The kernel
// gradient dW[o, i, d] = sum_{b, p} dy[b, o, p] x[b, i, p + d - k/2] is replaced by kernelGradient:
// GoMLX expresses it as a convolution whose "kernel" is the whole output image, which ONNX Runtime
// runs as one tall-and-thin GEMM (9 columns) per input channel, several times slower than the
// batched matrix products used here. The default kernel-gradient nodes are still built by the
// autodiff but nothing uses them, so the backends drop them when compiling.
func convSame(x, w *Node) *Node {
	var dy *Node // dL/dy, captured when the autodiff reaches y (before it reaches w)
	wc := IdentityWithCustomGradient(w, func(_, _ *Node) *Node {
		if dy == nil {
			panic("unet: convolution kernel gradient requested before the output gradient")
		}
		return kernelGradient(x, dy, w.Shape().Dimensions[2])
	})
	y := Convolve(x, wc).ChannelsAxis(images.ChannelsFirst).PadSame().Done()
	return IdentityWithCustomGradient(y, func(_, v *Node) *Node {
		dy = v
		return v
	})
}

// kernelGradient returns dW [O, I, k...] of a same-padded stride-1 convolution of x [B, I, spatial...]
// (1 or 2 spatial axes) from the output gradient dy [B, O, spatial...].
//
// Each kernel tap d contributes dW[:, :, d] = sum_b dy_b [O, P] . shift_d(x)_b [I, P]^T, a batched
// matrix product followed by a sum over the batch. For 2-D inputs the shifts are contiguous windows
// of the zero-padded image flattened row by row ([B, I, (H+2p+1)(W+2p)]): with dy padded by 2p zero
// columns to width W+2p, positions p = h (W+2p) + w of tap (dy, dx) read x_pad at p + dy (W+2p) + dx,
// and the padding columns of dy contribute zero. ONNX Runtime runs these products at ~90% of its
// matrix-product peak; the window copies cost about as much again, hence the choice below.
func kernelGradient(x, dy *Node, k int) *Node {
	dims := x.Shape().Dimensions
	b, in, out := dims[0], dims[1], dy.Shape().Dimensions[1]
	p := k / 2
	var flatX, flatDy *Node
	var offsets []int
	var length int
	switch x.Rank() {
	case 3:
		length = dims[2]
		flatX, flatDy = padSpatial(x, [2]int{p, p}), dy
		for d := range k {
			offsets = append(offsets, d)
		}
	case 4:
		h, wd := dims[2], dims[3]
		width := wd + 2*p
		length = h * width
		extra := 0
		if p > 0 {
			extra = 1 // one more zero row so the last tap's window stays inside
		}
		flatX = Reshape(padSpatial(x, [2]int{p, p + extra}, [2]int{p, p}), b, in, (h+2*p+extra)*width)
		flatDy = Reshape(padSpatial(dy, [2]int{0, 0}, [2]int{0, 2 * p}), b, out, length)
		for dr := range k {
			for dc := range k {
				offsets = append(offsets, dr*width+dc)
			}
		}
	default:
		panic("unet: kernelGradient supports 1 or 2 spatial axes")
	}
	// Each tap either reads a window of x (a copy of I channels) or multiplies all of x with a
	// zero-padded copy of dy moved to the window's place (O channels, a slightly longer product):
	// whichever copies fewer values.
	frame := flatX.Shape().Dimensions[2]
	shiftDy := out*frame < in*length
	taps := make([]*Node, len(offsets))
	for i, off := range offsets {
		lhs, rhs := flatDy, flatX
		if shiftDy {
			lhs = Pad(flatDy, ScalarZero(x.Graph(), x.DType()), compute.PadAxis{}, compute.PadAxis{},
				compute.PadAxis{Start: off, End: frame - length - off})
		} else {
			rhs = SliceAxis(flatX, 2, AxisRange(off, off+length))
		}
		perExample := DotGeneral(lhs, []int{2}, []int{0}, rhs, []int{2}, []int{0}) // [B, O, I]
		taps[i] = ExpandAxes(ReduceSum(perExample, 0), -1)
	}
	return Reshape(Concatenate(taps, -1), append([]int{out, in}, repeat(k, x.Rank()-2)...)...)
}

// padSpatial zero-pads the spatial axes of x [B, C, spatial...] by (start, end) per axis.
func padSpatial(x *Node, pads ...[2]int) *Node {
	axes := make([]compute.PadAxis, x.Rank())
	for i, p := range pads {
		axes[2+i] = compute.PadAxis{Start: p[0], End: p[1]}
	}
	for _, p := range pads {
		if p != [2]int{} {
			return Pad(x, ScalarZero(x.Graph(), x.DType()), axes...)
		}
	}
	return x
}

func repeat(v, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = v
	}
	return out
}
