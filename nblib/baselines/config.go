package baselines

import (
	"fmt"
	"strings"
)

// Field is one per-step feature of the generated series and how it is encoded for the networks.
type Field struct {
	Name string
	// Log1p applies log(1+x) before normalising (NetShare's transform for large-support fields;
	// values must be >= 0).
	Log1p bool
	// Binary fields hold 0 or 1 (NetShare's packet direction); they are never self-normalised and
	// are decoded by thresholding at 0.5.
	Binary bool
}

// Config is a DoppelGANger-style GAN: sizes, optimiser and training length. Length and NumClasses are
// set from the data by [Encode] when zero. The presets are [DoppelGANger] and [NetShare].
type Config struct {
	Name   string
	Fields []Field // features per time step
	// SelfNorm is DoppelGANger's auto-normalisation: every series is min-max scaled on its own and its
	// (max+min)/2 and (max-min)/2 become generated attributes (for each non-binary field).
	SelfNorm   bool
	Length     int // time steps T of a series
	NumClasses int // the attribute: the class label

	SampleLen  int // steps emitted by one recurrent cell (DoppelGANger's sample_len)
	NoiseDim   int // noise per sample for the min/max generator and per cell for the feature generator
	GenUnits   int // LSTM units of the feature generator
	AttrLayers int // hidden layers of the min/max (additional attribute) generator
	AttrUnits  int
	DiscLayers int // hidden layers of the discriminator and of the auxiliary discriminator
	DiscUnits  int

	BatchSize    int
	LearningRate float64 // Adam, both networks
	Beta1, Beta2 float64
	GPWeight     float64 // gradient-penalty coefficient of both discriminators
	AuxWeight    float64 // weight of the auxiliary (attribute) discriminator in both losses
	Steps        int64   // training steps (one discriminator and one generator update each)
	Seed         uint64
}

// Cells returns the number of recurrent steps: ceil(Length / SampleLen).
func (c Config) Cells() int { return (c.Length + c.SampleLen - 1) / c.SampleLen }

// ExtraAttributes returns the number of generated min/max attributes (2 per self-normalised field).
func (c Config) ExtraAttributes() int {
	if !c.SelfNorm {
		return 0
	}
	n := 0
	for _, f := range c.Fields {
		if !f.Binary {
			n += 2
		}
	}
	return n
}

// AttrWidth is the width of the attribute vector the discriminators see: one-hot class and extras.
func (c Config) AttrWidth() int { return c.NumClasses + c.ExtraAttributes() }

// Limits of a configuration: far above DoppelGANger's and NetShare's (series of thousands of steps,
// hundreds of units), low enough that a corrupt or hostile gan.json or -set cannot ask for a network
// or a batch of terabytes.
const (
	MaxFields  = 1 << 10
	MaxLength  = 1 << 20 // Length and SampleLen
	MaxUnits   = 1 << 14 // NoiseDim, GenUnits, AttrUnits, DiscUnits
	MaxLayers  = 64      // AttrLayers, DiscLayers
	MaxClasses = 1 << 16
	MaxBatch   = 1 << 16
)

// Validate reports the first invalid field.
func (c Config) Validate() error {
	units := []int{c.NoiseDim, c.GenUnits, c.AttrUnits, c.DiscUnits}
	for _, u := range units {
		if u > MaxUnits {
			return fmt.Errorf("baselines: config %q: NoiseDim, GenUnits, AttrUnits and DiscUnits must be at most %d, got %v", c.Name, MaxUnits, units)
		}
	}
	switch {
	case len(c.Fields) > MaxFields || c.Length > MaxLength || c.SampleLen > MaxLength || c.NumClasses > MaxClasses || c.BatchSize > MaxBatch ||
		c.AttrLayers > MaxLayers || c.DiscLayers > MaxLayers:
		return fmt.Errorf("baselines: config %q: %d fields (max %d), Length %d and SampleLen %d (max %d), %d classes (max %d), batch %d (max %d), %d and %d layers (max %d)",
			c.Name, len(c.Fields), MaxFields, c.Length, c.SampleLen, MaxLength, c.NumClasses, MaxClasses, c.BatchSize, MaxBatch, c.AttrLayers, c.DiscLayers, MaxLayers)
	case len(c.Fields) == 0:
		return fmt.Errorf("baselines: config %q has no fields", c.Name)
	case c.Length < 1:
		return fmt.Errorf("baselines: config %q: Length %d (set it, or let Encode set it from the data)", c.Name, c.Length)
	case c.NumClasses < 1:
		return fmt.Errorf("baselines: config %q: NumClasses %d", c.Name, c.NumClasses)
	case c.SampleLen < 1 || c.NoiseDim < 1 || c.GenUnits < 1 || c.DiscUnits < 1 || c.DiscLayers < 1:
		return fmt.Errorf("baselines: config %q: SampleLen, NoiseDim, GenUnits, DiscLayers and DiscUnits must be >= 1", c.Name)
	case c.AttrLayers < 0 || (c.AttrLayers > 0 && c.AttrUnits < 1):
		return fmt.Errorf("baselines: config %q: AttrLayers %d with AttrUnits %d", c.Name, c.AttrLayers, c.AttrUnits)
	case c.BatchSize < 1 || c.LearningRate <= 0:
		return fmt.Errorf("baselines: config %q: BatchSize %d, LearningRate %g", c.Name, c.BatchSize, c.LearningRate)
	case c.Beta1 < 0 || c.Beta1 >= 1 || c.Beta2 < 0 || c.Beta2 >= 1:
		return fmt.Errorf("baselines: config %q: Adam betas %g, %g must lie in [0, 1)", c.Name, c.Beta1, c.Beta2)
	case c.GPWeight < 0 || c.AuxWeight < 0:
		return fmt.Errorf("baselines: config %q: negative GPWeight or AuxWeight", c.Name)
	}
	return nil
}

// doppelGANgerDefaults are the defaults of DoppelGANger's code (gan/doppelganger.py and the WWT
// example config): sample_len 10, noise 5, one LSTM layer of 100 units, a 3 x 100 attribute
// generator, 5 x 200 discriminators, batch 100, Adam lr 1e-3 beta1 0.5, gradient penalty 10 on both
// discriminators, auxiliary weight 1.
func doppelGANgerDefaults() Config {
	return Config{
		SampleLen: 10, NoiseDim: 5, GenUnits: 100, AttrLayers: 3, AttrUnits: 100, DiscLayers: 5, DiscUnits: 200,
		BatchSize: 100, LearningRate: 1e-3, Beta1: 0.5, Beta2: 0.999, GPWeight: 10, AuxWeight: 1, Seed: 1,
	}
}

// sized shrinks or keeps the defaults for a mode: smoke (CI: 16-unit LSTM, 1 x 16 attribute
// generator, 2 x 32 discriminators, batch 32, 400 steps), cpu (the code's network sizes, 3000 steps)
// and full (the code's sizes, 40000 steps: DoppelGANger's 400 epochs of its 50k-series WWT set at batch
// 100 are 200k steps; 40k is our choice for a GPU).
func sized(c Config, mode string) (Config, error) {
	switch strings.ToLower(mode) {
	case "smoke", "quick":
		c.GenUnits, c.AttrLayers, c.AttrUnits, c.DiscLayers, c.DiscUnits = 16, 1, 16, 2, 32
		c.BatchSize, c.Steps = 32, 400
	case "cpu":
		c.Steps = 3000
	case "full":
		c.Steps = 40000
	default:
		return Config{}, fmt.Errorf("baselines: unknown mode %q (smoke, cpu or full; quick is smoke)", mode)
	}
	return c, nil
}

// DoppelGANger is the configuration for one-feature series such as WW's daily page views: one
// continuous field with DoppelGANger's auto-normalisation, in the given mode (smoke, cpu, full).
func DoppelGANger(mode string) (Config, error) {
	c := doppelGANgerDefaults()
	c.Name = "doppelganger-" + strings.ToLower(mode)
	c.Fields = []Field{{Name: "value"}}
	c.SelfNorm = true
	return sized(c, mode)
}

// NetShare is the NetShare-style configuration for packet traces (D3): per packet the size and the
// gap to the previous packet (log1p, then min-max over the training set, as NetShare encodes
// large-support continuous fields) and the direction (binary), generated by the same
// DoppelGANger-style network without per-series auto-normalisation. It re-implements the method, not
// the NetShare tool (no IP/port fields, no flow tags, no differential privacy).
func NetShare(mode string) (Config, error) {
	c := doppelGANgerDefaults()
	c.Name = "netshare-" + strings.ToLower(mode)
	c.Fields = []Field{{Name: "size", Log1p: true}, {Name: "direction", Binary: true}, {Name: "gap", Log1p: true}}
	return sized(c, mode)
}

// Preset returns DoppelGANger(mode) for kind "doppelganger" or "dg" and NetShare(mode) for "netshare".
func Preset(kind, mode string) (Config, error) {
	switch strings.ToLower(kind) {
	case "doppelganger", "dg":
		return DoppelGANger(mode)
	case "netshare":
		return NetShare(mode)
	}
	return Config{}, fmt.Errorf("baselines: unknown generator %q (doppelganger or netshare)", kind)
}
