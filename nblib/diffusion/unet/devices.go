package unet

import (
	"fmt"

	"github.com/gomlx/compute/distributed"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/core/tensors/dtensor"
	"github.com/gomlx/gomlx/ml/model"
)

// dataParallel is a trainer's split of each training step across several devices of its backend,
// through GoMLX's AutoSharding strategy (XLA Shardy): the step's graph is written once for the global
// batch; its per-example inputs are sharded along the batch axis over a one-axis device mesh ("data"),
// and every variable (weights, optimiser state, EMA) is replicated. Shardy partitions the computation,
// so the loss and gradients are those of the whole global batch, summed across devices by collectives
// it inserts; the result equals the one-device step up to the order of floating-point additions.
type dataParallel struct {
	devices int
	batch   *distributed.ShardingSpec // the per-example inputs: axis 0 over the mesh
}

// ResolveDevices returns how many devices a training step of batch examples uses when asked for want
// on a backend with have devices: want itself when it is 1..have and divides the batch; for want = 0
// (all), the largest count up to have that divides the batch. Anything else is an error saying what
// to change.
func ResolveDevices(want, have, batch int) (int, error) {
	switch {
	case want < 0:
		return 0, fmt.Errorf("unet: Train.Devices is %d; want 0 (all local devices) or a count", want)
	case have < 1:
		return 0, fmt.Errorf("unet: the backend reports %d devices", have)
	case want == 0:
		n := min(have, max(batch, 1))
		for batch%n != 0 {
			n--
		}
		return n, nil
	case want > have:
		return 0, fmt.Errorf("unet: Train.Devices asks for %d devices but the backend has %d (data-parallel training needs "+
			"XLA with several GPUs; ONNX Runtime and the Go backend have one): set Train.Devices=1, or 0 for all", want, have)
	case batch%want != 0:
		return 0, fmt.Errorf("unet: Train.BatchSize %d does not split evenly across Train.Devices %d: use a batch that is a multiple of it", batch, want)
	}
	return want, nil
}

// SetDevices splits every later training step across n devices of the backend (0: all, as
// ResolveDevices chooses) and returns the count used. With one device nothing changes: the step is the
// single-device one, bit for bit. It must be called before the first training step of this Trainer
// (a resumed one included); checkpoints and Denoiser read the replicated weights as usual.
func (tr *Trainer) SetDevices(n int) (int, error) {
	n, err := ResolveDevices(n, tr.backend.NumDevices(), tr.Config.Train.BatchSize)
	if err != nil {
		return 0, err
	}
	if n == tr.Devices() {
		return n, nil
	}
	if tr.graph != nil {
		return 0, fmt.Errorf("unet: SetDevices(%d) after the first training step: call it on a new or resumed trainer", n)
	}
	if n == 1 {
		tr.dist = nil
		return 1, nil
	}
	mesh, err := distributed.NewDeviceMesh([]int{n}, []string{"data"})
	if err != nil {
		return 0, err
	}
	batch, err := distributed.BuildSpec(mesh).S("data").Done()
	if err != nil {
		return 0, err
	}
	exec, err := model.NewExec(tr.backend, tr.store, tr.stepGraph)
	if err != nil {
		return 0, err
	}
	replicated := distributed.NewReplicatedShardingSpec(mesh)
	exec = exec.AutoSharding(mesh).
		WithInputShardingSpecs(batch, batch, batch, batch, batch, batch). // noisy, t, labels, target, x0, coefs
		WithOutputShardingSpecs(replicated, replicated)                   // loss, gradient norm
	if err := exec.SetDefaultShardingSpec(replicated); err != nil { // every variable
		return 0, err
	}
	tr.exec, tr.dist = exec, &dataParallel{devices: n, batch: batch}
	return n, nil
}

// Devices returns the number of devices a training step uses.
func (tr *Trainer) Devices() int {
	if tr.dist == nil {
		return 1
	}
	return tr.dist.devices
}

// shard splits each per-example input along its batch axis, one shard per device.
func (d *dataParallel) shard(inputs ...*tensors.Tensor) ([]any, error) {
	out := make([]any, len(inputs))
	for i, t := range inputs {
		s, err := dtensor.ShardTensor(d.batch, t)
		if err != nil {
			return nil, fmt.Errorf("unet: sharding training input %d (shape %s) across %d devices: %w", i, t.Shape(), d.devices, err)
		}
		out[i] = s
	}
	return out, nil
}

// call runs one data-parallel step and returns its (replicated) outputs as read on the first device.
func (d *dataParallel) call(exec *model.Exec, inputs ...*tensors.Tensor) ([]*tensors.Tensor, error) {
	args, err := d.shard(inputs...)
	if err != nil {
		return nil, err
	}
	outs, err := exec.DistributedExec(args...)
	if err != nil {
		return nil, err
	}
	res := make([]*tensors.Tensor, len(outs))
	for i, o := range outs {
		if res[i], err = o.Shards()[0].LocalClone(); err != nil {
			return nil, err
		}
		if err := o.Finalize(); err != nil {
			return nil, err
		}
	}
	return res, nil
}
