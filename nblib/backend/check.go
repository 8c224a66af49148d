package backend

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// CheckResult reports a small convolutional training run on a backend: it proves the backend can compile,
// differentiate and update a conv layer, and gives a first feel for its speed.
type CheckResult struct {
	Steps               int
	LossFirst, LossLast float64
	Compile             time.Duration // first call: graph build and compilation
	PerStep             time.Duration // mean of the remaining calls
}

// String is a one-line summary.
func (r CheckResult) String() string {
	return fmt.Sprintf("conv training check: loss %.4f -> %.4f over %d steps; compile %s, %s/step",
		r.LossFirst, r.LossLast, r.Steps, r.Compile.Round(time.Millisecond), r.PerStep.Round(time.Microsecond))
}

// checkShape is the check's problem: a batch of 8 single-channel 16x16 images, one 3x3 conv to 8 channels
// and a 1x1 conv back, regressing a fixed random target. Small enough to be instant on the Go backend.
const (
	checkBatch, checkSize, checkChannels = 8, 16, 8
	checkLearningRate                    = 0.05
)

// checkStep is one SGD step of a two-layer conv net: returns the loss before the update and the new kernels.
func checkStep(x, y, k1, k2 *graph.Node) (loss, newK1, newK2 *graph.Node) {
	h := graph.Tanh(graph.Convolve(x, k1).PadSame().Done())
	out := graph.Convolve(h, k2).PadSame().Done()
	loss = graph.ReduceAllMean(graph.Square(graph.Sub(out, y)))
	grads := graph.Gradient(loss, k1, k2)
	newK1 = graph.Sub(k1, graph.MulScalar(grads[0], checkLearningRate))
	newK2 = graph.Sub(k2, graph.MulScalar(grads[1], checkLearningRate))
	return
}

// Check runs steps (at least 2) of SGD on a tiny conv net with fixed data (seed 1) on b. The loss must fall.
func Check(b compute.Backend, steps int) (CheckResult, error) {
	if steps < 2 {
		steps = 2
	}
	exec, err := graph.NewExec(b, checkStep)
	if err != nil {
		return CheckResult{}, fmt.Errorf("backend check: %w", err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	x := randomTensor(rng, 1, checkBatch, checkSize, checkSize, 1)
	y := randomTensor(rng, 1, checkBatch, checkSize, checkSize, 1)
	k1 := randomTensor(rng, 0.3, 3, 3, 1, checkChannels)
	k2 := randomTensor(rng, 0.3, 1, 1, checkChannels, 1)
	res := CheckResult{Steps: steps}
	for i := 0; i < steps; i++ {
		start := time.Now()
		out, err := exec.Call(x, y, k1, k2)
		if err != nil {
			return res, fmt.Errorf("backend check, step %d: %w", i, err)
		}
		elapsed := time.Since(start)
		loss := float64(tensors.ToScalar[float32](out[0]))
		k1, k2 = out[1], out[2]
		if i == 0 {
			res.Compile, res.LossFirst = elapsed, loss
		} else {
			res.PerStep += elapsed
		}
		res.LossLast = loss
	}
	res.PerStep /= time.Duration(steps - 1)
	if !(res.LossLast < res.LossFirst) {
		return res, fmt.Errorf("backend check: loss did not fall (%.6f -> %.6f): the backend computes wrong gradients", res.LossFirst, res.LossLast)
	}
	return res, nil
}

func randomTensor(rng *rand.Rand, scale float64, dims ...int) *tensors.Tensor {
	n := 1
	for _, d := range dims {
		n *= d
	}
	data := make([]float32, n)
	for i := range data {
		data[i] = float32(rng.NormFloat64() * scale)
	}
	return tensors.FromFlatDataAndDimensions(data, dims...)
}
