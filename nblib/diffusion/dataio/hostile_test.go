package dataio

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/internal/npy"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
)

func npyOf(t *testing.T, data any, shape ...int) []byte {
	var b bytes.Buffer
	if err := npy.Write(&b, data, shape...); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func rawHeader(dict string) []byte {
	pad := (64 - (10+len(dict)+1)%64) % 64
	hdr := dict + strings.Repeat(" ", pad) + "\n"
	return append(append([]byte("\x93NUMPY\x01\x00"), byte(len(hdr)), byte(len(hdr)>>8)), hdr...)
}

// Image sets of issue 10: every hostile archive is an error naming the file, never a panic or an
// allocation sized by a claim.
func TestLoadNPZHostile(t *testing.T) {
	img := npyOf(t, make([]float32, 3*2*2), 3, 2, 2)
	lab := npyOf(t, []int64{0, 1, 0})
	cases := []struct {
		name, want string
		images     []byte
		labels     []byte
	}{
		{"control", "", img, lab},
		{"issue: shape (-1, 32)", "not a non-negative integer", rawHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 32), }"), lab},
		{"issue: header (100000, 1000000)", "MaxArrayBytes", rawHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 1000000), }"), lab},
		{"shape (N, 0)", "examples of size 0", npyOf(t, []float32{}, 3, 0), lab},
		{"issue: label 2e9", "integer in [0, 65535]", img, npyOf(t, []int64{0, 1, 2e9})},
		{"issue: labels {0,1,9}", "classes 2, 3, 4, 5, 6, 7, 8 have no example", img, npyOf(t, []int64{0, 1, 9})},
		{"negative label", "integer in [0, 65535]", img, npyOf(t, []int64{0, -1, 1})},
		{"float labels", "want integer labels", img, npyOf(t, []float64{0, 1, 0})},
		{"labels 2-D", "want [N]", img, npyOf(t, []int64{0, 1, 0}, 3, 1)},
		{"count mismatch", "2 labels for 3 examples", img, npyOf(t, []int64{0, 1})},
		{"int16 images", "want float32, float64 or uint8", npyOf(t, make([]int16, 12), 3, 2, 2), lab},
		{"truncated images", "truncated or inconsistent", img[:len(img)-2], lab},
		{"NaN pixel", "outside [0, 1]", npyOf(t, append([]float32{float32(0) / zero()}, make([]float32, 11)...), 3, 2, 2), lab},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "d.npz")
			var b bytes.Buffer
			zw := zip.NewWriter(&b)
			for name, data := range map[string][]byte{"images.npy": tc.images, "labels.npy": tc.labels} {
				w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
				w.Write(data)
			}
			zw.Close()
			os.WriteFile(p, b.Bytes(), 0o644)
			d, err := LoadNPZ(p, "images")
			if tc.want == "" {
				if err != nil || d.NumClasses() != 2 {
					t.Fatalf("control: %v, %d classes", err, d.NumClasses())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("error %v, want one naming the file and containing %q", err, tc.want)
			}
		})
	}
}

func zero() float32 { return 0 }

func TestLoadNPZAllowMissingClasses(t *testing.T) {
	p := filepath.Join(t.TempDir(), "s.npz")
	x := diffusion.NewArray(3, 2, 2, 1)
	if err := SaveNPZ(p, "images", x, []int{0, 1, 9}, nil); err != nil {
		t.Fatal(err)
	}
	d, err := LoadNPZWith(p, "images", LoadOptions{AllowMissingClasses: true})
	if err != nil || d.NumClasses() != 10 {
		t.Fatalf("%v, %d classes", err, d.NumClasses())
	}
}

// SaveNPZ and SavePNGs write atomically: a failed save leaves the previous file intact.
func TestSavesAreAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "s.npz")
	x := diffusion.NewArray(2, 2, 2, 1)
	if err := SaveNPZ(p, "images", x, []int{0, 1}, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(p)
	if err := SaveNPZ(p, "images", x, []int{0, 1}, [][]float64{{1, 2}, {1}}); err == nil {
		t.Fatal("ragged series accepted")
	}
	if err := SaveNPZ(p, "images", x, []int{0}, nil); err == nil {
		t.Fatal("label count mismatch accepted")
	}
	after, _ := os.ReadFile(p)
	if !bytes.Equal(before, after) {
		t.Error("failed save changed the file")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("%d files left in the folder, want 1", len(ents))
	}
	if err := SavePNGs(filepath.Join(dir, "png"), x, []int{0, 1}); err != nil {
		t.Fatal(err)
	}
	if err := SavePNGs(filepath.Join(dir, "png"), x, []int{0}); err == nil {
		t.Error("PNG label count mismatch accepted")
	}
}

// FuzzLoadNPZ: arbitrary archive bytes never panic LoadNPZ.
func FuzzLoadNPZ(f *testing.F) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("images.npy")
	npy.Write(w, make([]float32, 8), 2, 2, 2)
	w, _ = zw.Create("labels.npy")
	npy.Write(w, []int64{0, 1})
	zw.Close()
	f.Add(b.Bytes())
	f.Add([]byte("\x93NUMPY\x01000"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "f.npz")
		os.WriteFile(p, data, 0o644)
		LoadNPZWith(p, "images", LoadOptions{MaxArrayBytes: 1 << 20})
	})
}
