package unet

import (
	"math"
	"slices"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// Build adds the U-Net to the graph and returns its noise prediction, shaped like x (with
// LearnSigma, 2*InChannels channels: eps, then the variance values v).
//
// x is [B, Size, Size, InChannels] (Dims=2) or [B, Size, InChannels] (Dims=1), channels last;
// t is [B] float32 diffusion steps; labels is [B] int32 classes (ignored when NumClasses is 0).
// Variables are created under scope. The graph contains no pooling op and no strided convolution:
// downsampling is a 2x mean by reshape followed by a convolution, upsampling a reshape/concatenation
// followed by a convolution, so the gradient needs neither interior padding nor input dilation
// (ONNX Runtime has neither: MeanPool's and a strided convolution's gradients fail there).
func Build(scope *model.Scope, cfg NetConfig, x, t, labels *Node) *Node {
	embDim := 4 * cfg.ModelChannels
	emb := timeEmbedding(scope.In("time"), t, cfg.ModelChannels, embDim)
	if cfg.NumClasses > 0 {
		onehot := OneHot(labels, cfg.NumEmbeddedClasses(), x.DType())
		emb = Add(emb, layers.Dense(scope.In("class"), onehot, false, embDim))
	}
	n := &net{cfg: cfg, embAct: silu(emb)}
	h := conv(scope.In("input"), toChannelsFirst(x), cfg.ModelChannels*cfg.ChannelMult[0], 3, false)
	skips := []*Node{h}
	size, last := cfg.Size, len(cfg.ChannelMult)-1
	for level, mult := range cfg.ChannelMult {
		for i := range cfg.NumResBlocks {
			h = n.resBlock(scope.In("down%d_res%d", level, i), h, mult*cfg.ModelChannels)
			h = n.maybeAttention(scope.In("down%d_attn%d", level, i), h, size)
			skips = append(skips, h)
		}
		if level < last {
			h = conv(scope.In("down%d_downsample", level), meanPool2(h), channels(h), 3, false)
			size /= 2
			skips = append(skips, h)
		}
	}
	ch := channels(h)
	h = n.resBlock(scope.In("middle_res0"), h, ch)
	if len(cfg.AttentionResolutions) > 0 {
		h = n.attention(scope.In("middle_attn"), h)
	}
	h = n.resBlock(scope.In("middle_res1"), h, ch)
	for level := last; level >= 0; level-- {
		for i := range cfg.NumResBlocks + 1 {
			skip := skips[len(skips)-1]
			skips = skips[:len(skips)-1]
			h = Concatenate([]*Node{h, skip}, 1)
			h = n.resBlock(scope.In("up%d_res%d", level, i), h, cfg.ChannelMult[level]*cfg.ModelChannels)
			h = n.maybeAttention(scope.In("up%d_attn%d", level, i), h, size)
			if level > 0 && i == cfg.NumResBlocks {
				h = upsampleNearest(h)
				h = conv(scope.In("up%d_upsample", level), h, channels(h), 3, false)
				size *= 2
			}
		}
	}
	h = silu(groupNorm(scope.In("out_norm"), h, nil, nil, cfg.NormGroups))
	return toChannelsLast(conv(scope.In("out"), h, cfg.OutChannels(), 3, true))
}

// channels returns the channel count of a channels-first activation.
func channels(x *Node) int { return x.Shape().Dimensions[1] }

// toChannelsFirst moves the last axis of x to position 1: [B, spatial..., C] -> [B, C, spatial...].
func toChannelsFirst(x *Node) *Node {
	perm := []int{0, x.Rank() - 1}
	for i := 1; i < x.Rank()-1; i++ {
		perm = append(perm, i)
	}
	return TransposeAllAxes(x, perm...)
}

// toChannelsLast inverts toChannelsFirst.
func toChannelsLast(x *Node) *Node {
	perm := []int{0}
	for i := 2; i < x.Rank(); i++ {
		perm = append(perm, i)
	}
	return TransposeAllAxes(x, append(perm, 1)...)
}

// net carries what every block needs while the graph is built.
type net struct {
	cfg    NetConfig
	embAct *Node // SiLU of the embedding, [B, 4*ModelChannels], shared by every ResBlock
}

// resBlock is guided-diffusion's ResBlock with use_scale_shift_norm: h = conv(SiLU(GN(x)));
// h = GN(h) (1 + scale(emb)) + shift(emb); h = conv0(SiLU(h)); return skip(x) + h, where conv0 starts
// at zero and skip is the identity or a 1x1 convolution when the channel count changes.
func (n *net) resBlock(scope *model.Scope, x *Node, out int) *Node {
	in := channels(x)
	h := silu(groupNorm(scope.In("norm1"), x, nil, nil, n.cfg.NormGroups))
	h = conv(scope.In("conv1"), h, out, 3, false)
	e := n.embAct
	scale := layers.Dense(scope.In("emb_scale"), e, true, out)
	shift := layers.Dense(scope.In("emb_shift"), e, true, out)
	h = groupNorm(scope.In("norm2"), h, scale, shift, n.cfg.NormGroups)
	h = conv(scope.In("conv2"), silu(h), out, 3, true)
	if in != out {
		x = conv(scope.In("skip"), x, out, 1, false)
	}
	return Add(x, h)
}

func (n *net) maybeAttention(scope *model.Scope, x *Node, size int) *Node {
	if !slices.Contains(n.cfg.AttentionResolutions, size) {
		return x
	}
	return n.attention(scope, x)
}

// attention is multi-head self-attention over all positions, with a residual connection and an output
// projection that starts at zero. q, k, v and the projection are 1x1 convolutions (as in
// guided-diffusion), which keeps the activation channels-first.
func (n *net) attention(scope *model.Scope, x *Node) *Node {
	dims := x.Shape().Dimensions
	b, c := dims[0], dims[1]
	positions := x.Shape().Size() / (b * c)
	heads := n.cfg.NumHeads
	d := c / heads
	h := groupNorm(scope.In("norm"), x, nil, nil, n.cfg.NormGroups)
	split := func(name string) *Node {
		return Reshape(conv(scope.In("%s", name), h, c, 1, false), b, heads, d, positions)
	}
	q, k, v := split("q"), split("k"), split("v")
	q = MulScalar(q, 1/math.Sqrt(float64(d))) // scaling q is 4x cheaper than scaling the logits at 16x16
	logits := Einsum("bhds,bhdt->bhst", q, k)
	weights := softmaxLast(logits)
	att := Reshape(Einsum("bhst,bhdt->bhds", weights, v), dims...)
	return Add(x, conv(scope.In("proj"), att, c, 1, true))
}

// timeEmbedding maps steps t [B] to [B, embDim]: sinusoidal features of dimension freqDim
// (cos(t f_i), sin(t f_i) with f_i = 10000^(-i/(freqDim/2))) followed by Dense-SiLU-Dense.
func timeEmbedding(scope *model.Scope, t *Node, freqDim, embDim int) *Node {
	g := t.Graph()
	half := freqDim / 2
	freqs := make([]float32, half)
	for i := range freqs {
		freqs[i] = float32(math.Exp(-math.Log(10000) * float64(i) / float64(half)))
	}
	b := t.Shape().Dimensions[0]
	args := Mul(Reshape(t, b, 1), Reshape(Const(g, freqs), 1, half))
	feats := Concatenate([]*Node{Cos(args), Sin(args)}, -1)
	h := silu(layers.Dense(scope.In("dense1"), feats, true, embDim))
	return layers.Dense(scope.In("dense2"), h, true, embDim)
}

// silu is SiLU(x) = x s, s = sigmoid(x), with its derivative written out from the forward values,
// dL/dx = v (s + y (1 - s)) = v (s + y - y s) with y = x s: 4 activation-sized ops instead of the
// 6 of differentiating x sigmoid(x) op by op (v s, v x, 1 - s, two products, one sum).
func silu(x *Node) *Node {
	var s, y, dy *Node // dy = dL/dy, captured when the autodiff reaches y
	xc := IdentityWithCustomGradient(x, func(_, _ *Node) *Node {
		if dy == nil {
			panic("unet: SiLU input gradient requested before the output gradient")
		}
		return Mul(dy, Sub(Add(s, y), Mul(y, s)))
	})
	s = Sigmoid(xc)
	y = Mul(xc, s)
	return IdentityWithCustomGradient(y, func(_, v *Node) *Node {
		dy = v
		return v
	})
}

// softmaxLast is the softmax over the last axis with its gradient written out,
// dL/dlogits = s v - s sum(s v) over the last axis (4 logits-sized ops). GoMLX differentiates its
// fused Softmax through the decomposed formula instead (max, exp, sum, divide: about 12 ops, two of
// them materialising broadcasts), which for attention at 16x16 means [B, heads, 256, 256] tensors.
func softmaxLast(logits *Node) *Node {
	var s, ds *Node // ds = dL/ds, captured when the autodiff reaches s
	lc := IdentityWithCustomGradient(logits, func(_, _ *Node) *Node {
		if ds == nil {
			panic("unet: softmax input gradient requested before the output gradient")
		}
		sv := Mul(s, ds)
		return Sub(sv, Mul(s, ReduceAndKeep(sv, ReduceSum, -1)))
	})
	s = Softmax(lc, -1)
	return IdentityWithCustomGradient(s, func(_, v *Node) *Node {
		ds = v
		return v
	})
}

// groupNorm normalises x [B, C, spatial...] over the channels and positions of each of G groups
// (G = gcd(groups, C)), then applies a learned per-channel scale and shift; scale and shift [B, C]
// (or nil) add guided-diffusion's per-example modulation: GN(x) (1 + scale) + shift.
//
// Channels-first makes each group one contiguous run, reduced along the last axis. Everything after
// the centring is folded into one multiply-add with per-(example, channel) coefficients,
// y = (x - mean) a + c with a = gamma (1 + scale) / sqrt(var + eps) and c = beta (1 + scale) + shift,
// and the backward pass is written out (gnGradients) instead of differentiating the reductions,
// so the activation-sized tensors go through 4 ops forward and 6 backward instead of 7 and ~12.
func groupNorm(scope *model.Scope, x, scale, shift *Node, groups int) *Node {
	g := x.Graph()
	shape := shapes.Make(x.DType(), channels(x))
	gamma := scope.WithInitializer(initializer.One).VariableWithShape("gamma", shape).NodeValue(g)
	beta := scope.WithInitializer(initializer.Zero).VariableWithShape("beta", shape).NodeValue(g)
	return groupNormWith(x, gamma, beta, scale, shift, groups)
}

// groupNormWith is groupNorm with the per-channel scale gamma and shift beta [C] given.
func groupNormWith(x, gamma, beta, scale, shift *Node, groups int) *Node {
	dims := x.Shape().Dimensions
	b, c := dims[0], dims[1]
	groups = gcd(groups, c)
	grads := &gnGradients{dims: dims, groups: groups}
	xc := IdentityWithCustomGradient(x, func(_, _ *Node) *Node { return grads.input() })
	h := Reshape(xc, b, groups, x.Shape().Size()/(b*groups))
	centered := Sub(h, ReduceAndKeep(h, ReduceMean, 2))
	variance := ReduceMean(Square(centered), 2)                                  // [B, G]
	invStd := Reshape(Reciprocal(Sqrt(AddScalar(variance, 1e-5))), b, groups, 1) // Rsqrt has no gradient in GoMLX
	gain := Reshape(gamma, 1, c)                                                 // [1 or B, C]
	offset := Reshape(beta, 1, c)                                                // [1 or B, C]
	if scale != nil {
		gain = Mul(gain, OnePlus(scale))
		offset = Add(Mul(offset, OnePlus(scale)), shift)
	}
	grads.centered, grads.invStd = centered, invStd
	grads.gain = Reshape(BroadcastToDims(gain, b, c), b, groups, c/groups)
	a := Reshape(Mul(grads.gain, invStd), b, c)
	a = IdentityWithCustomGradient(a, func(_, _ *Node) *Node { return grads.sumTimesCentered() })
	offset = IdentityWithCustomGradient(BroadcastToDims(offset, b, c), func(_, _ *Node) *Node { return grads.sum() })
	y := Add(Mul(Reshape(centered, dims...), toSpatial(a, len(dims))), toSpatial(offset, len(dims)))
	return IdentityWithCustomGradient(y, func(_, v *Node) *Node {
		grads.v = v
		return v
	})
}

// gnGradients computes group normalisation's gradients from dL/dy (v), captured when the autodiff
// reaches the output; the reductions shared by the three gradients are built once. With
// y = (x - mean) a + c, per example b and channel ch (positions p, n values per group):
//
//	dL/dc[b,ch] = sum_p v                      dL/da[b,ch] = sum_p v (x - mean)
//	dL/dx = a v + (x - mean) K + M,  K = -invStd^3/n sum_{ch in g} gain dL/da,  M = -invStd/n sum_{ch in g} gain dL/dc
//
// (the usual invStd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)) with dxhat = gain v).
type gnGradients struct {
	dims                   []int
	groups                 int
	v, centered, invStd    *Node // v [B, C, spatial...]; centered [B, G, n]; invStd [B, G, 1]
	gain                   *Node // [B, G, C/G]
	sumV, sumVTimesCentred *Node // [B, C], built on first use
}

func (gg *gnGradients) check() {
	if gg.v == nil {
		panic("unet: group norm gradient requested before the output gradient")
	}
}

// sum returns dL/dc = sum over positions of v, [B, C].
func (gg *gnGradients) sum() *Node {
	gg.check()
	if gg.sumV == nil {
		gg.sumV = ReduceSum(Reshape(gg.v, gg.dims[0], gg.dims[1], -1), 2)
	}
	return gg.sumV
}

// sumTimesCentered returns dL/da = sum over positions of v (x - mean), [B, C].
func (gg *gnGradients) sumTimesCentered() *Node {
	gg.check()
	if gg.sumVTimesCentred == nil {
		b, c := gg.dims[0], gg.dims[1]
		gg.sumVTimesCentred = ReduceSum(Mul(Reshape(gg.v, b, c, -1), Reshape(gg.centered, b, c, -1)), 2)
	}
	return gg.sumVTimesCentred
}

// input returns dL/dx, shaped like x.
func (gg *gnGradients) input() *Node {
	b, c, g := gg.dims[0], gg.dims[1], gg.groups
	per := c / g
	n := float64(gg.centered.Shape().Dimensions[2])
	perGroup := func(v *Node) *Node { return Reshape(v, b, g, per) }
	invStd := Reshape(gg.invStd, b, g, 1, 1)
	meanGainSum := ReduceAndKeep(Mul(gg.gain, perGroup(gg.sum())), ReduceSum, 2)                     // [B, G, 1]
	meanGainSumCentred := ReduceAndKeep(Mul(gg.gain, perGroup(gg.sumTimesCentered())), ReduceSum, 2) // [B, G, 1]
	k := MulScalar(Mul(Reshape(meanGainSumCentred, b, g, 1, 1), Mul(invStd, Square(invStd))), -1/n)
	m := MulScalar(Mul(Reshape(meanGainSum, b, g, 1, 1), invStd), -1/n)
	a := ExpandAxes(Mul(gg.gain, Reshape(gg.invStd, b, g, 1)), -1) // [B, G, C/G, 1]
	v := Reshape(gg.v, b, g, per, -1)
	centered := Reshape(gg.centered, b, g, per, -1)
	return Reshape(Add(Add(Mul(v, a), Mul(centered, k)), m), gg.dims...)
}

// meanPool2 halves every spatial axis of x [B, C, spatial...] by averaging 2 (or 2x2) neighbours.
func meanPool2(x *Node) *Node {
	dims := x.Shape().Dimensions
	split := []int{dims[0], dims[1]}
	var axes []int
	for _, s := range dims[2:] {
		split = append(split, s/2, 2)
		axes = append(axes, len(split)-1)
	}
	return ReduceMean(Reshape(x, split...), axes...)
}

// upsampleNearest doubles every spatial axis of x [B, C, spatial...] by repetition: each axis in
// turn, last first, is split off as [..., n, 1, rest] and concatenated with itself to [..., n, 2, rest].
// ONNX Runtime copies a concatenation 2-3x faster than it broadcasts (Expand) the same pattern.
func upsampleNearest(x *Node) *Node {
	for axis := x.Rank() - 1; axis >= 2; axis-- {
		dims := x.Shape().Dimensions
		split := append(append(slices.Clone(dims[:axis+1]), 1), dims[axis+1:]...)
		doubled := slices.Clone(dims)
		doubled[axis] *= 2
		x = Reshape(x, split...)
		x = Reshape(Concatenate([]*Node{x, x}, axis+1), doubled...)
	}
	return x
}

// toSpatial reshapes a per-example vector [B, C] to [B, C, 1, ..., 1] of the given rank.
func toSpatial(v *Node, rank int) *Node {
	dims := make([]int, rank)
	for i := range dims {
		dims[i] = 1
	}
	dims[0], dims[1] = v.Shape().Dimensions[0], v.Shape().Dimensions[1]
	return Reshape(v, dims...)
}

// perChannel reshapes a per-channel vector [C] to [1, C, 1, ..., 1] of the given rank.
func perChannel(v *Node, rank int) *Node {
	dims := make([]int, rank)
	for i := range dims {
		dims[i] = 1
	}
	dims[1] = v.Shape().Dimensions[0]
	return Reshape(v, dims...)
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
