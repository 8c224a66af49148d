package baselines

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Variable path prefixes: generator, discriminators and the Adam moments of each.
const (
	genPrefix  = "/gen/"
	discPrefix = "/disc/"
	adamPrefix = "/adam"
)

// param is one weight tensor: its path, shape and initialisation (Glorot uniform with fanIn+fanOut,
// or a constant).
type param struct {
	path  string
	shape []int
	fan   int     // fanIn+fanOut for Glorot uniform; 0: constant
	value float32 // the constant
}

// denseParams lists a dense layer's kernel [in, out] and bias [out].
func denseParams(prefix string, in, out int) []param {
	return []param{{path: prefix + "/w", shape: []int{in, out}, fan: in + out}, {path: prefix + "/b", shape: []int{out}}}
}

// mlpParams lists layers hidden layers of width units and a final layer of width out.
func mlpParams(prefix string, in, layers, units, out int) []param {
	var ps []param
	for l := range layers {
		ps = append(ps, denseParams(fmt.Sprintf("%s/l%d", prefix, l), in, units)...)
		in = units
	}
	return append(ps, denseParams(prefix+"/out", in, out)...)
}

// params lists every network weight of cfg in creation order.
func params(cfg Config) []param {
	k, extra, f := cfg.NumClasses, cfg.ExtraAttributes(), len(cfg.Fields)
	var ps []param
	if extra > 0 {
		ps = append(ps, mlpParams(genPrefix+"attr", k+cfg.NoiseDim, cfg.AttrLayers, cfg.AttrUnits, extra)...)
	}
	in, h := cfg.AttrWidth()+cfg.NoiseDim, cfg.GenUnits
	ps = append(ps,
		param{path: genPrefix + "lstm/wx", shape: []int{in, 4 * h}, fan: in + 4*h},
		param{path: genPrefix + "lstm/wh", shape: []int{h, 4 * h}, fan: h + 4*h},
		param{path: genPrefix + "lstm/b", shape: []int{4 * h}})
	ps = append(ps, denseParams(genPrefix+"feat", h, cfg.SampleLen*f)...)
	ps = append(ps, mlpParams(discPrefix+"main", cfg.Length*f+cfg.AttrWidth(), cfg.DiscLayers, cfg.DiscUnits, 1)...)
	if extra > 0 {
		ps = append(ps, mlpParams(discPrefix+"aux", cfg.AttrWidth(), cfg.DiscLayers, cfg.DiscUnits, 1)...)
	}
	return ps
}

// initParams creates every weight and its two Adam moments in store, drawing Glorot-uniform kernels
// from a PCG stream seeded by cfg.Seed (the same numbers on every backend).
func initParams(store *model.Store, cfg Config) error {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x67616e)) // "gan"
	for _, p := range params(cfg) {
		n := 1
		for _, d := range p.shape {
			n *= d
		}
		v := make([]float32, n)
		if p.fan > 0 {
			limit := math.Sqrt(6 / float64(p.fan))
			for i := range v {
				v[i] = float32((2*rng.Float64() - 1) * limit)
			}
		} else {
			for i := range v {
				v[i] = p.value
			}
		}
		for _, c := range []struct {
			path string
			data []float32
		}{{p.path, v}, {adamPrefix + p.path + "/m", make([]float32, n)}, {adamPrefix + p.path + "/v", make([]float32, n)}} {
			if _, err := store.CreateVariable(c.path, tensors.FromFlatDataAndDimensions(c.data, p.shape...)); err != nil {
				return fmt.Errorf("baselines: creating %s: %w", c.path, err)
			}
		}
	}
	return nil
}

// net reads weights from the store into one graph.
type net struct {
	cfg   Config
	store *model.Store
	g     *Graph
}

func (n *net) w(path string) *Node {
	v := n.store.GetVariable(path)
	if v == nil {
		panic(fmt.Sprintf("baselines: variable %s missing from the store", path))
	}
	return v.NodeValue(n.g)
}

// addBias adds bias [D] to every row of x [B, D].
func addBias(x, bias *Node) *Node { return Add(x, ExpandAxes(bias, 0)) }

func relu(x *Node) *Node { return Max(x, ZerosLike(x)) }

func (n *net) dense(prefix string, x *Node) *Node {
	return addBias(MatMul(x, n.w(prefix+"/w")), n.w(prefix+"/b"))
}

// mlp applies ReLU hidden layers then a linear output layer.
func (n *net) mlp(prefix string, x *Node, layers int) *Node {
	for l := range layers {
		x = relu(n.dense(fmt.Sprintf("%s/l%d", prefix, l), x))
	}
	return n.dense(prefix+"/out", x)
}

// generate builds the generator: labels [B] int32, noiseA [B, Z], noiseF [B, Cells, Z] ->
// features [B, Length, F] and extra attributes [B, Extra] (nil without SelfNorm), both in [0, 1].
func (n *net) generate(labels, noiseA, noiseF *Node) (feat, extra *Node) {
	cfg := n.cfg
	onehot := OneHot(labels, cfg.NumClasses, dtypes.Float32)
	attr := onehot
	if cfg.ExtraAttributes() > 0 {
		extra = Sigmoid(n.mlp(genPrefix+"attr", Concatenate([]*Node{onehot, noiseA}, -1), cfg.AttrLayers))
		attr = Concatenate([]*Node{onehot, extra}, -1)
	}
	b, h := labels.Shape().Dimensions[0], cfg.GenUnits
	wx, wh, bias := n.w(genPrefix+"lstm/wx"), n.w(genPrefix+"lstm/wh"), n.w(genPrefix+"lstm/b")
	hState := Zeros(n.g, shapes.Make(dtypes.Float32, b, h))
	cState := hState
	outs := make([]*Node, cfg.Cells())
	for s := range outs {
		z := Reshape(SliceAxis(noiseF, 1, AxisRange(s, s+1)), b, cfg.NoiseDim)
		in := Concatenate([]*Node{attr, z}, -1)
		gates := addBias(Add(MatMul(in, wx), MatMul(hState, wh)), bias)
		i := Sigmoid(SliceAxis(gates, 1, AxisRange(0, h)))
		f := Sigmoid(AddScalar(SliceAxis(gates, 1, AxisRange(h, 2*h)), 1)) // forget bias 1, as TF's LSTMCell
		g := Tanh(SliceAxis(gates, 1, AxisRange(2*h, 3*h)))
		o := Sigmoid(SliceAxis(gates, 1, AxisRange(3*h, 4*h)))
		cState = Add(Mul(f, cState), Mul(i, g))
		hState = Mul(o, Tanh(cState))
		outs[s] = Reshape(Sigmoid(n.dense(genPrefix+"feat", hState)), b, cfg.SampleLen, len(cfg.Fields))
	}
	feat = Concatenate(outs, 1)
	if feat.Shape().Dimensions[1] != cfg.Length {
		feat = SliceAxis(feat, 1, AxisRange(0, cfg.Length))
	}
	return feat, extra
}

// attributes concatenates the one-hot class and the extra attributes the discriminators see.
func (n *net) attributes(labels, extra *Node) *Node {
	onehot := OneHot(labels, n.cfg.NumClasses, dtypes.Float32)
	if extra == nil {
		return onehot
	}
	return Concatenate([]*Node{onehot, extra}, -1)
}

// critic returns the main discriminator's [B] scores of features [B, T, F] with attributes [B, A].
func (n *net) critic(feat, attr *Node) *Node {
	b := feat.Shape().Dimensions[0]
	x := Concatenate([]*Node{Reshape(feat, b, -1), attr}, -1)
	return Reshape(n.mlp(discPrefix+"main", x, n.cfg.DiscLayers), b)
}

// auxCritic returns the auxiliary discriminator's [B] scores of attributes [B, A].
func (n *net) auxCritic(attr *Node) *Node {
	return Reshape(n.mlp(discPrefix+"aux", attr, n.cfg.DiscLayers), attr.Shape().Dimensions[0])
}

// gradientPenalty is E[(||grad_x D(x)||_2 - 1)^2] over the rows of the inputs xs (the gradient of all
// of them together per example), the WGAN-GP term; the norm is sqrt(sum + 1e-8) as DoppelGANger's.
func gradientPenalty(scores *Node, xs ...*Node) *Node {
	grads := Gradient(ReduceAllSum(scores), xs...)
	var sq *Node
	for _, g := range grads {
		s := ReduceSum(Square(Reshape(g, g.Shape().Dimensions[0], -1)), 1)
		if sq == nil {
			sq = s
		} else {
			sq = Add(sq, s)
		}
	}
	norm := Sqrt(AddScalar(sq, 1e-8))
	return ReduceAllMean(Square(AddScalar(norm, -1)))
}

// interpolate returns eps*a + (1-eps)*b with eps [B] broadcast over the other axes.
func interpolate(eps, a, b *Node) *Node {
	e := eps
	for e.Rank() < a.Rank() {
		e = ExpandAxes(e, -1)
	}
	return Add(Mul(e, a), Mul(OneMinus(e), b))
}

// adam updates every weight under prefix from its gradient with Adam as TensorFlow's AdamOptimizer
// (which DoppelGANger uses): m = b1 m + (1-b1) g, v = b2 v + (1-b2) g^2, w -= lrT m / (sqrt(v) + 1e-8),
// lrT = lr sqrt(1-b2^t) / (1-b1^t) computed on the host.
func (n *net) adam(prefix string, loss, lrT *Node) {
	var vars []*model.Variable
	var nodes []*Node
	for _, p := range params(n.cfg) {
		if strings.HasPrefix(p.path, prefix) {
			v := n.store.GetVariable(p.path)
			vars = append(vars, v)
			nodes = append(nodes, v.NodeValue(n.g))
		}
	}
	grads := Gradient(loss, nodes...)
	b1, b2 := n.cfg.Beta1, n.cfg.Beta2
	for i, v := range vars {
		mv, vv := n.store.GetVariable(adamPrefix+v.Path()+"/m"), n.store.GetVariable(adamPrefix+v.Path()+"/v")
		m := Add(MulScalar(mv.NodeValue(n.g), b1), MulScalar(grads[i], 1-b1))
		s := Add(MulScalar(vv.NodeValue(n.g), b2), MulScalar(Square(grads[i]), 1-b2))
		mv.SetNodeValue(m)
		vv.SetNodeValue(s)
		v.SetNodeValue(Sub(nodes[i], Mul(lrT, Div(m, AddScalar(Sqrt(s), 1e-8)))))
	}
}
