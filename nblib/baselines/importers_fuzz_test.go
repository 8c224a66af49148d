package baselines

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// fuzzGretel seeds f with the fixture and malformed frames and checks that the importer returns an
// error or a dataset, never panics, and that an imported dataset holds only non-empty, finite series.
func fuzzGretel(f *testing.F, fixture string, opt GretelOptions, imp func(string, GretelOptions) (*traffic.Dataset, traffic.Report, error)) {
	if b, err := os.ReadFile(fixture); err == nil {
		f.Add(b)
	}
	for _, s := range []string{"", "\ufeff", "access\n", "access,0,1\nmobile,1e308,inf\n", "access,0\n\"unterminated\n",
		"example_id,access,time,views\n1,a,0,NaN\n1,b,1,2\n", "access,0,1\nmobile,-1e400,2\n,,\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "frame.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ds, _, err := imp(path, opt)
		if err != nil {
			return
		}
		for _, tr := range ds.Traces {
			if len(tr.Values) == 0 {
				t.Fatalf("trace %q imported empty", tr.ID)
			}
			for k, v := range tr.Values {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("trace %q value %d is %v: non-finite values must be skipped and reported", tr.ID, k, v)
				}
			}
		}
	})
}

func FuzzImportGretelWide(f *testing.F) {
	fuzzGretel(f, "testdata/gretel_wide.csv", GretelOptions{LabelColumn: "access", AttributeColumns: []string{"agent"}}, ImportGretelWide)
}

func FuzzImportGretelLong(f *testing.F) {
	fuzzGretel(f, "testdata/gretel_long.csv", GretelOptions{LabelColumn: "access", TimeColumn: "time", FeatureColumn: "views"}, ImportGretelLong)
}
