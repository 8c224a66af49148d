package protocols

import (
	"encoding/json"
	"fmt"

	"github.com/gomlx/compute"
	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"github.com/netdiffus/netdiffus/nblib/eval/nn"
	"github.com/netdiffus/netdiffus/nblib/eval/trees"
)

// Classifier names accepted in [Config.Classifiers] and by [Config.Factory].
const (
	CNN8 = "cnn8" // the authors' 8-convolution CNN (GoMLX)
	CNN2 = "cnn2" // the 2-convolution CNN for CPU runs (GoMLX)
	MLP  = "mlp"  // 128-64 perceptron (GoMLX)
	RF   = "rf"   // Random Forest
	GBT  = "gbt"  // histogram gradient-boosted trees (the paper's XGBoost)
	NB   = "nb"   // Gaussian Naive Bayes
)

// The former names, accepted when reading (Canonical, JSON) so that stored configurations and results
// keep their meaning.
const (
	LegacyCNN2    = "cnn-quick" // CNN2
	LegacyCPUName = "quick"     // CPUName
)

// CPUName is the Name of CPUConfig.
const CPUName = "cpu"

// Canonical returns today's classifier name for name: CNN2 for its former name, else name.
func Canonical(name string) string {
	if name == LegacyCNN2 {
		return CNN2
	}
	return name
}

// Names lists the classifier names [Config.Factory] accepts.
func Names() []string { return []string{CNN8, CNN2, MLP, RF, GBT, NB} }

// Config is one run mode of the downstream experiments: the classifiers, how often each is trained,
// how long, and the x positions of every figure. [CPUConfig] and [FullConfig] are the two presets;
// notebooks and `netdiffus eval` start from one and override fields.
type Config struct {
	Name        string
	Classifiers []string // names above, in report order
	CNN         string   // the CNN of the single-network protocols (Table 2, Table 3, Fig. 5b): CNN8 or CNN2
	Seeds       []uint64 // one trained classifier per seed; results are mean ± sample std over seeds
	// EnsembleSeeds are the members of the deep ensemble of anomaly sub-case 2 (Fig. 5b).
	EnsembleSeeds []uint64

	Epochs       int          // CNN training epochs
	MLPEpochs    int          // MLP training epochs
	BatchSize    int          // GoMLX networks (the authors': 32)
	NetOptimizer nn.Optimizer // DefaultOptimizer: momentum SGD for CNN8, Adam otherwise
	ForestTrees  int          // Random Forest trees
	BoostRounds  int          // boosting rounds
	BoostDepth   int          // boosted tree depth

	ImageSize      int       // GASF side the preset is sized for (the paper's diffusion model: 128)
	TracesPerClass int       // real traces per class to use (0: all); bounds the run time
	Fractions      []float64 // Fig. 4 and Table 3: fractions of the original training traces per class
	SynthPerClass  []int     // Fig. 8 and Fig. 5b: synthetic images added per class (0 = baseline)
	CropFractions  []float64 // Fig. 6: crop side s = round(f * ImageSize), i.e. the first f of each trace
}

// CPUConfig is the CPU preset: every protocol finishes in seconds to tens of seconds on a 2-core
// machine with ONNX Runtime for about 250 images of 32x32 (see the package documentation for the
// measured times). It keeps all five classifier families, with the 2-convolution CNN in place of the authors'
// CNN, small tree ensembles, two seeds and three ensemble members.
func CPUConfig() Config {
	return Config{
		Name:          CPUName,
		Classifiers:   []string{CNN2, GBT, MLP, NB, RF},
		CNN:           CNN2,
		Seeds:         []uint64{1, 2},
		EnsembleSeeds: []uint64{1, 2, 3},
		Epochs:        3,
		MLPEpochs:     60,
		BatchSize:     32,
		ForestTrees:   30,
		BoostRounds:   20,
		BoostDepth:    4,

		ImageSize:      32,
		TracesPerClass: 60,
		Fractions:      []float64{0.25, 1},
		SynthPerClass:  []int{0, 30, 60},
		CropFractions:  []float64{0.25, 0.5, 1},
	}
}

// FullConfig is the paper's setting, for a GPU (or patience): the authors' CNN (momentum SGD 0.01/0.9,
// batch 32) and the five classifiers with the reference script's sizes (Random Forest 100 trees,
// XGBoost 100 rounds of depth 6), five seeds, a five-member deep ensemble, 128x128 images and all the
// traces. Where the paper does not state a value (epochs, seeds, the x positions of Fig. 4, 6 and 8)
// the choice is ours and documented here: 50 CNN epochs, 300 MLP epochs (scikit-learn's max_iter in
// the reference script), fractions 0.1 to 1, up to 400 synthetic images per class, crops of a quarter
// to the whole trace (D1: 45 s of 180 s is a quarter).
func FullConfig() Config {
	return Config{
		Name:          "full",
		Classifiers:   []string{CNN8, GBT, MLP, NB, RF},
		CNN:           CNN8,
		Seeds:         []uint64{1, 2, 3, 4, 5},
		EnsembleSeeds: []uint64{1, 2, 3, 4, 5},
		Epochs:        50,
		MLPEpochs:     300,
		BatchSize:     32,
		ForestTrees:   100,
		BoostRounds:   100,
		BoostDepth:    6,

		ImageSize:     128,
		Fractions:     []float64{0.1, 0.2, 0.4, 0.8, 1},
		SynthPerClass: []int{0, 50, 100, 200, 400},
		CropFractions: []float64{0.25, 0.5, 0.75, 1},
	}
}

// InputShape describes one row of a feature matrix for the GoMLX networks: an image (Height x Width x
// Channels, row-major) or, with Conv1D, a series (Height 1, Width = length, Channels 1).
type InputShape struct {
	Height, Width, Channels int
	Conv1D                  bool
}

// ImageShape is the shape of s x s single-channel images.
func ImageShape(s int) InputShape { return InputShape{Height: s, Width: s, Channels: 1} }

// SeriesShape is the shape of series of length l for the 1-D networks.
func SeriesShape(l int) InputShape { return InputShape{Height: 1, Width: l, Channels: 1, Conv1D: true} }

// Factory returns a factory for the named classifier with the preset's sizes. GoMLX networks run on b
// (open it with nblib/backend.New) and need shape; the tree and Bayes classifiers ignore both.
func (c Config) Factory(name string, b compute.Backend, shape InputShape) (classify.Factory, error) {
	name = Canonical(name)
	switch name {
	case RF:
		return func(s uint64) classify.Classifier { return &trees.RandomForest{NTrees: c.ForestTrees, Seed: s} }, nil
	case GBT:
		return func(uint64) classify.Classifier {
			return &trees.GradientBoosting{Rounds: c.BoostRounds, MaxDepth: c.BoostDepth}
		}, nil
	case NB:
		return func(uint64) classify.Classifier { return &classify.GaussianNB{} }, nil
	}
	arch, epochs, ok := c.network(name)
	if !ok {
		return nil, fmt.Errorf("protocols: unknown classifier %q (want %s, %s, %s, %s, %s or %s)", name, CNN8, CNN2, MLP, RF, GBT, NB)
	}
	if b == nil {
		return nil, fmt.Errorf("protocols: classifier %s needs a GoMLX backend (nblib/backend.New)", name)
	}
	if shape.Height < 1 || shape.Width < 1 || shape.Channels < 1 {
		return nil, fmt.Errorf("protocols: classifier %s needs the input shape, got %+v", name, shape)
	}
	return func(s uint64) classify.Classifier {
		return &nn.Network{Backend: b, Arch: arch, Height: shape.Height, Width: shape.Width, Channels: shape.Channels,
			Conv1D: shape.Conv1D, Epochs: epochs, BatchSize: c.BatchSize, Optimizer: c.NetOptimizer, Seed: s}
	}, nil
}

func (c Config) network(name string) (nn.Arch, int, bool) {
	switch name {
	case CNN8:
		return nn.CNN8, c.Epochs, true
	case CNN2:
		return nn.CNN2, c.Epochs, true
	case MLP:
		return nn.MLP, c.MLPEpochs, true
	}
	return 0, 0, false
}

// NamedFactory is a classifier factory with its name.
type NamedFactory struct {
	Name string
	New  classify.Factory
}

// Factories returns a factory for each of the preset's classifiers, in order.
func (c Config) Factories(b compute.Backend, shape InputShape) ([]NamedFactory, error) {
	var out []NamedFactory
	for _, name := range c.Classifiers {
		f, err := c.Factory(name, b, shape)
		if err != nil {
			return nil, err
		}
		out = append(out, NamedFactory{Name: name, New: f})
	}
	return out, nil
}

// CropSizes turns CropFractions into crop sides for images of side s (at least 1, distinct, in order).
func (c Config) CropSizes(s int) []int {
	var out []int
	for _, f := range c.CropFractions {
		k := min(s, max(1, int(f*float64(s)+0.5)))
		if len(out) == 0 || out[len(out)-1] != k {
			out = append(out, k)
		}
	}
	return out
}

// Limit keeps the first TracesPerClass rows of each class of d (all when TracesPerClass is 0).
func (c Config) Limit(d Dataset) Dataset {
	if c.TracesPerClass <= 0 {
		return d
	}
	return d.FirstPerClass(c.TracesPerClass)
}

// UnmarshalJSON reads a Config, turning the former names (LegacyCPUName, LegacyCNN2) into today's, so a
// configuration stored before the rename reads as the same configuration.
func (c *Config) UnmarshalJSON(b []byte) error {
	type plain Config // without this method
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	if p.Name == LegacyCPUName {
		p.Name = CPUName
	}
	p.CNN = Canonical(p.CNN)
	for i, n := range p.Classifiers {
		p.Classifiers[i] = Canonical(n)
	}
	*c = Config(p)
	return nil
}
