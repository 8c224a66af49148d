package unet

import (
	"math"
	"slices"

	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/core/tensors/images"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
)

// Build adds the U-Net to the graph and returns its noise prediction, shaped like x (with
// LearnSigma, 2*InChannels channels: eps, then the variance values v).
//
// x is [B, Size, Size, InChannels] (Dims=2) or [B, Size, InChannels] (Dims=1), channels last;
// t is [B] float32 diffusion steps; labels is [B] int32 classes (ignored when NumClasses is 0).
// Variables are created under scope. The graph contains no pooling op and no strided convolution:
// downsampling is a 2x mean by reshape followed by a convolution, upsampling a reshape/broadcast
// followed by a convolution, so the gradient needs neither interior padding nor input dilation
// (ONNX Runtime has neither: MeanPool's and a strided convolution's gradients fail there).
func Build(scope *model.Scope, cfg NetConfig, x, t, labels *Node) *Node {
	embDim := 4 * cfg.ModelChannels
	emb := timeEmbedding(scope.In("time"), t, cfg.ModelChannels, embDim)
	if cfg.NumClasses > 0 {
		onehot := OneHot(labels, cfg.NumEmbeddedClasses(), x.DType())
		emb = Add(emb, layers.Dense(scope.In("class"), onehot, false, embDim))
	}
	n := &net{cfg: cfg, emb: emb}
	h := conv(scope.In("input"), toChannelsFirst(x), cfg.ModelChannels*cfg.ChannelMult[0], 3, 1, false)
	skips := []*Node{h}
	size, last := cfg.Size, len(cfg.ChannelMult)-1
	for level, mult := range cfg.ChannelMult {
		for i := range cfg.NumResBlocks {
			h = n.resBlock(scope.In("down%d_res%d", level, i), h, mult*cfg.ModelChannels)
			h = n.maybeAttention(scope.In("down%d_attn%d", level, i), h, size)
			skips = append(skips, h)
		}
		if level < last {
			h = conv(scope.In("down%d_downsample", level), meanPool2(h), channels(h), 3, 1, false)
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
				h = conv(scope.In("up%d_upsample", level), h, channels(h), 3, 1, false)
				size *= 2
			}
		}
	}
	h = activation.Swish(groupNorm(scope.In("out_norm"), h, cfg.NormGroups))
	return toChannelsLast(conv(scope.In("out"), h, cfg.OutChannels(), 3, 1, true))
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
	cfg NetConfig
	emb *Node // [B, 4*ModelChannels]
}

// resBlock is guided-diffusion's ResBlock with use_scale_shift_norm: h = conv(SiLU(GN(x)));
// h = GN(h) (1 + scale(emb)) + shift(emb); h = conv0(SiLU(h)); return skip(x) + h, where conv0 starts
// at zero and skip is the identity or a 1x1 convolution when the channel count changes.
func (n *net) resBlock(scope *model.Scope, x *Node, out int) *Node {
	in := channels(x)
	h := activation.Swish(groupNorm(scope.In("norm1"), x, n.cfg.NormGroups))
	h = conv(scope.In("conv1"), h, out, 3, 1, false)
	e := activation.Swish(n.emb)
	scale := toSpatial(layers.Dense(scope.In("emb_scale"), e, true, out), h.Rank())
	shift := toSpatial(layers.Dense(scope.In("emb_shift"), e, true, out), h.Rank())
	h = groupNorm(scope.In("norm2"), h, n.cfg.NormGroups)
	h = Add(Mul(h, OnePlus(scale)), shift)
	h = conv(scope.In("conv2"), activation.Swish(h), out, 3, 1, true)
	if in != out {
		x = conv(scope.In("skip"), x, out, 1, 1, false)
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
	h := groupNorm(scope.In("norm"), x, n.cfg.NormGroups)
	split := func(name string) *Node {
		return Reshape(conv(scope.In("%s", name), h, c, 1, 1, false), b, heads, d, positions)
	}
	q, k, v := split("q"), split("k"), split("v")
	logits := MulScalar(Einsum("bhds,bhdt->bhst", q, k), 1/math.Sqrt(float64(d)))
	weights := Softmax(logits, -1)
	att := Reshape(Einsum("bhst,bhdt->bhds", weights, v), dims...)
	return Add(x, conv(scope.In("proj"), att, c, 1, 1, true))
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
	h := activation.Swish(layers.Dense(scope.In("dense1"), feats, true, embDim))
	return layers.Dense(scope.In("dense2"), h, true, embDim)
}

// groupNorm normalises x [B, C, spatial...] over the channels and positions of each of G groups
// (G = gcd(groups, C)), then applies a learned per-channel scale and shift. Channels-first makes each
// group one contiguous run, reduced along the last axis.
func groupNorm(scope *model.Scope, x *Node, groups int) *Node {
	dims := x.Shape().Dimensions
	b, c := dims[0], dims[1]
	groups = gcd(groups, c)
	h := Reshape(x, b, groups, x.Shape().Size()/(b*groups))
	mean := ReduceAndKeep(h, ReduceMean, 2)
	centered := Sub(h, mean)
	variance := ReduceAndKeep(Square(centered), ReduceMean, 2)
	h = Reshape(Div(centered, Sqrt(AddScalar(variance, 1e-5))), dims...) // Rsqrt has no gradient in GoMLX
	g := x.Graph()
	shape := shapes.Make(x.DType(), c)
	gamma := scope.WithInitializer(initializer.One).VariableWithShape("gamma", shape).NodeValue(g)
	beta := scope.WithInitializer(initializer.Zero).VariableWithShape("beta", shape).NodeValue(g)
	return Add(Mul(h, perChannel(gamma, len(dims))), perChannel(beta, len(dims)))
}

// conv is a same-padded, channels-first convolution with bias; zero starts its kernel at zero.
func conv(scope *model.Scope, x *Node, out, kernel, stride int, zero bool) *Node {
	if zero {
		scope = scope.WithInitializer(initializer.Zero)
	}
	return layers.Convolution(scope, x).ChannelsAxis(images.ChannelsFirst).Channels(out).
		KernelSize(kernel).Strides(stride).PadSame().Done()
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

// upsampleNearest doubles every spatial axis of x [B, C, spatial...] by repetition.
func upsampleNearest(x *Node) *Node {
	dims := x.Shape().Dimensions
	withOnes := []int{dims[0], dims[1]}
	broad := []int{dims[0], dims[1]}
	final := []int{dims[0], dims[1]}
	for _, s := range dims[2:] {
		withOnes = append(withOnes, s, 1)
		broad = append(broad, s, 2)
		final = append(final, 2*s)
	}
	return Reshape(BroadcastToDims(Reshape(x, withOnes...), broad...), final...)
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
