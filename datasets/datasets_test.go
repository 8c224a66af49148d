package datasets

import (
	"reflect"
	"testing"
	"time"
)

func TestQuickVariants(t *testing.T) {
	want := map[string]struct{ classes, traces, length int }{
		"d1": {30, 300, 720},
		"d2": {20, 200, 5000},
		"d3": {20, 200, 300},
		"ww": {3, 90, 550},
	}
	for _, name := range Names() {
		start := time.Now()
		ds, err := Load(name, Quick, DefaultSeed)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s quick: %d classes, %d traces, generated in %v", name, len(ds.Classes), len(ds.Traces), time.Since(start))
		w := want[name]
		if len(ds.Classes) != w.classes || len(ds.Traces) != w.traces || ds.Default.Length != w.length {
			t.Errorf("%s: %d classes %d traces length %d, want %+v", name, len(ds.Classes), len(ds.Traces), ds.Default.Length, w)
		}
		x, err := ds.Series(ds.Default)
		if err != nil || len(x) != len(ds.Traces) || len(x[0]) != w.length {
			t.Errorf("%s: series: %v", name, err)
		}
		again, _ := Load(name, Quick, DefaultSeed)
		if !reflect.DeepEqual(ds, again) {
			t.Errorf("%s: not deterministic for a seed", name)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load("d9", Quick, 1); err == nil {
		t.Error("unknown dataset: want an error")
	}
	if _, err := Load("d1", "medium", 1); err == nil {
		t.Error("unknown variant: want an error")
	}
	if len(Cards()) != 4 || len(RealCards()) != 3 {
		t.Errorf("%d synthetic and %d real cards, want 4 and 3", len(Cards()), len(RealCards()))
	}
	if _, err := Load("alexa", "medium", 1); err == nil {
		t.Error("real dataset, unknown variant: want an error")
	}
}

func BenchmarkQuickAll(b *testing.B) {
	for b.Loop() {
		for _, n := range Names() {
			Load(n, Quick, DefaultSeed)
		}
	}
}
