package backend

import (
	"math"
	"os"
	"testing"

	"github.com/gomlx/compute"
	"github.com/netdiffus/netdiffus/nblib/project"
)

// TestCheckAgreesAcrossBackends runs the conv check on the Go backend and, where scripts/setup installed it,
// on ONNX Runtime: both must train (loss falls) and agree on the losses to float32 accuracy.
func TestCheckAgreesAcrossBackends(t *testing.T) {
	goB, err := compute.NewWithConfig("go")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Check(goB, 5)
	if err != nil {
		t.Fatalf("go backend: %v", err)
	}
	lib := project.Path(ORTRelPath)
	if _, err := os.Stat(lib); err != nil {
		t.Skipf("ONNX Runtime not installed at %s (run scripts/setup); checked the Go backend only", lib)
	}
	ortB, err := compute.NewWithConfig("onnx:" + lib)
	if err != nil {
		t.Fatalf("opening ONNX Runtime at %s: %v", lib, err)
	}
	got, err := Check(ortB, 5)
	if err != nil {
		t.Fatalf("onnx backend: %v", err)
	}
	// Both compute the same float32 graph; different summation orders leave ~1e-6 relative differences.
	for _, pair := range [][2]float64{{ref.LossFirst, got.LossFirst}, {ref.LossLast, got.LossLast}} {
		if math.Abs(pair[0]-pair[1]) > 1e-4*math.Abs(pair[0]) {
			t.Errorf("losses differ: go %.7f, onnx %.7f", pair[0], pair[1])
		}
	}
}
