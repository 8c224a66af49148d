package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers"
	"github.com/gomlx/gomlx/ml/layers/activation"
	"github.com/gomlx/gomlx/ml/layers/norm"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/loss"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/optim"
	"gonum.org/v1/gonum/mat"
)

// Arch selects a network; see the package doc.
type Arch int

const (
	// CNN8 is the authors' 8-convolution network.
	CNN8 Arch = iota
	// CNN2 is a 2-convolution network for CPU runs ("cnn-quick" before).
	CNN2
	// MLP is a 128-64 multilayer perceptron on the flattened input.
	MLP
)

// String names the architecture.
func (a Arch) String() string {
	switch a {
	case CNN8:
		return "cnn8"
	case CNN2:
		return "cnn2"
	case MLP:
		return "mlp"
	}
	return fmt.Sprintf("Arch(%d)", int(a))
}

// Optimizer selects the training algorithm of a Network.
type Optimizer int

const (
	// DefaultOptimizer is SGDMomentum for CNN8 (the authors' setting) and Adam for the others.
	DefaultOptimizer Optimizer = iota
	// Adam with learning rate 1e-3 unless set.
	Adam
	// SGDMomentum is SGD with momentum (0.9 unless set), learning rate 0.01 unless set; see
	// [optim.Momentum].
	SGDMomentum
)

// String names the optimizer.
func (o Optimizer) String() string {
	switch o {
	case DefaultOptimizer:
		return "default"
	case Adam:
		return "adam"
	case SGDMomentum:
		return "sgd-momentum"
	}
	return fmt.Sprintf("Optimizer(%d)", int(o))
}

// ParseOptimizer parses "default", "adam" or "sgd-momentum" (also "sgdm").
func ParseOptimizer(s string) (Optimizer, error) {
	switch s {
	case "", "default":
		return DefaultOptimizer, nil
	case "adam":
		return Adam, nil
	case "sgd-momentum", "sgdm":
		return SGDMomentum, nil
	}
	return 0, fmt.Errorf("nn: unknown optimizer %q (want default, adam or sgd-momentum)", s)
}

// Network is a trainable classifier; set the fields, then call Fit.
type Network struct {
	Backend compute.Backend // required: where graphs run (see nblib/backend)
	Arch    Arch
	// Height, Width, Channels describe each row of the input matrices (row-major H, W, C). For series
	// (Conv1D) use Height = 1, Width = length, Channels = 1.
	Height, Width, Channels int
	Conv1D                  bool // 1-D convolutions over the Width axis (series)
	Epochs                  int  // passes over the data; 0 means 10
	BatchSize               int  // 0 means 32
	Optimizer               Optimizer
	LearningRate            float64 // 0 means the optimizer's default: 0.01 (SGDMomentum), 1e-3 (Adam)
	Momentum                float64 // SGDMomentum only; 0 means 0.9
	Seed                    uint64
	// Progress, when set, is called after each epoch with the mean training loss of that epoch.
	Progress func(epoch, total int, loss float64)

	store *model.Store
	exec  *model.Exec // inference graph, built on first use
	k     int
}

// Fit trains the network on x (n x H*W*C) and labels y in [0, K).
func (nw *Network) Fit(x *mat.Dense, y []int) error {
	k, err := classify.CheckTraining(x, y)
	if err != nil {
		return err
	}
	if err := nw.checkShape(x); err != nil {
		return err
	}
	if nw.Backend == nil {
		return fmt.Errorf("nn: Network.Backend is nil: create one with nblib/backend.New")
	}
	nw.k = k
	nw.exec = nil
	nw.store = model.NewStore()
	nw.store.SetParam(model.ParamInitialSeed, int64(nw.Seed))
	opt := nw.newOptimizer()
	trainer := train.NewTrainer(nw.Backend, nw.store, nw.logits, loss.SparseCategoricalCrossEntropyLogits, opt, nil, nil)
	n, _ := x.Dims()
	batch := min(intOr(nw.BatchSize, 32), n)
	epochs := intOr(nw.Epochs, 10)
	rng := rand.New(rand.NewPCG(nw.Seed, 0xba7c))
	for epoch := range epochs {
		perm := rng.Perm(n)
		var sum float64
		steps := 0
		for start := 0; start+batch <= n; start += batch {
			xs, ys := nw.batchTensors(x, y, perm[start:start+batch])
			metrics, err := trainer.TrainStep(train.Batch{Inputs: []*tensors.Tensor{xs}, Labels: []*tensors.Tensor{ys}})
			if err != nil {
				return fmt.Errorf("nn: epoch %d: %w", epoch, err)
			}
			sum += float64(tensors.ToScalar[float32](metrics[0]))
			steps++
		}
		if nw.Progress != nil {
			nw.Progress(epoch+1, epochs, sum/float64(steps))
		}
	}
	return nw.recalibrateBatchNorm(x, batch)
}

// recalibrateBatchNorm recomputes the batch-normalisation averages used at inference with the final
// weights, as PyTorch's torch.optim.swa_utils.update_bn does: the averages are reset and one
// forward pass in training mode over the training rows (full batches) accumulates them again.
func (nw *Network) recalibrateBatchNorm(x *mat.Dense, batch int) error {
	if nw.Arch == MLP {
		return nil // no batch normalisation
	}
	if err := norm.ResetBatchNormWeights(nw.Backend, nw.store); err != nil {
		return fmt.Errorf("nn: resetting batch-norm averages: %w", err)
	}
	exec, err := model.NewExec(nw.Backend, nw.store, func(scope *model.Scope, in *graph.Node) *graph.Node {
		scope.SetTraining(in.Graph(), true) // batch statistics, averages updated
		return nw.logits(scope, in)
	})
	if err != nil {
		return err
	}
	n, _ := x.Dims()
	for start := 0; start+batch <= n; start += batch {
		rows := make([]int, batch)
		for i := range rows {
			rows[i] = start + i
		}
		xs, _ := nw.batchTensors(x, nil, rows)
		if _, err := exec.Call(xs); err != nil {
			return fmt.Errorf("nn: recomputing batch-norm averages: %w", err)
		}
	}
	return nil
}

// EffectiveOptimizer resolves DefaultOptimizer for the network's architecture.
func (nw *Network) EffectiveOptimizer() Optimizer {
	if nw.Optimizer != DefaultOptimizer {
		return nw.Optimizer
	}
	if nw.Arch == CNN8 {
		return SGDMomentum
	}
	return Adam
}

func (nw *Network) newOptimizer() optimizer.Interface {
	switch nw.EffectiveOptimizer() {
	case SGDMomentum:
		return optim.SGDMomentum(floatOr(nw.LearningRate, 0.01), floatOr(nw.Momentum, 0.9))
	case Adam:
		return optimizer.Adam().LearningRate(floatOr(nw.LearningRate, 1e-3)).Done()
	}
	panic(fmt.Sprintf("nn: unknown optimizer %v", nw.Optimizer))
}

// PredictProba returns softmax(logits) for each row.
func (nw *Network) PredictProba(x *mat.Dense) (*mat.Dense, error) {
	if nw.store == nil {
		return nil, fmt.Errorf("nn: Network used before Fit")
	}
	if err := classify.CheckPredict(x, nw.Height*nw.Width*nw.Channels); err != nil {
		return nil, err
	}
	if nw.exec == nil {
		exec, err := model.NewExec(nw.Backend, nw.store, func(scope *model.Scope, in *graph.Node) *graph.Node {
			return graph.Softmax(nw.logits(scope, in))
		})
		if err != nil {
			return nil, err
		}
		nw.exec = exec
	}
	return nw.run(nw.exec, x)
}

// run evaluates a one-input, one-output graph over the rows of x in chunks; outputs are [rows, width].
func (nw *Network) run(exec *model.Exec, x *mat.Dense) (*mat.Dense, error) {
	n, _ := x.Dims()
	var out *mat.Dense
	const chunk = 256
	for start := 0; start < n; start += chunk {
		rows := make([]int, 0, chunk)
		for i := start; i < min(n, start+chunk); i++ {
			rows = append(rows, i)
		}
		xs, _ := nw.batchTensors(x, nil, rows)
		res, err := exec.Call(xs)
		if err != nil {
			return nil, err
		}
		width := res[0].Shape().Dimensions[1]
		vals, err := tensors.CopyFlatData[float32](res[0])
		if err != nil {
			return nil, err
		}
		if out == nil {
			out = mat.NewDense(n, width, nil)
		}
		for i := range rows {
			for c := range width {
				out.Set(start+i, c, float64(vals[i*width+c]))
			}
		}
	}
	return out, nil
}

func (nw *Network) checkShape(x *mat.Dense) error {
	if nw.Height < 1 || nw.Width < 1 || nw.Channels < 1 {
		return fmt.Errorf("nn: set Height, Width and Channels (got %dx%dx%d)", nw.Height, nw.Width, nw.Channels)
	}
	if _, d := x.Dims(); d != nw.Height*nw.Width*nw.Channels {
		return fmt.Errorf("nn: rows have %d values, want %dx%dx%d = %d", d, nw.Height, nw.Width, nw.Channels, nw.Height*nw.Width*nw.Channels)
	}
	return nil
}

// batchTensors gathers rows into a float32 input tensor and (when y is set) int32 [b, 1] labels.
func (nw *Network) batchTensors(x *mat.Dense, y []int, rows []int) (*tensors.Tensor, *tensors.Tensor) {
	_, d := x.Dims()
	flat := make([]float32, len(rows)*d)
	labels := make([]int32, len(rows))
	for i, r := range rows {
		for j, v := range x.RawRowView(r) {
			flat[i*d+j] = float32(v)
		}
		if y != nil {
			labels[i] = int32(y[r])
		}
	}
	var xs *tensors.Tensor
	if nw.Conv1D {
		xs = tensors.FromFlatDataAndDimensions(flat, len(rows), nw.Height*nw.Width, nw.Channels)
	} else {
		xs = tensors.FromFlatDataAndDimensions(flat, len(rows), nw.Height, nw.Width, nw.Channels)
	}
	return xs, tensors.FromFlatDataAndDimensions(labels, len(rows), 1)
}

// logits builds the network graph for input x: the embedding followed by a linear layer to K.
func (nw *Network) logits(scope *model.Scope, x *graph.Node) *graph.Node {
	return layers.DenseWithBias(scope.In("logits"), nw.embedding(scope, x), nw.k)
}

// embedding builds everything but the last layer: the output of the last hidden dense layer.
func (nw *Network) embedding(scope *model.Scope, x *graph.Node) *graph.Node {
	switch nw.Arch {
	case CNN8:
		for block, ch := range []int{32, 64, 128, 256} {
			for conv := range 2 {
				x = convBNReLU(scope.In("block%d_conv%d", block, conv), x, ch)
			}
			x = maxPool2(x)
		}
		return hiddenDense(scope, x, []int{128, 64})
	case CNN2:
		for block, ch := range []int{16, 32} {
			x = maxPool2(convBNReLU(scope.In("block%d", block), x, ch))
		}
		return hiddenDense(scope, x, []int{64})
	case MLP:
		return hiddenDense(scope, x, []int{128, 64})
	}
	panic(fmt.Sprintf("nn: unknown architecture %v", nw.Arch))
}

func convBNReLU(scope *model.Scope, x *graph.Node, channels int) *graph.Node {
	x = layers.Convolution(scope.In("conv"), x).Channels(channels).KernelSize(3).PadSame().Done()
	x = norm.BatchNorm(scope.In("bn"), x, -1).UseBackendInference(false).Done() // plain ops: every backend
	return activation.Relu(x)
}

// hiddenDense flattens x and applies ReLU dense layers of the given widths.
func hiddenDense(scope *model.Scope, x *graph.Node, widths []int) *graph.Node {
	b := x.Shape().Dimensions[0]
	x = graph.Reshape(x, b, -1)
	for i, w := range widths {
		x = activation.Relu(layers.DenseWithBias(scope.In("dense%d", i), x, w))
	}
	return x
}

// maxPool2 is a 2x2 (or 2 for 1-D) max pool by reshape and reduce; odd trailing entries are dropped.
func maxPool2(x *graph.Node) *graph.Node {
	dims := x.Shape().Dimensions
	spatial := dims[1 : len(dims)-1]
	starts := make([]graph.SliceAxisSpec, len(dims))
	shape := []int{dims[0]}
	var reduceAxes []int
	for i, s := range spatial {
		starts[i+1] = graph.AxisRange(0, s-s%2)
		shape = append(shape, s/2, 2)
		reduceAxes = append(reduceAxes, 2+2*i)
	}
	starts[0] = graph.AxisRange()
	starts[len(dims)-1] = graph.AxisRange()
	x = graph.Slice(x, starts...)
	shape = append(shape, dims[len(dims)-1])
	return graph.ReduceMax(graph.Reshape(x, shape...), reduceAxes...)
}

func intOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

func floatOr(v, def float64) float64 {
	if v <= 0 {
		return def
	}
	return v
}
