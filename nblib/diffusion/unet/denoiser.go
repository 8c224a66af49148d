package unet

import (
	"fmt"
	"math"
	"strings"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
)

// Denoiser returns the network as a diffusion.Denoiser for the samplers (with LearnSigma it returns
// eps and v: sample with SampleConfig.Variance = Config.Net.Variance()); a PredictV network's output
// is turned into eps (diffusion.Schedule.VDenoiser), so it always returns eps. It holds a snapshot of the
// current weights: the EMA weights when useEMA is set (an error if EMA is off or no step ran yet),
// else the raw weights. Training afterwards does not change the returned denoiser.
func (tr *Trainer) Denoiser(useEMA bool) (diffusion.Denoiser, error) {
	inf := model.NewStore()
	n := 0
	for v := range tr.store.IterVariables() {
		if !strings.HasPrefix(v.Path(), netScope+"/") {
			continue
		}
		src := v
		if useEMA {
			src = tr.store.GetVariable(emaScope + v.Path())
			if src == nil || !src.HasValue() {
				return nil, fmt.Errorf("unet: no EMA weights for %s (EMADecay is %g, %d steps done)", v.Path(), tr.Config.Train.EMADecay, tr.step)
			}
		}
		value, err := src.Value()
		if err != nil {
			return nil, err
		}
		clone, err := value.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := inf.CreateVariable(v.Path(), clone); err != nil {
			return nil, err
		}
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("unet: the network has no weights yet: run a training step or resume a checkpoint first")
	}
	d, err := newDenoiser(tr.backend, tr.Config.Net, inf)
	if err != nil || tr.Config.Train.Prediction.OrEps() == diffusion.PredictEps {
		return d, err
	}
	return tr.Schedule.VDenoiser(d), nil
}

// EMAInitialShare returns the weight that the EMA after n updates (with warm-up, EMAWarmup) still
// gives to the weights after the first update: prod_{k=2..n} d_k. It is 1 for n <= 1.
func EMAInitialShare(decay float64, n int64) float64 {
	share := 1.0
	for k := int64(2); k <= n; k++ {
		share *= EMAWarmup(decay, k)
	}
	return share
}

// SamplingWarning returns a sentence for the user when sampling with these weights is likely to give
// poor images, or "" when there is nothing to say: raw weights chosen although EMA weights exist;
// or EMA weights that have not yet covered the EMA's horizon of 1/(1 - EMADecay) updates (the EMA then
// lags the trained weights, and at decay d without warm-up it would still hold about d^(n-1) of the
// step-1 weights). [Trainer.DenoiserWithWarning] returns it beside the denoiser.
func (tr *Trainer) SamplingWarning(useEMA bool) string {
	decay := tr.Config.Train.EMADecay
	if !useEMA {
		if decay > 0 && tr.step > 0 {
			return fmt.Sprintf("unet: sampling the raw weights after %d steps by choice; the EMA weights (decay %g) usually give cleaner samples", tr.step, decay)
		}
		return ""
	}
	if decay <= 0 {
		return ""
	}
	horizon := math.Round(1 / (1 - decay))
	if float64(tr.step) >= horizon {
		return ""
	}
	return fmt.Sprintf("unet: sampling EMA weights after %d steps, fewer than the EMA's horizon of %.0f steps (decay %g): the average lags the trained weights; "+
		"train at least %.0f steps, or lower EMADecay (an EMA without warm-up would still hold %.0f%% of the step-1 weights)",
		tr.step, horizon, decay, horizon, 100*math.Pow(decay, float64(max(tr.step-1, 0))))
}

// DenoiserWithWarning is [Trainer.Denoiser] with [Trainer.SamplingWarning] for the same choice of
// weights, for callers to show.
func (tr *Trainer) DenoiserWithWarning(useEMA bool) (diffusion.Denoiser, string, error) {
	d, err := tr.Denoiser(useEMA)
	if err != nil {
		return nil, "", err
	}
	return d, tr.SamplingWarning(useEMA), nil
}

// newDenoiser compiles the inference graph over a store holding the network weights under /unet.
func newDenoiser(backend compute.Backend, cfg NetConfig, store *model.Store) (diffusion.Denoiser, error) {
	before := store.NumVariables()
	exec, err := model.NewExec(backend, store, func(scope *model.Scope, x, t, labels *Node) *Node {
		return Build(scope.In("%s", netScope[1:]), cfg, x, t, labels)
	})
	if err != nil {
		return nil, err
	}
	return func(xt diffusion.Array, t []int, labels []int) (diffusion.Array, error) {
		if labels == nil {
			labels = make([]int, len(t))
		}
		outs, err := exec.Call(arrayTensor(xt), stepsTensor(t), labelsTensor(labels))
		if err != nil {
			return diffusion.Array{}, fmt.Errorf("unet: denoiser: %w", err)
		}
		if store.NumVariables() != before {
			return diffusion.Array{}, fmt.Errorf("unet: denoiser weights do not match the network configuration (%d weights, the network made %d)", before, store.NumVariables())
		}
		data, err := tensors.CopyFlatData[float32](outs[0])
		if err != nil {
			return diffusion.Array{}, err
		}
		return diffusion.Array{Shape: append([]int(nil), outs[0].Shape().Dimensions...), Data: data}, nil
	}, nil
}
