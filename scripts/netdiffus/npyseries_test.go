package main

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// rawNPY writes an .npy file with a hand-made version 1.0 header dict, for headers npy.Write cannot
// produce.
func rawNPY(t *testing.T, path, dict string, data []byte) {
	t.Helper()
	hdr := dict + strings.Repeat(" ", (64-(10+len(dict)+1)%64)%64) + "\n"
	b := binary.LittleEndian.AppendUint16([]byte("\x93NUMPY\x01\x00"), uint16(len(hdr)))
	if err := os.WriteFile(path, append(append(b, hdr...), data...), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReadNPYSeries: (N, L) and (L,) float arrays read back row by row; hostile or unusable files are
// errors naming the file (the (-1, 32) header used to panic).
func TestReadNPYSeries(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data any, shape ...int) string {
		p := filepath.Join(dir, name)
		if err := npy.WriteFile(p, data, shape...); err != nil {
			t.Fatal(err)
		}
		return p
	}
	got, err := readNPYSeries(write("rows.npy", []float32{1, 2, 3, 4, 5, 6}, 2, 3))
	if want := [][]float64{{1, 2, 3}, {4, 5, 6}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("(2, 3) float32: %v %v, want %v", got, err, want)
	}
	got, err = readNPYSeries(write("one.npy", []float64{0.5, -1}))
	if want := [][]float64{{0.5, -1}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("(2,) float64: %v %v, want %v", got, err, want)
	}

	negative := filepath.Join(dir, "negative.npy")
	rawNPY(t, negative, "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 32), }", make([]byte, 8*32))
	truncated := filepath.Join(dir, "truncated.npy")
	rawNPY(t, truncated, "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", make([]byte, 64))
	short := filepath.Join(dir, "short.npy")
	rawNPY(t, short, "{'descr': '<f8', 'fortran_order': False, 'shape': (10, 32), }", make([]byte, 64))
	for _, tc := range []struct {
		name, path, want string
	}{
		{"negative dimension", negative, "non-negative"},
		{"claimed size over the file", truncated, "Limits.MaxArrayBytes"},
		{"data shorter than the shape", short, "are present"},
		{"3-D", write("cube.npy", make([]float64, 8), 2, 2, 2), "want (N, L)"},
		{"scalar", write("scalar.npy", []float64{1}, []int{}...), "want (N, L)"},
		{"zero-length rows", write("empty_rows.npy", []float64{}, 4, 0), "holds no values"},
		{"no series", write("no_rows.npy", []float64{}, 0, 32), "holds no values"},
		{"empty 1-D", write("empty.npy", []float64{}), "holds no values"},
		{"integer dtype", write("ints.npy", []int64{1, 2}), "want float64 or float32"},
	} {
		_, err := readNPYSeries(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s: error %v, want one naming %s and containing %q", tc.name, err, tc.path, tc.want)
		}
	}
}
