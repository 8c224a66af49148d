package trafficio

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/internal/npy"
)

// TestReadSeriesCSV: each layout reads what it says, and hostile or unusable files are errors naming the
// file and, where there is one, the line and column.
func TestReadSeriesCSV(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, text string
		opt        SeriesOptions
		want       [][]float64
	}{
		{"rows of different lengths", "1,2,3\n4, 5\n", SeriesOptions{Layout: SeriesRows}, [][]float64{{1, 2, 3}, {4, 5}}},
		{"auto: several fields are rows", "1,2\n3,4\n", SeriesOptions{}, [][]float64{{1, 2}, {3, 4}}},
		{"auto: one field a line is a column", "# note\n1\n2\n\n3\n", SeriesOptions{}, [][]float64{{1, 2, 3}}},
		{"column 1 under a header", "t,v\n0,1.5\n1,2.5\n", SeriesOptions{Layout: SeriesColumn, Column: 1, Header: true}, [][]float64{{1.5, 2.5}}},
		{"column ignores other fields", "x,1\ny,2\n", SeriesOptions{Layout: SeriesColumn, Column: 1}, [][]float64{{1, 2}}},
	} {
		got, err := ReadSeriesCSV(write(strings.ReplaceAll(tc.name, " ", "_")+".csv", tc.text), tc.opt)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		name, text string
		opt        SeriesOptions
		want       string
	}{
		{"a word without -header", "t,v\n0,1\n", SeriesOptions{}, `line 1, column 1: "t" is not a number`},
		{"NaN", "1,2\n3,NaN\n", SeriesOptions{}, `line 2, column 2: "NaN" is not a finite number`},
		{"infinity", "1\ninf\n", SeriesOptions{}, `line 2, column 1: "inf" is not a finite number`},
		{"overflow", "1e999,1\n", SeriesOptions{}, `line 1, column 1: "1e999" is not a number`},
		{"line numbers count comments", "# c\n1,2\nx,3\n", SeriesOptions{}, `line 3, column 1`},
		{"no column 2", "1,2\n3\n", SeriesOptions{Layout: SeriesColumn, Column: 1}, "line 2 has 1 fields, no column 1"},
		{"auto column past one field", "1\n2\n", SeriesOptions{Column: 1}, "every line has 1 field, no column 1"},
		{"empty file", "", SeriesOptions{}, "no data lines"},
		{"only a header", "a,b\n", SeriesOptions{Header: true}, "no data lines"},
		{"a blank row", "1,2\n   \n", SeriesOptions{Layout: SeriesRows}, "line 2 is empty"},
		{"more values than allowed", "1,2,3\n4,5,6\n", SeriesOptions{MaxValues: 5}, "more than 5 values"},
		{"unknown layout", "1\n", SeriesOptions{Layout: "diagonal"}, `layout "diagonal"`},
		{"negative column", "1\n", SeriesOptions{Column: -1}, "column -1"},
		{"bare quote", "1,\"2\n", SeriesOptions{}, "extraneous or missing"},
	} {
		path := write(strings.ReplaceAll(tc.name, " ", "_")+".csv", tc.text)
		_, err := ReadSeriesCSV(path, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %v, want one naming %s and containing %q", tc.name, err, path, tc.want)
		}
	}
	if _, err := ReadSeries(filepath.Join(dir, "x.parquet"), SeriesOptions{}); err == nil || !strings.Contains(err.Error(), "want .csv or .npy") {
		t.Errorf("unknown extension: %v", err)
	}
	if _, err := ReadSeriesCSV(dir, SeriesOptions{}); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a folder: %v", err)
	}
}

// TestReadSeriesNPY: (N, L) and (L,) float arrays read back row by row; hostile or unusable files are
// errors naming the file (the (-1, 32) header used to panic).
func TestReadSeriesNPY(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data any, shape ...int) string {
		p := filepath.Join(dir, name)
		if err := npy.WriteFile(p, data, shape...); err != nil {
			t.Fatal(err)
		}
		return p
	}
	raw := func(name, dict string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, rawNPYHeader(dict, data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	got, err := ReadSeries(write("rows.npy", []float32{1, 2, 3, 4, 5, 6}, 2, 3), SeriesOptions{})
	if want := [][]float64{{1, 2, 3}, {4, 5, 6}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("(2, 3) float32: %v %v, want %v", got, err, want)
	}
	got, err = ReadSeriesNPY(write("one.npy", []float64{0.5, -1}), SeriesOptions{})
	if want := [][]float64{{0.5, -1}}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("(2,) float64: %v %v, want %v", got, err, want)
	}
	for _, tc := range []struct {
		name, path string
		opt        SeriesOptions
		want       string
	}{
		{"negative dimension", raw("negative.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 32), }", make([]byte, 8*32)), SeriesOptions{}, "non-negative"},
		{"claimed size over the file", raw("truncated.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (1000000, 1000000), }", make([]byte, 64)), SeriesOptions{}, "Limits.MaxArrayBytes"},
		{"data shorter than the shape", raw("short.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (10, 32), }", make([]byte, 64)), SeriesOptions{}, "are present"},
		{"more values than allowed", write("big.npy", make([]float32, 12), 3, 4), SeriesOptions{MaxValues: 10}, "more than 10 values"},
		{"3-D", write("cube.npy", make([]float64, 8), 2, 2, 2), SeriesOptions{}, "want (N, L)"},
		{"scalar", write("scalar.npy", []float64{1}, []int{}...), SeriesOptions{}, "want (N, L)"},
		{"zero-length rows", write("empty_rows.npy", []float64{}, 4, 0), SeriesOptions{}, "holds no values"},
		{"no series", write("no_rows.npy", []float64{}, 0, 32), SeriesOptions{}, "holds no values"},
		{"empty 1-D", write("empty.npy", []float64{}), SeriesOptions{}, "holds no values"},
		{"integer dtype", write("ints.npy", []int64{1, 2}), SeriesOptions{}, "want float64 or float32"},
		{"a NaN", write("nan.npy", []float64{1, 2, 3, math.NaN()}, 2, 2), SeriesOptions{}, "series 1, value 1 is NaN"},
		{"an infinity", write("inf.npy", []float32{float32(math.Inf(-1))}), SeriesOptions{}, "series 0, value 0 is -Inf"},
	} {
		_, err := ReadSeriesNPY(tc.path, tc.opt)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
			t.Errorf("%s: error %v, want one naming %s and containing %q", tc.name, err, tc.path, tc.want)
		}
	}
}
