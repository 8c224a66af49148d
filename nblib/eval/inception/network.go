package inception

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"gonum.org/v1/gonum/mat"
)

// Dim is the feature dimension (Mixed_7c channels).
const Dim = 2048

// Extractor computes Inception-v3 pool features; it implements features.Extractor.
type Extractor struct {
	backend compute.Backend
	convs   map[string]basicConv
	exec    *graph.Exec
	// BatchSize is the number of images per graph call; 0 means 16.
	BatchSize int
}

// New loads the weights (see [LoadWeights]) and prepares the extractor on backend.
func New(backend compute.Backend, weightsPath string) (*Extractor, error) {
	w, err := LoadWeights(weightsPath)
	if err != nil {
		return nil, err
	}
	e := &Extractor{backend: backend, convs: map[string]basicConv{}}
	for _, name := range convNames() {
		c, err := w.conv(name)
		if err != nil {
			return nil, err
		}
		e.convs[name] = c
	}
	return e, nil
}

// Name implements features.Extractor.
func (e *Extractor) Name() string { return "inception-v3-pool" }

// Extract implements features.Extractor: images with values in [0, 1], 1 or 3 channels, any size.
func (e *Extractor) Extract(im features.Images) (*mat.Dense, error) {
	if err := im.Check("inception input"); err != nil {
		return nil, err
	}
	if im.Channels != 1 && im.Channels != 3 {
		return nil, fmt.Errorf("inception: images have %d channels, want 1 or 3", im.Channels)
	}
	if lo, hi := mat.Min(im.Pixels), mat.Max(im.Pixels); lo < 0 || hi > 1 {
		return nil, fmt.Errorf("inception: pixel values span [%g, %g]; scale images to [0, 1] first (divide 8-bit images by 255)", lo, hi)
	}
	if e.exec == nil {
		exec, err := graph.NewExec(e.backend, e.features)
		if err != nil {
			return nil, err
		}
		e.exec = exec
	}
	n, d := im.Pixels.Dims()
	out := mat.NewDense(n, Dim, nil)
	bs := e.BatchSize
	if bs <= 0 {
		bs = 16
	}
	for start := 0; start < n; start += bs {
		end := min(n, start+bs)
		flat := make([]float32, (end-start)*d)
		for i := start; i < end; i++ {
			for j, v := range im.Pixels.RawRowView(i) {
				flat[(i-start)*d+j] = float32(v)
			}
		}
		x := tensors.FromFlatDataAndDimensions(flat, end-start, im.Height, im.Width, im.Channels)
		res, err := e.exec.Call(x)
		if err != nil {
			return nil, err
		}
		vals, err := tensors.CopyFlatData[float32](res[0])
		if err != nil {
			return nil, err
		}
		for i := range end - start {
			for j := range Dim {
				out.Set(start+i, j, float64(vals[i*Dim+j]))
			}
		}
	}
	return out, nil
}

// features is the graph: [b, H, W, C] in [0, 1] -> [b, 2048].
func (e *Extractor) features(x *graph.Node) *graph.Node {
	if x.Shape().Dimensions[3] == 1 {
		x = graph.Concatenate([]*graph.Node{x, x, x}, -1)
	}
	x = graph.Interpolate(x, -1, 299, 299, -1).Bilinear().HalfPixelCenters(true).Done()
	x = graph.AddScalar(graph.MulScalar(x, 2), -1)
	x = e.conv(x, "Conv2d_1a_3x3", 2, 0, 0)
	x = e.conv(x, "Conv2d_2a_3x3", 1, 0, 0)
	x = e.conv(x, "Conv2d_2b_3x3", 1, 1, 1)
	x = maxPool3(x, 2)
	x = e.conv(x, "Conv2d_3b_1x1", 1, 0, 0)
	x = e.conv(x, "Conv2d_4a_3x3", 1, 0, 0)
	x = maxPool3(x, 2)
	for _, b := range []string{"Mixed_5b", "Mixed_5c", "Mixed_5d"} {
		x = e.blockA(x, b)
	}
	x = e.blockB(x, "Mixed_6a")
	for _, b := range []string{"Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"} {
		x = e.blockC(x, b)
	}
	x = e.blockD(x, "Mixed_7a")
	x = e.blockE(x, "Mixed_7b", false)
	x = e.blockE(x, "Mixed_7c", true)
	return graph.ReduceMean(x, 1, 2)
}

// conv applies a folded BasicConv2d with the given stride and (height, width) zero padding.
func (e *Extractor) conv(x *graph.Node, name string, stride, padH, padW int) *graph.Node {
	c, ok := e.convs[name]
	if !ok {
		panic("inception: no weights for " + name) // convNames and the graph disagree: a bug
	}
	g := x.Graph()
	k := graph.ConstTensor(g, tensors.FromFlatDataAndDimensions(c.kernel, c.kh, c.kw, c.in, c.out))
	y := graph.Convolve(x, k).StridePerAxis(stride, stride).PaddingPerDim([][2]int{{padH, padH}, {padW, padW}}).Done()
	scale := graph.ConstTensor(g, tensors.FromFlatDataAndDimensions(c.scale, 1, 1, 1, c.out))
	shift := graph.ConstTensor(g, tensors.FromFlatDataAndDimensions(c.shift, 1, 1, 1, c.out))
	return activation.Relu(graph.Add(graph.Mul(y, scale), shift))
}

func maxPool3(x *graph.Node, stride int) *graph.Node {
	return graph.MaxPool(x).Window(3).Strides(stride).NoPadding().Done()
}

// avgPool3Same is a 3x3, stride 1, padding 1 average that ignores the padding (count_include_pad=False).
func avgPool3Same(x *graph.Node) *graph.Node {
	dims := x.Shape().Dimensions
	sum := graph.SumPool(x).Window(3).Strides(1).PadSame().Done()
	ones := graph.Ones(x.Graph(), shapes.Make(x.DType(), 1, dims[1], dims[2], 1))
	count := graph.SumPool(ones).Window(3).Strides(1).PadSame().Done()
	return graph.Div(sum, count)
}

// maxPool3Same is a 3x3, stride 1, padding 1 max pool; its input is post-ReLU (>= 0), so zero padding
// gives the same result as torch's -inf padding.
func maxPool3Same(x *graph.Node) *graph.Node {
	return graph.MaxPool(x).Window(3).Strides(1).PadSame().Done()
}

func concat(xs ...*graph.Node) *graph.Node { return graph.Concatenate(xs, -1) }

func (e *Extractor) blockA(x *graph.Node, n string) *graph.Node {
	b1 := e.conv(x, n+".branch1x1", 1, 0, 0)
	b5 := e.conv(e.conv(x, n+".branch5x5_1", 1, 0, 0), n+".branch5x5_2", 1, 2, 2)
	b3 := e.conv(x, n+".branch3x3dbl_1", 1, 0, 0)
	b3 = e.conv(e.conv(b3, n+".branch3x3dbl_2", 1, 1, 1), n+".branch3x3dbl_3", 1, 1, 1)
	bp := e.conv(avgPool3Same(x), n+".branch_pool", 1, 0, 0)
	return concat(b1, b5, b3, bp)
}

func (e *Extractor) blockB(x *graph.Node, n string) *graph.Node {
	b3 := e.conv(x, n+".branch3x3", 2, 0, 0)
	bd := e.conv(x, n+".branch3x3dbl_1", 1, 0, 0)
	bd = e.conv(e.conv(bd, n+".branch3x3dbl_2", 1, 1, 1), n+".branch3x3dbl_3", 2, 0, 0)
	return concat(b3, bd, maxPool3(x, 2))
}

func (e *Extractor) blockC(x *graph.Node, n string) *graph.Node {
	b1 := e.conv(x, n+".branch1x1", 1, 0, 0)
	b7 := e.conv(x, n+".branch7x7_1", 1, 0, 0)
	b7 = e.conv(b7, n+".branch7x7_2", 1, 0, 3)
	b7 = e.conv(b7, n+".branch7x7_3", 1, 3, 0)
	bd := e.conv(x, n+".branch7x7dbl_1", 1, 0, 0)
	bd = e.conv(bd, n+".branch7x7dbl_2", 1, 3, 0)
	bd = e.conv(bd, n+".branch7x7dbl_3", 1, 0, 3)
	bd = e.conv(bd, n+".branch7x7dbl_4", 1, 3, 0)
	bd = e.conv(bd, n+".branch7x7dbl_5", 1, 0, 3)
	bp := e.conv(avgPool3Same(x), n+".branch_pool", 1, 0, 0)
	return concat(b1, b7, bd, bp)
}

func (e *Extractor) blockD(x *graph.Node, n string) *graph.Node {
	b3 := e.conv(e.conv(x, n+".branch3x3_1", 1, 0, 0), n+".branch3x3_2", 2, 0, 0)
	b7 := e.conv(x, n+".branch7x7x3_1", 1, 0, 0)
	b7 = e.conv(b7, n+".branch7x7x3_2", 1, 0, 3)
	b7 = e.conv(b7, n+".branch7x7x3_3", 1, 3, 0)
	b7 = e.conv(b7, n+".branch7x7x3_4", 2, 0, 0)
	return concat(b3, b7, maxPool3(x, 2))
}

func (e *Extractor) blockE(x *graph.Node, n string, maxPoolBranch bool) *graph.Node {
	b1 := e.conv(x, n+".branch1x1", 1, 0, 0)
	b3 := e.conv(x, n+".branch3x3_1", 1, 0, 0)
	b3 = concat(e.conv(b3, n+".branch3x3_2a", 1, 0, 1), e.conv(b3, n+".branch3x3_2b", 1, 1, 0))
	bd := e.conv(e.conv(x, n+".branch3x3dbl_1", 1, 0, 0), n+".branch3x3dbl_2", 1, 1, 1)
	bd = concat(e.conv(bd, n+".branch3x3dbl_3a", 1, 0, 1), e.conv(bd, n+".branch3x3dbl_3b", 1, 1, 0))
	pooled := avgPool3Same(x)
	if maxPoolBranch {
		pooled = maxPool3Same(x)
	}
	return concat(b1, b3, bd, e.conv(pooled, n+".branch_pool", 1, 0, 0))
}

// convNames lists every BasicConv2d of the network, for loading and validating the weights up front.
func convNames() []string {
	names := []string{"Conv2d_1a_3x3", "Conv2d_2a_3x3", "Conv2d_2b_3x3", "Conv2d_3b_1x1", "Conv2d_4a_3x3"}
	add := func(blocks []string, suffixes ...string) {
		for _, b := range blocks {
			for _, s := range suffixes {
				names = append(names, b+"."+s)
			}
		}
	}
	add([]string{"Mixed_5b", "Mixed_5c", "Mixed_5d"}, "branch1x1", "branch5x5_1", "branch5x5_2",
		"branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3", "branch_pool")
	add([]string{"Mixed_6a"}, "branch3x3", "branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3")
	add([]string{"Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e"}, "branch1x1", "branch7x7_1", "branch7x7_2",
		"branch7x7_3", "branch7x7dbl_1", "branch7x7dbl_2", "branch7x7dbl_3", "branch7x7dbl_4",
		"branch7x7dbl_5", "branch_pool")
	add([]string{"Mixed_7a"}, "branch3x3_1", "branch3x3_2", "branch7x7x3_1", "branch7x7x3_2",
		"branch7x7x3_3", "branch7x7x3_4")
	add([]string{"Mixed_7b", "Mixed_7c"}, "branch1x1", "branch3x3_1", "branch3x3_2a", "branch3x3_2b",
		"branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3a", "branch3x3dbl_3b", "branch_pool")
	return names
}
