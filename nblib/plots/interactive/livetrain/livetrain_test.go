package livetrain

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
	"github.com/netdiffus/netdiffus/nblib/diffusion/unet"
	"github.com/netdiffus/netdiffus/nblib/plots/interactive"
)

func TestPixels(t *testing.T) {
	x := diffusion.NewArray(1, 2, 2, 1)
	copy(x.Data, []float32{-1, 0, 1, 2})
	got := Pixels(x)[0]
	want := []byte{0, 128, 255, 255}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("pixel %d = %d, want %d", i, got[i], want[i])
		}
	}
}

// TestRunTrains runs a few steps of the demonstration through pipeline.Train with a view and checks
// that the reported loss is a finite positive number and that the view got the last report and a
// sample grid (an <img> in its HTML).
func TestRunTrains(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model: skipped with -short")
	}
	c := Tiny()
	c.Preset.Train.Steps, c.Preset.Train.ReportEvery, c.SampleEvery = 4, 2, 2
	view := interactive.NewTrainingView("t")
	loss, err := Run(context.Background(), c, view)
	if err != nil {
		t.Fatal(err)
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) || loss <= 0 {
		t.Errorf("loss %v, want a finite positive mean squared error", loss)
	}
	h, err := view.HTML(true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h, "step 4 / 4") || !strings.Contains(h, "<img") {
		t.Errorf("view does not show the last report and a sample grid:\n%s", h)
	}
}

func TestObserverFeedsView(t *testing.T) {
	view := interactive.NewTrainingView("t")
	obs := Observer(view, 100)
	obs(unet.Progress{Step: 10, MeanLoss: 0.7})
	obs(unet.Progress{Step: 20, MeanLoss: 0.6})
	h, err := view.HTML(false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h, "step 20 / 100 (20%)") || !strings.Contains(h, "loss 0.6000") || !strings.Contains(h, "steps/s") {
		t.Errorf("view does not show the last report:\n%s", h)
	}
}
