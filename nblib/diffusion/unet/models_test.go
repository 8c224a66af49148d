package unet

import "github.com/netdiffus/netdiffus/nblib/diffusion"

// The models the tests train and check: the designs of the PyTorch twin's PRESETS
// (testdata/unet_torch.py), written here so that the golden files and the twin checks stay fixed
// whatever nblib/preset's defaults become. TestPresetModelsAreTheTwinModels checks that preset's
// UNet32, UNet64 and UNet128 are still these designs.

func model32(numClasses int) Config {
	return Config{
		Name: "unet32",
		Net: NetConfig{Dims: 2, Size: 32, InChannels: 1, ModelChannels: 32, ChannelMult: []int{1, 2},
			NumResBlocks: 1, AttentionResolutions: []int{16}, NumHeads: 1, NormGroups: 8,
			NumClasses: numClasses, NullClass: true},
		Train: TrainConfig{Schedule: diffusion.Cosine, DiffusionSteps: 1000, BatchSize: 32,
			LearningRate: 2e-4, GradClip: 1, EMADecay: 0.995, LabelDropout: 0.1, Seed: 1},
	}
}

func model64(numClasses int) Config {
	c := model32(numClasses)
	c.Name = "unet64"
	c.Net.Size, c.Net.ModelChannels, c.Net.ChannelMult = 64, 64, []int{1, 2, 3, 4}
	c.Net.NumResBlocks, c.Net.AttentionResolutions, c.Net.NumHeads, c.Net.NormGroups = 2, []int{16, 8}, 4, 32
	return c
}

func model128(numClasses int) Config {
	c := model32(numClasses)
	c.Name = "unet128"
	c.Net.Size, c.Net.ModelChannels, c.Net.ChannelMult = 128, 128, []int{1, 1, 2, 3, 4}
	c.Net.NumResBlocks, c.Net.AttentionResolutions, c.Net.NumHeads, c.Net.NormGroups = 3, []int{16, 8}, 4, 32
	c.Net.NullClass, c.Net.LearnSigma = false, true
	c.Train.BatchSize, c.Train.LearningRate, c.Train.EMADecay, c.Train.LabelDropout = 16, 1e-4, 0.9999, 0
	return c
}

func model1D(numClasses, length int) Config {
	c := model32(numClasses)
	c.Name = "unet1d"
	c.Net.Dims, c.Net.Size = 1, length
	c.Net.ChannelMult = []int{1, 2, 2, 2}
	c.Net.AttentionResolutions = nil
	return c
}
