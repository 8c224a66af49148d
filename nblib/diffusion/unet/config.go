package unet

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
)

// NetConfig describes a class-conditional U-Net. Every field is a plain value, so configurations can
// be printed, stored in JSON and overridden from flags or notebooks.
type NetConfig struct {
	Dims          int   // spatial dimensions: 2 for images [H, W, C], 1 for series [L, C]
	Size          int   // image side (Dims=2) or series length (Dims=1); divisible by 2^(levels-1)
	InChannels    int   // channels of the data (1 for GASF images and raw series)
	ModelChannels int   // base width; level i has ModelChannels*ChannelMult[i] channels
	ChannelMult   []int // one multiplier per resolution level
	NumResBlocks  int   // residual blocks per level on the way down (one more on the way up)
	// AttentionResolutions lists the spatial sizes (side or length) at which a self-attention block
	// follows each residual block, e.g. [16, 8]; the middle block always has attention when any is set.
	AttentionResolutions []int
	NumHeads             int // attention heads (channels must divide evenly)
	NormGroups           int // group normalisation groups (reduced to a divisor of the channels)
	NumClasses           int // 0: unconditional; else labels in [0, NumClasses)
	// NullClass adds one extra class embedding (index NumClasses) used for classifier-free guidance:
	// training replaces labels by it with probability TrainConfig.LabelDropout.
	NullClass bool
	// LearnSigma doubles the output channels: eps and a variance value v in [-1, 1] per value
	// (guided-diffusion's learned range), trained with the hybrid loss L_simple + (T/1000) L_vlb.
	LearnSigma bool
}

// TrainConfig holds the optimisation and diffusion hyperparameters.
type TrainConfig struct {
	Schedule       diffusion.ScheduleKind
	DiffusionSteps int     // T
	BatchSize      int     // images per step
	LearningRate   float64 // AdamW
	WeightDecay    float64 // AdamW decoupled weight decay
	GradClip       float64 // clip the global gradient norm to this (0: off)
	EMADecay       float64 // exponential moving average of weights (0: off)
	LabelDropout   float64 // probability of the null class (needs NetConfig.NullClass)
	Seed           uint64  // initial weights, timesteps, noise and label dropout
	// Prediction is what the network regresses on: diffusion.PredictEps (the zero value, the paper's
	// guided-diffusion) or diffusion.PredictV, which stays well conditioned at the noisiest steps.
	Prediction diffusion.Prediction `json:",omitempty"`
}

// Config is a complete model + training configuration.
type Config struct {
	Name  string
	Net   NetConfig
	Train TrainConfig
}

// Limits of a configuration: far above the paper's models (128x128, 128 channels, 5 levels), low
// enough that a corrupt or hostile configuration (a checkpoint's trainer.json, a flag) cannot ask for
// a network of terabytes. Validate enforces them.
const (
	MaxSize           = 4096    // image side or series length
	MaxChannels       = 8192    // channels of any level (ModelChannels * ChannelMult[i]) and InChannels
	MaxLevels         = 8       // len(ChannelMult)
	MaxResBlocks      = 16      // NumResBlocks
	MaxClasses        = 1 << 16 // NumClasses
	MaxDiffusionSteps = 100000  // TrainConfig.DiffusionSteps
	MaxBatchSize      = 1 << 16 // TrainConfig.BatchSize
)

// Validate returns an error describing the first inconsistent or out-of-limits field, named as the
// field (the command line maps fields to flags).
func (c NetConfig) Validate() error {
	switch {
	case c.Dims != 1 && c.Dims != 2:
		return fmt.Errorf("unet: Dims must be 1 or 2, got %d", c.Dims)
	case c.InChannels < 1 || c.ModelChannels < 1 || c.NumResBlocks < 1 || len(c.ChannelMult) == 0:
		return fmt.Errorf("unet: InChannels (%d), ModelChannels (%d), NumResBlocks (%d) and ChannelMult (%v) must be positive", c.InChannels, c.ModelChannels, c.NumResBlocks, c.ChannelMult)
	case c.Size < 1 || c.Size > MaxSize:
		return fmt.Errorf("unet: Size %d outside [1, %d]", c.Size, MaxSize)
	case c.InChannels > MaxChannels || c.ModelChannels > MaxChannels:
		return fmt.Errorf("unet: InChannels %d or ModelChannels %d over the limit %d", c.InChannels, c.ModelChannels, MaxChannels)
	case len(c.ChannelMult) > MaxLevels:
		return fmt.Errorf("unet: %d levels (ChannelMult %v) over the limit %d", len(c.ChannelMult), c.ChannelMult, MaxLevels)
	case c.NumResBlocks > MaxResBlocks:
		return fmt.Errorf("unet: NumResBlocks %d over the limit %d", c.NumResBlocks, MaxResBlocks)
	case c.NumClasses < 0 || c.NumClasses > MaxClasses:
		return fmt.Errorf("unet: NumClasses must be in [0, %d], got %d", MaxClasses, c.NumClasses)
	case c.NullClass && c.NumClasses == 0:
		return fmt.Errorf("unet: NullClass needs a class-conditional model (NumClasses > 0)")
	case c.NormGroups < 0 || c.NumHeads < 0:
		return fmt.Errorf("unet: NormGroups %d and NumHeads %d must be >= 0", c.NormGroups, c.NumHeads)
	}
	for _, m := range c.ChannelMult {
		if m < 1 || m > MaxChannels/c.ModelChannels {
			return fmt.Errorf("unet: channel multiplier %d of ChannelMult %v gives %d channels, outside [1, %d]", m, c.ChannelMult, m*c.ModelChannels, MaxChannels)
		}
	}
	for _, r := range c.AttentionResolutions {
		if r < 1 {
			return fmt.Errorf("unet: AttentionResolutions %v must be positive sizes", c.AttentionResolutions)
		}
	}
	down := 1 << (len(c.ChannelMult) - 1)
	if c.Size < down || c.Size%down != 0 {
		return fmt.Errorf("unet: size %d must be a multiple of %d for %d levels", c.Size, down, len(c.ChannelMult))
	}
	if len(c.AttentionResolutions) > 0 && c.NumHeads < 1 {
		return fmt.Errorf("unet: attention needs NumHeads >= 1")
	}
	for _, m := range c.ChannelMult {
		ch := m * c.ModelChannels
		if m < 1 || (len(c.AttentionResolutions) > 0 && ch%c.NumHeads != 0) {
			return fmt.Errorf("unet: channel multiplier %d gives %d channels, not divisible by %d heads", m, ch, c.NumHeads)
		}
	}
	return nil
}

// Validate returns an error naming the first training hyperparameter outside its domain: batch size
// in [1, MaxBatchSize], diffusion steps in [1, MaxDiffusionSteps], a finite learning rate > 0,
// finite weight decay and gradient clip >= 0, EMA decay in [0, 1), label dropout in [0, 1) and a known
// prediction.
func (c TrainConfig) Validate() error {
	finite := func(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
	switch {
	case c.BatchSize < 1 || c.BatchSize > MaxBatchSize:
		return fmt.Errorf("unet: BatchSize %d outside [1, %d]", c.BatchSize, MaxBatchSize)
	case c.DiffusionSteps < 1 || c.DiffusionSteps > MaxDiffusionSteps:
		return fmt.Errorf("unet: DiffusionSteps %d outside [1, %d]", c.DiffusionSteps, MaxDiffusionSteps)
	case !finite(c.LearningRate) || c.LearningRate <= 0:
		return fmt.Errorf("unet: LearningRate %v must be a finite number > 0", c.LearningRate)
	case !finite(c.WeightDecay) || c.WeightDecay < 0:
		return fmt.Errorf("unet: WeightDecay %v must be a finite number >= 0", c.WeightDecay)
	case !finite(c.GradClip) || c.GradClip < 0:
		return fmt.Errorf("unet: GradClip %v must be a finite number >= 0 (0: off)", c.GradClip)
	case !(c.EMADecay >= 0 && c.EMADecay < 1):
		return fmt.Errorf("unet: EMADecay %v must be in [0, 1) (0: off)", c.EMADecay)
	case !(c.LabelDropout >= 0 && c.LabelDropout < 1):
		return fmt.Errorf("unet: LabelDropout %v must be in [0, 1)", c.LabelDropout)
	}
	if err := c.Prediction.Check(); err != nil {
		return fmt.Errorf("unet: Prediction: %w", err)
	}
	return nil
}

// Validate checks the network, the training hyperparameters and their combination.
func (c Config) Validate() error {
	if err := c.Net.Validate(); err != nil {
		return err
	}
	if err := c.Train.Validate(); err != nil {
		return err
	}
	if c.Train.LabelDropout > 0 && !c.Net.NullClass {
		return fmt.Errorf("unet: LabelDropout %g needs NetConfig.NullClass", c.Train.LabelDropout)
	}
	return nil
}

// ExampleShape returns the shape of one example, channels last: [Size, Size, C] or [Size, C].
func (c NetConfig) ExampleShape() []int {
	if c.Dims == 1 {
		return []int{c.Size, c.InChannels}
	}
	return []int{c.Size, c.Size, c.InChannels}
}

// NumEmbeddedClasses returns the rows of the class embedding (NumClasses, plus one for NullClass).
func (c NetConfig) NumEmbeddedClasses() int {
	if c.NullClass {
		return c.NumClasses + 1
	}
	return c.NumClasses
}

// OutChannels returns the network's output channels: InChannels, doubled with LearnSigma.
func (c NetConfig) OutChannels() int {
	if c.LearnSigma {
		return 2 * c.InChannels
	}
	return c.InChannels
}

// Variance returns the sampler variance matching the model: diffusion.Learned with LearnSigma,
// else diffusion.FixedLarge (improved-diffusion's default for fixed-variance models).
func (c NetConfig) Variance() diffusion.VarianceKind {
	if c.LearnSigma {
		return diffusion.Learned
	}
	return diffusion.FixedLarge
}

// NullLabel returns the null-class label, or -1 when the model has none.
func (c NetConfig) NullLabel() int {
	if c.NullClass {
		return c.NumClasses
	}
	return -1
}

// ParseInts parses a comma-separated list such as "1,1,2,3,4" (empty gives nil).
func ParseInts(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("unet: %q is not a comma-separated list of integers: %w", s, err)
		}
		out = append(out, v)
	}
	return out, nil
}
