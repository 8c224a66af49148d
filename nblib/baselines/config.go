package baselines

import "fmt"

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
// set from the data by [Encode] when zero. The configurations of the project (DoppelGANger, NetShare,
// per preset) live in nblib/preset.
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
