package preset

import (
	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
)

// The U-Net designs, named by what they are: the image side (or 1-D). The named presets start from
// them; package unet holds no defaults of its own.

// UNet32 is the cpu preset's model for 32x32 images: 32 base channels, multipliers 1,2 (two levels:
// 32 and 64 channels), one residual block per level, attention at 16x16 (the lower level and the
// middle block), cosine schedule over 1000 steps, label dropout 0.1 for classifier-free guidance.
// unet's doc.go lists every layer.
func UNet32(numClasses int) unet.Config {
	return unet.Config{
		Name: "unet32",
		Net: unet.NetConfig{Dims: 2, Size: 32, InChannels: 1, ModelChannels: 32, ChannelMult: []int{1, 2},
			NumResBlocks: 1, AttentionResolutions: []int{16}, NumHeads: 1, NormGroups: 8,
			NumClasses: numClasses, NullClass: true},
		Train: unet.TrainConfig{Schedule: diffusion.Cosine, DiffusionSteps: 1000, BatchSize: 32,
			LearningRate: 2e-4, WeightDecay: 0, GradClip: 1, EMADecay: 0.995, LabelDropout: 0.1, Seed: 1},
	}
}

// UNet64 is a 64x64 model for a workstation GPU: 64 base channels, multipliers 1,2,3,4, two residual
// blocks, attention at 16 and 8.
func UNet64(numClasses int) unet.Config {
	return unet.Config{
		Name: "unet64",
		Net: unet.NetConfig{Dims: 2, Size: 64, InChannels: 1, ModelChannels: 64, ChannelMult: []int{1, 2, 3, 4},
			NumResBlocks: 2, AttentionResolutions: []int{16, 8}, NumHeads: 4, NormGroups: 32,
			NumClasses: numClasses, NullClass: true},
		Train: unet.TrainConfig{Schedule: diffusion.Cosine, DiffusionSteps: 1000, BatchSize: 32,
			LearningRate: 1e-4, GradClip: 1, EMADecay: 0.9999, LabelDropout: 0.1, Seed: 1},
	}
}

// UNet128 is the paper artifact's model (guided-diffusion flags of the NetDiffus artifact), the full
// preset's: 128x128, 128 channels, 3 residual blocks, multipliers 1,1,2,3,4, attention at 16 and 8,
// cosine schedule over 1000 steps, learned variance (hybrid loss), class-conditional, lr 1e-4.
// Differences: downsampling is mean+conv rather than a strided conv, and AdamW, EMA 0.9999 and
// clipping at 1 are used; batch 16 (the artifact's choice depended on the GPU).
func UNet128(numClasses int) unet.Config {
	return unet.Config{
		Name: "unet128",
		Net: unet.NetConfig{Dims: 2, Size: 128, InChannels: 1, ModelChannels: 128, ChannelMult: []int{1, 1, 2, 3, 4},
			NumResBlocks: 3, AttentionResolutions: []int{16, 8}, NumHeads: 4, NormGroups: 32,
			NumClasses: numClasses, NullClass: false, LearnSigma: true},
		Train: unet.TrainConfig{Schedule: diffusion.Cosine, DiffusionSteps: 1000, BatchSize: 16,
			LearningRate: 1e-4, GradClip: 1, EMADecay: 0.9999, Seed: 1},
	}
}

// UNet1D is the 1-D model for the paper's 1-D vs 2-D comparison (Table 2) on raw series of the given
// length (a multiple of 8): UNet32's design in one dimension, with four levels and no attention.
func UNet1D(numClasses, length int) unet.Config {
	c := UNet32(numClasses)
	c.Name = "unet1d"
	c.Net.Dims, c.Net.Size = 1, length
	c.Net.ChannelMult = []int{1, 2, 2, 2}
	c.Net.AttentionResolutions = nil
	return c
}
