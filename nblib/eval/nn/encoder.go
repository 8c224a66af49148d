package nn

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"gonum.org/v1/gonum/mat"
)

// Encoder is the default learned feature extractor for FID/KID when no Inception-v3 weights are at
// hand: a classifier trained on the real training images (with their class labels), whose last hidden
// layer (64 units for CNN2 and CNN8, after ReLU) is the feature vector. It is deterministic for a
// seed on a given backend. Its distances are comparable only between runs using the same trained
// encoder, never with the paper's Inception FID.
type Encoder struct {
	net  *Network
	exec *model.Exec
}

// TrainEncoder trains net (Backend, Arch and training fields set; shape taken from the images) on the
// real images and labels and returns it as an Extractor.
func TrainEncoder(net *Network, real features.Images, labels []int) (*Encoder, error) {
	if err := real.Check("encoder training"); err != nil {
		return nil, err
	}
	net.Height, net.Width, net.Channels = real.Height, real.Width, real.Channels
	if err := net.Fit(real.Pixels, labels); err != nil {
		return nil, fmt.Errorf("nn: training the encoder: %w", err)
	}
	return &Encoder{net: net}, nil
}

// NewEncoderNetwork returns the default encoder configuration: CNN2, 10 epochs, seeded.
func NewEncoderNetwork(backend compute.Backend, seed uint64) *Network {
	return &Network{Backend: backend, Arch: CNN2, Epochs: 10, Seed: seed}
}

// Name implements features.Extractor.
func (e *Encoder) Name() string { return "encoder-" + e.net.Arch.String() }

// Extract implements features.Extractor: the last hidden layer's activations.
func (e *Encoder) Extract(im features.Images) (*mat.Dense, error) {
	nw := e.net
	ref := features.Images{Height: nw.Height, Width: nw.Width, Channels: nw.Channels}
	if err := features.CheckCompatible(ref, im, "encoder training", "input"); err != nil {
		return nil, err
	}
	if err := im.Check("input"); err != nil {
		return nil, err
	}
	if e.exec == nil {
		exec, err := model.NewExec(nw.Backend, nw.store, func(scope *model.Scope, in *graph.Node) *graph.Node {
			return nw.embedding(scope, in)
		})
		if err != nil {
			return nil, err
		}
		e.exec = exec
	}
	return nw.run(e.exec, im.Pixels)
}
