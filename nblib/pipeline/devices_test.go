package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/preset"
)

// TestTrainDevicesOnOneDeviceBackend: Train.Devices=2 on this machine's one-device backend is refused
// before any step, naming the field and the fix; the folder gets no model description.
func TestTrainDevicesOnOneDeviceBackend(t *testing.T) {
	b := goBackend(t)
	if b.NumDevices() != 1 {
		t.Skipf("the backend has %d devices; the test is about a one-device backend", b.NumDevices())
	}
	p := tiny(preset.SmokePreset(), 2)
	d, err := LoadDefault(p, "ww", "")
	if err != nil {
		t.Fatal(err)
	}
	p.Train.Devices = 2
	dir := t.TempDir()
	_, err = Train(context.Background(), b, p, dir, d.Train, d.TrainY, ModelInfo{Classes: d.Classes}, TrainOptions{})
	if err == nil || !strings.Contains(err.Error(), "Train.Devices asks for 2 devices but the backend has 1") || !strings.Contains(err.Error(), dir) {
		t.Fatalf("Train.Devices=2 on one device: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, InfoFile)); err == nil {
		t.Errorf("a refused training wrote %s", InfoFile)
	}
}
