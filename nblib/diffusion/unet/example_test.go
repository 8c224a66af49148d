package unet_test

import (
	"context"
	"fmt"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute/gobackend"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// Configurations are plain values: print them, override any field, validate.
func ExampleNetConfig_Validate() {
	cfg := preset.UNet128(3)
	fmt.Println(cfg.Net.Size, cfg.Net.ModelChannels, cfg.Net.ChannelMult, cfg.Net.NumResBlocks, cfg.Net.AttentionResolutions, cfg.Train.Schedule, cfg.Train.LearningRate)
	cfg.Net.ChannelMult, _ = unet.ParseInts("1,2,4")
	cfg.Net.Size = 30 // not divisible by 4
	fmt.Println(cfg.Net.Validate())
	// Output:
	// 128 128 [1 1 2 3 4] 3 [16 8] cosine 0.0001
	// unet: size 30 must be a multiple of 4 for 3 levels
}

// Training a few steps and sampling a balanced set with DDIM. (No output: the numbers depend on the
// backend's floating-point order.)
func ExampleTrainer() {
	backend, err := compute.NewWithConfig("go")
	if err != nil {
		panic(err)
	}
	cfg := preset.UNet32(2)
	cfg.Net.Size, cfg.Net.ModelChannels, cfg.Net.NormGroups, cfg.Net.AttentionResolutions = 8, 8, 4, nil
	cfg.Train.BatchSize = 4
	tr, err := unet.New(backend, cfg)
	if err != nil {
		panic(err)
	}
	images := diffusion.NewArray(4, 8, 8, 1) // GASF images mapped to [-1, 1]
	data, _ := unet.NewShuffler(images, []int{0, 1, 0, 1}, 4, 1)
	if _, err := tr.Run(context.Background(), data, unet.RunConfig{MaxSteps: 3}); err != nil {
		panic(err)
	}
	d, _ := tr.Denoiser(true)
	samples, labels, _ := tr.Schedule.SampleClasses(context.Background(), d, []int{2, 2},
		diffusion.SampleConfig{Sampler: diffusion.DDIM, Steps: 10, ExampleShape: cfg.Net.ExampleShape(), Seed: 1})
	fmt.Println(samples.Shape, labels)
}
