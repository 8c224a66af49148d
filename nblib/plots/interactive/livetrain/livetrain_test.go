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

func TestImagesInModelRange(t *testing.T) {
	c := Tiny()
	x, y, classes, err := c.Images()
	if err != nil {
		t.Fatal(err)
	}
	if x.Batch() != len(y) || len(classes) == 0 {
		t.Fatalf("%d images, %d labels, %d classes", x.Batch(), len(y), len(classes))
	}
	for _, v := range x.Data {
		if v < -1 || v > 1 {
			t.Fatalf("value %v outside [-1, 1]", v)
		}
	}
}

// TestRunTrains runs a few steps without a view (outside a notebook the view would do nothing) and
// checks the reported loss is a finite number.
func TestRunTrains(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a model: skipped with -short")
	}
	c := Tiny()
	c.Steps, c.ReportEvery, c.SampleEvery = 4, 2, 0
	loss, err := Run(context.Background(), c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if math.IsNaN(loss) || math.IsInf(loss, 0) || loss <= 0 {
		t.Errorf("loss %v, want a finite positive mean squared error", loss)
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
