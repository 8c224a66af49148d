package unet

import (
	"fmt"
	"strings"

	"github.com/gomlx/compute"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
)

// Denoiser returns the network as a diffusion.Denoiser for the samplers (with LearnSigma it returns
// eps and v: sample with SampleConfig.Variance = Config.Net.Variance()), with a snapshot of the
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
	return newDenoiser(tr.backend, tr.Config.Net, inf)
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
