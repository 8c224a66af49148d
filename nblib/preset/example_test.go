package preset_test

import (
	"fmt"

	"github.com/netdiffus/netdiffus/nblib/preset"
)

// The full preset shrunk for a quick look, as `netdiffus train -preset full -set Net.Size=16 -set
// Net.ModelChannels=16` does.
func ExamplePreset_Set() {
	p, err := preset.Named("full")
	if err != nil {
		panic(err)
	}
	for _, a := range []string{"Net.Size=16", "Net.ModelChannels=16", "Train.Steps=5"} {
		if err := p.Set(a); err != nil {
			panic(err)
		}
	}
	m := p.Model(3)
	fmt.Println(m.Net.Size, m.Net.ModelChannels, m.Net.LearnSigma, m.Net.Variance(), p.Train.Steps)
	fmt.Println(p.Set("Net.Sise=16"))
	// Output:
	// 16 16 true learned 5
	// -set Net.Sise: Net has no field "Sise"; valid names: AttentionResolutions, ChannelMult, Dims, InChannels, LearnSigma, ModelChannels, NormGroups, NullClass, NumClasses, NumHeads, NumResBlocks, Size
}
