package pipeline

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/gasf"
)

// writeInfoFile writes a model folder's pipeline.json holding only classes and ranges.
func writeInfoFile(t *testing.T, dir string, info ModelInfo) {
	t.Helper()
	raw, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, InfoFile), raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestDecodeImagesUsesTheFolderRanges: an un-resized GASF image (gasf.Encode, the independent imaging)
// of a series spanning exactly its class's stored range decodes back to the series within the 8-bit
// quantisation (|dx/dp| <= 2 for gamma 0.25: 2 * 0.5/255 of the range), and the class picks the range:
// the same image of the other class lands in that class's range.
func TestDecodeImagesUsesTheFolderRanges(t *testing.T) {
	x := []float64{-1500, -66, 400, 1500, 0, -300, 900, 66, -1200, 250, 40, -40, 1000, -900, 120, 600}
	img, err := gasf.Encode(x, gasf.DefaultParams(len(x)))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeInfoFile(t, dir, ModelInfo{Classes: []string{"a", "b"}, Ranges: [][2]float64{{0, 10}, {-1500, 1500}}})
	got, err := DecodeImages(dir, [][]byte{img.Pix, img.Pix}, img.Size, []string{"b", "a"})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range x {
		if math.Abs(got[0][k]-v) > 3000*(2*0.5/255)+1e-9 {
			t.Errorf("class b sample %d: decoded %g, encoded %g", k, got[0][k], v)
		}
		if want := (v + 1500) / 3000 * 10; math.Abs(got[1][k]-want) > 10*(2*0.5/255)+1e-9 {
			t.Errorf("class a sample %d: decoded %g, want %g", k, got[1][k], want)
		}
	}
	one, err := DecodeImage(dir, img.Pix, img.Size, "b")
	if err != nil || len(one) != len(x) || one[3] != got[0][3] {
		t.Errorf("DecodeImage: %d values (value 3: %v, DecodeImages %v), %v", len(one), one, got[0][3], err)
	}
}

// TestDecodeImagesErrors: a folder without pipeline.json, an unknown class, a wrong pixel count and a
// mismatched class list are errors naming what is wrong.
func TestDecodeImagesErrors(t *testing.T) {
	dir := t.TempDir()
	pix := make([]byte, 16)
	if _, err := DecodeImages(dir, [][]byte{pix}, 4, []string{"a"}); err == nil || !strings.Contains(err.Error(), InfoFile) {
		t.Errorf("no %s: err %v", InfoFile, err)
	}
	writeInfoFile(t, dir, ModelInfo{Classes: []string{"a"}, Ranges: [][2]float64{{0, 1}}})
	cases := []struct {
		images  [][]byte
		size    int
		classes []string
		want    string
	}{
		{[][]byte{pix}, 4, []string{"z"}, `class "z"`},
		{[][]byte{pix[:15]}, 4, []string{"a"}, "15 pixels"},
		{[][]byte{pix}, 4, nil, "1 images for 0 class names"},
		{[][]byte{pix}, 0, []string{"a"}, "image side 0"},
	}
	for _, c := range cases {
		if _, err := DecodeImages(dir, c.images, c.size, c.classes); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err %v, want one containing %q", c.classes, err, c.want)
		}
	}
}

// FuzzDecodeImages feeds hostile pipeline.json contents and images: DecodeImages returns series of the
// image side or an error, and never panics.
func FuzzDecodeImages(f *testing.F) {
	f.Add([]byte(`{"Classes":["a"],"Ranges":[[0,1]]}`), []byte{0, 128, 255, 7}, 2, "a")
	f.Add([]byte(`{"Classes":["a","b"],"Ranges":[[0,1]]}`), []byte{1}, 1, "b")
	f.Add([]byte(`{"Classes":null}`), []byte{}, 0, "")
	f.Fuzz(func(t *testing.T, info, pix []byte, size int, class string) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, InfoFile), info, 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := DecodeImages(dir, [][]byte{pix}, size, []string{class})
		if err == nil && (len(got) != 1 || len(got[0]) != size) {
			t.Fatalf("%d series of %d values for one image of side %d", len(got), len(got[0]), size)
		}
	})
}
