package pipeline

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/internal/npy"
	"github.com/netdiffus/netdiffus/nblib/eval/features"
	"github.com/netdiffus/netdiffus/nblib/eval/fid"
	"github.com/netdiffus/netdiffus/nblib/pixels"
	"github.com/netdiffus/netdiffus/nblib/preset"
)

func writeNPYFile(t *testing.T, path string, data any, shape ...int) string {
	t.Helper()
	if err := npy.WriteFile(path, data, shape...); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestReadImageExamplesMatchesNPZ: the uint8 .npy of an NPZ's images reads to the very same model-range
// values as the NPZ (bit for bit: ByteToModel, not 2u-1, which differs in the last bit for half the
// bytes), with classes named by the labels; float images on [0, 1] read as 2u-1; no labels is one class.
func TestReadImageExamplesMatchesNPZ(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	img, err := ImageArray([][]float64{ramp(32, 0), ramp(32, 1), ramp(32, 2)}, 8)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteExamples(at("e.npz"), Examples{X: img, Labels: []int{0, 2, 1}, Classes: []string{"a", "b", "c"}}); err != nil {
		t.Fatal(err)
	}
	npz, err := ReadExamples(at("e.npz"))
	if err != nil {
		t.Fatal(err)
	}
	writeNPYFile(t, at("x.npy"), pixels.ModelToBytes(npz.X.Data), 3, 8, 8)
	writeNPYFile(t, at("y.npy"), []int64{0, 2, 1}, 3)
	got, err := ReadImageExamples(at("x.npy"), at("y.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.X.Shape, []int{3, 8, 8, 1}) || !reflect.DeepEqual(got.X.Data, npz.X.Data) {
		t.Errorf("uint8 .npy images %v differ from the NPZ's %v", got.X.Shape, npz.X.Shape)
	}
	if want := []string{"class0", "class1", "class2"}; !reflect.DeepEqual(got.Labels, []int{0, 2, 1}) || !reflect.DeepEqual(got.Classes, want) {
		t.Errorf("labels %v classes %v, want [0 2 1] %v", got.Labels, got.Classes, want)
	}
	unlabelled, err := ReadImageExamples(writeNPYFile(t, at("f.npy"), []float64{0, 0.25, 0.5, 1}, 1, 2, 2), "")
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{-1, -0.5, 0, 1}; !reflect.DeepEqual(unlabelled.X.Data, want) || !reflect.DeepEqual(unlabelled.Labels, []int{0}) || !reflect.DeepEqual(unlabelled.Classes, []string{UnlabelledClass}) {
		t.Errorf("float images: %v %v %v, want %v [0] [%s]", unlabelled.X.Data, unlabelled.Labels, unlabelled.Classes, want, UnlabelledClass)
	}
}

// TestImageFilesRefuse: inputs that cannot be measured together are errors naming the file and what to do.
func TestImageFilesRefuse(t *testing.T) {
	dir := t.TempDir()
	at := func(name string) string { return filepath.Join(dir, name) }
	x := writeNPYFile(t, at("x.npy"), make([]uint8, 4*4*4), 4, 4, 4)
	y := writeNPYFile(t, at("y.npy"), []int64{0, 1, 0, 1}, 4)
	small := writeNPYFile(t, at("small.npy"), make([]uint8, 4*2*2), 4, 2, 2)
	bright := writeNPYFile(t, at("bright.npy"), []float32{0, 1.5, 0, 0}, 1, 2, 2)
	three := writeNPYFile(t, at("three.npy"), []int64{0, 1, 0}, 3)
	gap := writeNPYFile(t, at("gap.npy"), []int64{0, 2, 0, 2}, 4)
	for _, tc := range []struct {
		name string
		read func() error
		want string
	}{
		{"float pixel above 1", func() error { _, err := ReadImageExamples(bright, ""); return err }, bright + ": image 0 pixel 1 is 1.5; float pixels must lie on [0, 1]"},
		{"a label short", func() error { _, err := ReadImageExamples(x, three); return err }, three + " holds 3 labels for the 4 images of " + x},
		{"a class without an example", func() error { _, err := ReadImageExamples(x, gap); return err }, gap + ": labels go up to 2 but class 1 has no example"},
		{"test labels without test images", func() error { _, err := ReadImageData(ImageFiles{Train: x, TestLabels: y}, 0.5); return err }, "no test image file"},
		{"training labelled, test not", func() error {
			_, err := ReadImageData(ImageFiles{Train: x, TrainLabels: y, Test: x}, 0.5)
			return err
		}, "label both image files or neither"},
		{"test images of another size", func() error { _, err := ReadImageData(ImageFiles{Train: x, Test: small}, 0.5); return err }, small + " holds images shaped [2 2 1]"},
	} {
		if err := tc.read(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	d, err := ReadImageData(ImageFiles{Train: x, TrainLabels: y}, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	if d.Train.Batch() != 2 || d.Test.Batch() != 2 || len(d.Classes) != 2 {
		t.Fatalf("split of 4 images at 0.5: %d training, %d test, %d classes", d.Train.Batch(), d.Test.Batch(), len(d.Classes))
	}
	other, err := ReadImageExamples(small, "")
	if err != nil {
		t.Fatal(err)
	}
	third := Examples{X: d.Train, Labels: []int{0, 2}}
	for _, tc := range []struct {
		e    Examples
		want string
	}{
		{other, "synth are shaped [2 2 1]"},
		{third, "example 1 has class 2"},
		{Examples{X: d.Train, Labels: []int{0}}, "1 labels for 2 examples"},
	} {
		if err := d.CheckSynthetic("synth", tc.e); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("CheckSynthetic: got %v, want an error containing %q", err, tc.want)
		}
	}
}

// TestMeasureFeatures: Measure.Features chooses the FID features: raw gives the Fréchet distance of
// the pixels themselves (fid.Frechet on them, the reference), PCA names its component count, and
// features that need a network refuse to run without a backend.
func TestMeasureFeatures(t *testing.T) {
	p := preset.SmokePreset()
	p.Downstream.Classifiers = nil
	d, err := LoadDefault(p, "d1", "netflix")
	if err != nil {
		t.Fatal(err)
	}
	synth, synthY := d.Test, d.TestY
	pca, err := Measure(nil, p, d, synth, synthY)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("pca-%d", p.Measure.PCAComponents); pca.Features != want {
		t.Errorf("default features %q, want %q", pca.Features, want)
	}
	p.Measure.Features = preset.FeaturesRaw
	raw, err := Measure(nil, p, d, synth, synthY)
	if err != nil {
		t.Fatal(err)
	}
	real, _ := Images("real", d.Train)
	syn, _ := Images("synthetic", synth)
	fr, _ := features.Raw{}.Extract(real)
	fs, _ := features.Raw{}.Extract(syn)
	want, err := fid.Frechet(fr, fs)
	if err != nil {
		t.Fatal(err)
	}
	if raw.Features != "raw" || raw.FID != want || raw.FID == pca.FID {
		t.Errorf("raw features: %q FID %g, want raw FID %g (fid.Frechet of the pixels; PCA gave %g)", raw.Features, raw.FID, want, pca.FID)
	}
	for _, tc := range []struct{ features, want string }{
		{preset.FeaturesEncoder, "Measure.Features encoder runs a network: Measure needs a backend"},
		{"inception:weights.pth", "Measure.Features inception runs a network"},
		{"pixels", `Measure.Features "pixels"`},
	} {
		p.Measure.Features = tc.features
		if _, err := Measure(nil, p, d, synth, synthY); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Features %q: got %v, want an error containing %q", tc.features, err, tc.want)
		}
	}
}

func npyOf(t testing.TB, data any, shape ...int) []byte {
	var b bytes.Buffer
	if err := npy.Write(&b, data, shape...); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// FuzzReadImageExamples: any pair of files either is refused or reads to examples in the model range,
// one label per image, every label a class with an example.
func FuzzReadImageExamples(f *testing.F) {
	f.Add(npyOf(f, make([]uint8, 2*4*4), 2, 4, 4), npyOf(f, []int64{0, 1}, 2))
	f.Add(npyOf(f, []float32{0, 0.5, 1, 2}, 1, 2, 2), npyOf(f, []int64{0}, 1))
	f.Add(npyOf(f, []float64{0, 1, 0, 1}, 1, 1, 2, 2), npyOf(f, []float64{0.5}, 1))
	f.Add(npyOf(f, make([]uint8, 3*2*2), 3, 2, 2), npyOf(f, []int64{0, 2, 70000}, 3))
	f.Add([]byte("\x93NUMPY\x01\x00"), []byte{})
	f.Fuzz(func(t *testing.T, images, labels []byte) {
		dir := t.TempDir()
		x, y := filepath.Join(dir, "x.npy"), filepath.Join(dir, "y.npy")
		if err := os.WriteFile(x, images, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(y, labels, 0o644); err != nil {
			t.Fatal(err)
		}
		e, err := ReadImageExamples(x, y)
		if err != nil {
			return
		}
		if len(e.X.Shape) != 4 || len(e.Labels) != e.X.Batch() {
			t.Fatalf("shape %v with %d labels", e.X.Shape, len(e.Labels))
		}
		for _, v := range e.X.Data {
			if !(v >= -1 && v <= 1) {
				t.Fatalf("model value %v outside [-1, 1]", v)
			}
		}
		counts := Counts(e.Labels, len(e.Classes))
		for c, n := range counts {
			if n == 0 {
				t.Fatalf("class %d of %d has no example", c, len(e.Classes))
			}
		}
	})
}
