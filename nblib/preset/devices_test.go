package preset

import (
	"strings"
	"testing"
)

// TestTrainDevicesField: Train.Devices is settable, validated, and absent from the JSON of a preset
// that leaves it at 0 (so cache keys and the stored references' configurations do not change).
func TestTrainDevicesField(t *testing.T) {
	for _, name := range Names() {
		p, err := Named(name)
		if err != nil {
			t.Fatal(err)
		}
		if p.Train.Devices != 0 || strings.Contains(string(p.JSON()), "Devices") {
			t.Errorf("%s: Train.Devices %d, JSON mentions it: %v", name, p.Train.Devices, strings.Contains(string(p.JSON()), "Devices"))
		}
	}
	p := SmokePreset()
	if err := p.SetAll([]string{"Train.Devices=4"}); err != nil || p.Train.Devices != 4 || !strings.Contains(string(p.JSON()), `"Devices": 4`) {
		t.Errorf("-set Train.Devices=4: %v, %d\n%s", err, p.Train.Devices, p.JSON())
	}
	p.Train.Devices = -1
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "Train.Devices is -1") {
		t.Errorf("Train.Devices=-1: %v", err)
	}
}
