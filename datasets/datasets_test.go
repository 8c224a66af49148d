package datasets

import (
	"reflect"
	"slices"
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
	if _, err := Load("d1", "huge", 1); err == nil {
		t.Error("unknown variant: want an error")
	}
	if len(Cards()) != 4 || len(RealCards()) != 3 {
		t.Errorf("%d synthetic and %d real cards, want 4 and 3", len(Cards()), len(RealCards()))
	}
	if _, err := Load("alexa", "huge", 1); err == nil {
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

// TestMediumVariantDecides: the medium variant of every synthetic dataset has at least 50 traces per
// class, so the presets' 0.8 split leaves at least 40 training and 10 test traces per class (the size
// nblib/preset's power calculation asks for); the classes are those of the quick variant.
func TestMediumVariantDecides(t *testing.T) {
	for _, name := range Names() {
		quick, err := Load(name, Quick, DefaultSeed)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := Load(name, Medium, DefaultSeed)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ds.Classes, quick.Classes) {
			t.Errorf("%s: medium classes %v, quick %v", name, ds.Classes, quick.Classes)
		}
		counts := map[int]int{}
		for _, l := range ds.Labels() {
			counts[l]++
		}
		for c := range ds.Classes {
			if counts[c] < 50 {
				t.Errorf("%s medium: class %s has %d traces, want >= 50", name, ds.Classes[c], counts[c])
			}
		}
	}
}
