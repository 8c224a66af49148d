package unet_test

import (
	"reflect"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

// TestPresetModelsAreTheTwinModels checks that the networks of nblib/preset's models are the designs
// this package's tests check layer by layer against the PyTorch twin (TestParameterCountsMatchTorchTwin).
func TestPresetModelsAreTheTwinModels(t *testing.T) {
	for name, got := range map[string]unet.Config{"unet32": preset.UNet32(3), "unet64": preset.UNet64(3), "unet128": preset.UNet128(3)} {
		if !reflect.DeepEqual(got.Net, unet.TwinModels[name]) {
			t.Errorf("preset %s: net %+v, the twin-checked design is %+v", name, got.Net, unet.TwinModels[name])
		}
		if err := got.Validate(); err != nil {
			t.Errorf("preset %s: %v", name, err)
		}
	}
	if err := preset.UNet1D(10, 64).Validate(); err != nil {
		t.Errorf("preset.UNet1D: %v", err)
	}
}
