package synthdata

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// TestWriteReferenceNpy writes the reference problem as .npy under $TMPDIR for classify_ref.py; it runs
// only with NETDIFFUS_WRITE_GOLDEN=1. testdata/make_reference.sh then refreshes testdata/classify_ref.txt.
func TestWriteReferenceNpy(t *testing.T) {
	if os.Getenv("NETDIFFUS_WRITE_GOLDEN") != "1" {
		t.Skip("set NETDIFFUS_WRITE_GOLDEN=1 to write the reference .npy files")
	}
	xtr, ytr, xte, yte := Reference()
	for name, v := range map[string]any{"train_x": xtr, "train_y": ytr, "test_x": xte, "test_y": yte} {
		if err := WriteNpy(filepath.Join(os.TempDir(), "netdiffus_ref_"+name+".npy"), v); err != nil {
			t.Fatal(err)
		}
	}
}

// GASF of a series must be symmetric with diagonal (cos(2 phi)+1)/2 = x^2 (as cos 2phi = 2x^2-1).
func TestGASFIdentities(t *testing.T) {
	s, _ := Series(1, 2, 3, 8, 0.1)
	g := GASF(s)
	for i := range 6 {
		x, img := s.RawRowView(i), g.RawRowView(i)
		for a := range 8 {
			if d := math.Abs(img[a*8+a] - x[a]*x[a]); d > 1e-12 {
				t.Fatalf("row %d diag %d: %g vs x^2 %g", i, a, img[a*8+a], x[a]*x[a])
			}
			for b := range 8 {
				if img[a*8+b] != img[b*8+a] {
					t.Fatalf("row %d not symmetric at %d,%d", i, a, b)
				}
			}
		}
	}
}

func TestReferenceResultsParses(t *testing.T) {
	acc, fit, err := ReferenceResults(filepath.Join("testdata", "classify_ref.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"random_forest", "xgboost", "gaussian_nb", "mlp"} {
		if len(acc[m]) == 0 || len(fit[m]) != len(acc[m]) {
			t.Errorf("model %s: %d accuracies, %d fit times", m, len(acc[m]), len(fit[m]))
		}
	}
}

// WriteNpy stores a matrix as a 2-D float64 array and labels as int64; both read back exactly.
func TestWriteNpyRoundTrip(t *testing.T) {
	dir := t.TempDir()
	x, y := Series(3, 2, 2, 5, 0.1)
	if err := WriteNpy(filepath.Join(dir, "x.npy"), x); err != nil {
		t.Fatal(err)
	}
	if err := WriteNpy(filepath.Join(dir, "y.npy"), y); err != nil {
		t.Fatal(err)
	}
	ax, err := npy.ReadFile(filepath.Join(dir, "x.npy"), npy.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ax.Shape, []int{4, 5}) || ax.Descr != "<f8" || !reflect.DeepEqual(ax.Float64s(), x.RawMatrix().Data) {
		t.Errorf("matrix read back as %s %v", ax.Descr, ax.Shape)
	}
	ay, err := npy.ReadFile(filepath.Join(dir, "y.npy"), npy.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := npy.Values[int64](ay, "y.npy")
	if err != nil || !reflect.DeepEqual(got, []int64{0, 0, 1, 1}) {
		t.Errorf("labels read back as %v (%v), want [0 0 1 1]", got, err)
	}
	if err := WriteNpy(filepath.Join(dir, "bad.npy"), "text"); err == nil {
		t.Error("a string was written as .npy")
	}
}
