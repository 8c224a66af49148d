package features

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// Hostile .npy inputs of LoadImages and LoadLabels (issue 10): errors naming the file, no panic.
func TestNpyLoadHostile(t *testing.T) {
	write := func(t *testing.T, b []byte) string {
		p := filepath.Join(t.TempDir(), "a.npy")
		os.WriteFile(p, b, 0o644)
		return p
	}
	enc := func(data any, shape ...int) []byte {
		var b bytes.Buffer
		npy.Write(&b, data, shape...)
		return b.Bytes()
	}
	for _, tc := range []struct {
		name, want string
		data       []byte
		labels     bool
	}{
		{"issue: 10-byte NPY", "runs past the end", []byte("\x93NUMPY\x01000"), false},
		{"empty image axis", "empty image axis", enc([]float32{}, 2, 0, 3), false},
		{"no images", "holds no images", enc([]float32{}, 0, 3, 3), false},
		{"int16 images", "not supported", enc(make([]int16, 4), 1, 2, 2), false},
		{"label 2e9", "integer in [0, 65536)", enc([]int64{0, 2e9}), true},
		{"label 1.5", "integer in [0, 65536)", enc([]float64{0, 1.5}), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := write(t, tc.data)
			var err error
			if tc.labels {
				_, err = LoadLabels(p)
			} else {
				_, err = LoadImages(p)
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), p) {
				t.Fatalf("error %v, want one naming %s and containing %q", err, p, tc.want)
			}
		})
	}
}
