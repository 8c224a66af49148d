package unet

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/model/initializer"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
)

const (
	netScope = "/unet" // network weights
	emaScope = "/ema"  // EMA weights mirror netScope below this prefix
)

// gradientOptimizer is implemented by GoMLX's Adam: it applies precomputed (here: clipped) gradients.
type gradientOptimizer interface {
	optimizer.Interface
	UpdateGraphWithGradients(scope *model.Scope, grads []*Node, lossDType dtypes.DType)
}

// Trainer trains a U-Net on the eps- or v-prediction objective with AdamW, global-norm gradient
// clipping and an exponential moving average (EMA) of the weights, all inside one compiled graph per
// step. Timesteps, noise and label dropout are drawn on the host from a seeded PCG stream whose state
// is checkpointed, so a resumed run continues exactly.
type Trainer struct {
	Config   Config
	Schedule *diffusion.Schedule

	backend compute.Backend
	store   *model.Store
	opt     gradientOptimizer
	exec    *model.Exec
	pcg     *rand.PCG
	rng     *rand.Rand
	step    int64         // training steps done
	graph   *Graph        // the last training-step graph built (for exporting and profiling it)
	dist    *dataParallel // nil: one device (SetDevices)
}

// New returns a Trainer with freshly initialised weights (seeded by cfg.Train.Seed).
func New(backend compute.Backend, cfg Config) (*Trainer, error) {
	store := model.NewStore()
	store.RootScope().SetParam(model.ParamInitialSeed, int64(cfg.Train.Seed)+1)
	return newTrainer(backend, cfg, store)
}

func newTrainer(backend compute.Backend, cfg Config, store *model.Store) (*Trainer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	sched, err := diffusion.NewSchedule(cfg.Train.Schedule, cfg.Train.DiffusionSteps)
	if err != nil {
		return nil, err
	}
	if cfg.Train.LabelDropout > 0 && !cfg.Net.NullClass {
		return nil, fmt.Errorf("unet: LabelDropout %g needs NetConfig.NullClass", cfg.Train.LabelDropout)
	}
	opt, ok := optimizer.Adam().LearningRate(cfg.Train.LearningRate).WeightDecay(cfg.Train.WeightDecay).Done().(gradientOptimizer)
	if !ok {
		return nil, fmt.Errorf("unet: GoMLX Adam no longer accepts precomputed gradients")
	}
	pcg := rand.NewPCG(cfg.Train.Seed, 0x6e6574646966) // second word: "netdif"
	tr := &Trainer{Config: cfg, Schedule: sched, backend: backend, store: store, opt: opt, pcg: pcg, rng: rand.New(pcg)}
	tr.exec, err = model.NewExec(backend, store, tr.stepGraph)
	if err != nil {
		return nil, err
	}
	return tr, nil
}

// Steps returns the number of training steps done (including those before a resume).
func (tr *Trainer) Steps() int64 { return tr.step }

// Store returns the model.Store holding weights, optimiser state and EMA weights.
func (tr *Trainer) Store() *model.Store { return tr.store }

// NumParameters returns the number of network weights (excluding optimiser state and EMA), or 0
// before the first step has built the network.
func (tr *Trainer) NumParameters() int {
	n := 0
	for v := range tr.store.IterVariables() {
		if strings.HasPrefix(v.Path(), netScope+"/") {
			n += v.Shape().Size()
		}
	}
	return n
}

// StepResult reports one training step.
type StepResult struct {
	Loss     float64 // loss before the update: the MSE on eps (or v), plus (T/1000) L_vlb with LearnSigma
	GradNorm float64 // global gradient norm before clipping
}

// TrainStep runs one optimisation step on a batch x0 (values in [-1, 1], shape [B, ExampleShape...])
// with its labels. It returns an error naming the problem for a batch of the wrong shape or labels
// out of range.
func (tr *Trainer) TrainStep(x0 diffusion.Array, labels []int) (StepResult, error) {
	if err := tr.checkBatch(x0, labels); err != nil {
		return StepResult{}, err
	}
	ex := tr.Schedule.MakeTrainingExample(x0, labels, tr.rng, tr.Config.Net.NullLabel(), tr.Config.Train.LabelDropout)
	target := ex.Noise
	if tr.Config.Train.Prediction.OrEps() == diffusion.PredictV {
		target = tr.Schedule.VTarget(x0, ex.Noise, ex.Steps)
	}
	inputs := []*tensors.Tensor{arrayTensor(ex.Noisy), stepsTensor(ex.Steps), labelsTensor(ex.Labels), arrayTensor(target),
		arrayTensor(x0), stepCoefficients(tr.Schedule, ex.Steps)}
	var outs []*tensors.Tensor
	var err error
	if tr.dist == nil {
		outs, err = tr.exec.Call(inputs[0], inputs[1], inputs[2], inputs[3], inputs[4], inputs[5])
	} else {
		outs, err = tr.dist.call(tr.exec, inputs...)
	}
	if err != nil {
		return StepResult{}, fmt.Errorf("unet: training step %d: %w", tr.step+1, err)
	}
	tr.step++
	return StepResult{Loss: scalar(outs[0]), GradNorm: scalar(outs[1])}, nil
}

func (tr *Trainer) checkBatch(x0 diffusion.Array, labels []int) error {
	if err := x0.Check(); err != nil {
		return err
	}
	want := tr.Config.Net.ExampleShape()
	if len(x0.Shape) != len(want)+1 {
		return fmt.Errorf("unet: batch shape %v, want [B %v]", x0.Shape, want)
	}
	for i, d := range want {
		if x0.Shape[i+1] != d {
			return fmt.Errorf("unet: batch shape %v, want [B %v]", x0.Shape, want)
		}
	}
	if len(labels) != x0.Batch() {
		return fmt.Errorf("unet: %d labels for a batch of %d", len(labels), x0.Batch())
	}
	for i, l := range labels {
		if l < 0 || (tr.Config.Net.NumClasses > 0 && l >= tr.Config.Net.NumClasses) {
			return fmt.Errorf("unet: label %d of batch example %d is outside [0, %d)", l, i, tr.Config.Net.NumClasses)
		}
	}
	return nil
}

// stepGraph builds one training step: loss, clipped gradients, AdamW update and EMA update. target
// is eps, or v for a PredictV network; x0 and coefs (per-example schedule coefficients) feed the
// hybrid loss of LearnSigma models.
func (tr *Trainer) stepGraph(scope *model.Scope, noisy, t, labels, target, x0, coefs *Node) (loss, gradNorm *Node) {
	// Training mode: otherwise backends that prefer constants (the Go backend) embed variables that
	// already hold a value (all of them after a resume) as constants, and updates are lost.
	scope.SetTraining(noisy.Graph(), true)
	tr.graph = noisy.Graph()
	pred := Build(scope.In("%s", netScope[1:]), tr.Config.Net, noisy, t, labels)
	if tr.Config.Net.LearnSigma {
		mean, v := splitOutput(pred)
		predX0 := predictedX0(mean, noisy, coefs, tr.Config.Train.Prediction.OrEps())
		vb := ReduceAllMean(hybridVLB(predX0, v, noisy, x0, coefs))
		loss = Add(ReduceAllMean(Square(Sub(mean, target))), MulScalar(vb, float64(tr.Config.Train.DiffusionSteps)/1000))
	} else {
		loss = ReduceAllMean(Square(Sub(pred, target)))
	}
	grads := scope.BuildTrainableVariablesGradientsGraph(loss)
	grads, gradNorm = clipGlobalNorm(grads, trainablePaths(scope, noisy.Graph()), tr.Config.Train.GradClip)
	tr.opt.UpdateGraphWithGradients(scope, grads, loss.DType())
	if tr.Config.Train.EMADecay > 0 {
		tr.emaGraph(scope, noisy.Graph())
	}
	return loss, gradNorm
}

// trainablePaths lists the variables BuildTrainableVariablesGradientsGraph differentiates, in its order.
func trainablePaths(scope *model.Scope, g *Graph) []string {
	var paths []string
	for v := range scope.IterVariables() {
		if v.Trainable && v.InUseByGraph(g) {
			paths = append(paths, v.Path())
		}
	}
	return paths
}

// clipGlobalNorm scales all gradients by min(1, maxNorm/||g||), ||g|| the norm of all of them
// together, and returns the scaled gradients and ||g||. maxNorm <= 0 disables clipping. The squares
// are summed over one flattened vector of all gradients in the order of the variable paths (one
// Square and one ReduceSum instead of three small ops per variable), so the result does not depend
// on the order in which variables were created (it differs after loading a checkpoint) and a resumed
// run is bit-exact.
func clipGlobalNorm(grads []*Node, paths []string, maxNorm float64) ([]*Node, *Node) {
	order := make([]int, len(grads))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return paths[order[a]] < paths[order[b]] })
	sorted := make([]*Node, len(grads))
	for k, i := range order {
		sorted[k] = grads[i]
	}
	norm := Sqrt(ReduceAllSum(Square(flatten(sorted))))
	if maxNorm <= 0 {
		return grads, norm
	}
	limit := Scalar(norm.Graph(), norm.DType(), maxNorm)
	factor := Div(limit, Max(norm, limit))
	out := make([]*Node, len(grads))
	for i, g := range grads {
		out[i] = Mul(g, ConvertDType(factor, g.DType()))
	}
	return out, norm
}

// flatten concatenates the values of xs (one dtype) into one vector, in order.
func flatten(xs []*Node) *Node {
	flat := make([]*Node, len(xs))
	for i, x := range xs {
		flat[i] = Reshape(x, -1)
	}
	if len(flat) == 1 {
		return flat[0]
	}
	return Concatenate(flat, 0)
}

// unflatten splits a vector made by flatten back into nodes shaped like xs.
func unflatten(flat *Node, xs []*Node) []*Node {
	out := make([]*Node, len(xs))
	offset := 0
	for i, x := range xs {
		n := x.Shape().Size()
		out[i] = Reshape(SliceAxis(flat, 0, AxisRange(offset, offset+n)), x.Shape().Dimensions...)
		offset += n
	}
	return out
}

// EMAWarmup returns the EMA decay used at the n-th update (n >= 1): min(decay, (1+n)/(10+n)), the
// warm-up of common diffusion trainers (guided-diffusion's and TensorFlow's num_updates rule), so a
// short run averages its recent weights instead of keeping the initial ones.
func EMAWarmup(decay float64, n int64) float64 {
	return math.Min(decay, float64(1+n)/float64(10+n))
}

// emaGraph updates ema = d_n*ema + (1-d_n)*w for every network weight w (after the optimiser
// step), d_n = EMAWarmup(EMADecay, n) at the n-th update; on the first update ema = w. The blend runs
// once over all weights flattened into one vector (four ops instead of four per variable); the EMA
// weights stay one variable per weight (checkpoints are unchanged) and are sliced back out of it.
func (tr *Trainer) emaGraph(scope *model.Scope, g *Graph) {
	counter := optimizer.IncrementCounter(scope.At("ema_state"), g, "updates", dtypes.Int64)
	first := Equal(counter, OnesLike(counter))
	n := ConvertDType(counter, dtypes.Float64)
	decay := Min(Div(AddScalar(n, 1), AddScalar(n, 10)), Scalar(g, dtypes.Float64, tr.Config.Train.EMADecay))
	byDType := map[dtypes.DType][]*model.Variable{}
	var dtypeOrder []dtypes.DType
	for v := range tr.store.IterVariables() {
		if v.Trainable && strings.HasPrefix(v.Path(), netScope+"/") {
			dt := v.Shape().DType
			if _, seen := byDType[dt]; !seen {
				dtypeOrder = append(dtypeOrder, dt)
			}
			byDType[dt] = append(byDType[dt], v)
		}
	}
	for _, dt := range dtypeOrder {
		weights := byDType[dt]
		ws, olds := make([]*Node, len(weights)), make([]*Node, len(weights))
		emaVars := make([]*model.Variable, len(weights))
		for i, v := range weights {
			ws[i] = v.NodeValue(g)
			emaVars[i] = tr.store.Scope(emaScope+v.Scope()).WithInitializer(initializer.Zero).
				VariableWithShape(v.Name(), v.Shape()).SetTrainable(false)
			olds[i] = emaVars[i].NodeValue(g)
		}
		w, old := flatten(ws), flatten(olds)
		d := ConvertDType(decay, dt)
		blend := Where(first, w, Add(Mul(old, d), Mul(w, OneMinus(d))))
		for i, updated := range unflatten(blend, olds) {
			emaVars[i].SetNodeValue(updated)
		}
	}
}

func arrayTensor(a diffusion.Array) *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(a.Data, a.Shape...)
}

func stepsTensor(steps []int) *tensors.Tensor {
	f := make([]float32, len(steps))
	for i, s := range steps {
		f[i] = float32(s)
	}
	return tensors.FromFlatDataAndDimensions(f, len(f))
}

func labelsTensor(labels []int) *tensors.Tensor {
	l := make([]int32, len(labels))
	for i, v := range labels {
		l[i] = int32(max(v, 0))
	}
	return tensors.FromFlatDataAndDimensions(l, len(l))
}

func scalar(t *tensors.Tensor) float64 {
	switch v := t.Value().(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	panic(fmt.Sprintf("unet: unexpected scalar %v", t))
}
