package datasets

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestSmallVariants(t *testing.T) {
	want := map[string]struct{ classes, traces, length int }{
		"d1": {30, 300, 720},
		"d2": {20, 200, 5000},
		"d3": {20, 200, 300},
		"ww": {3, 90, 550},
	}
	for _, name := range Names() {
		start := time.Now()
		ds, err := Load(name, Small, DefaultSeed)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s small: %d classes, %d traces, generated in %v", name, len(ds.Classes), len(ds.Traces), time.Since(start))
		w := want[name]
		if len(ds.Classes) != w.classes || len(ds.Traces) != w.traces || ds.Default.Length != w.length {
			t.Errorf("%s: %d classes %d traces length %d, want %+v", name, len(ds.Classes), len(ds.Traces), ds.Default.Length, w)
		}
		x, err := ds.Series(ds.Default)
		if err != nil || len(x) != len(ds.Traces) || len(x[0]) != w.length {
			t.Errorf("%s: series: %v", name, err)
		}
		again, _ := Load(name, Small, DefaultSeed)
		if !reflect.DeepEqual(ds, again) {
			t.Errorf("%s: not deterministic for a seed", name)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load("d9", Small, 1); err == nil {
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

func BenchmarkSmallAll(b *testing.B) {
	for b.Loop() {
		for _, n := range Names() {
			Load(n, Small, DefaultSeed)
		}
	}
}

// TestMediumVariantDecides: the medium variant of every synthetic dataset has at least 50 traces per
// class, so the presets' 0.8 split leaves at least 40 training and 10 test traces per class (the size
// nblib/preset's power calculation asks for); the classes are those of the small variant.
func TestMediumVariantDecides(t *testing.T) {
	for _, name := range Names() {
		small, err := Load(name, Small, DefaultSeed)
		if err != nil {
			t.Fatal(err)
		}
		ds, err := Load(name, Medium, DefaultSeed)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ds.Classes, small.Classes) {
			t.Errorf("%s: medium classes %v, small %v", name, ds.Classes, small.Classes)
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

// TestVariantLegacyName: "quick", the former name of the small variant, reads as Small through
// ParseVariant, JSON and Load (the same data as Small), and an unknown name is an error.
func TestVariantLegacyName(t *testing.T) {
	if v, err := ParseVariant("quick"); err != nil || v != Small {
		t.Errorf("ParseVariant(quick) = %q, %v; want small", v, err)
	}
	var cfg struct{ Variant Variant }
	if err := json.Unmarshal([]byte(`{"Variant":"quick"}`), &cfg); err != nil || cfg.Variant != Small {
		t.Errorf("JSON quick reads as %q, %v; want small", cfg.Variant, err)
	}
	if err := json.Unmarshal([]byte(`{"Variant":"huge"}`), &cfg); err == nil {
		t.Error("JSON variant huge: want an error")
	}
	if err := json.Unmarshal([]byte(`{"Variant":""}`), &cfg); err != nil || cfg.Variant != "" {
		t.Errorf("JSON empty variant reads as %q, %v; want the unset variant", cfg.Variant, err)
	}
	if b, _ := json.Marshal(struct{ Variant Variant }{Small}); string(b) != `{"Variant":"small"}` {
		t.Errorf("Small marshals as %s", b)
	}
	legacy, err := Load("d3", Variant("quick"), DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	small, _ := Load("d3", Small, DefaultSeed)
	if Digest(legacy) != Digest(small) {
		t.Error("Load with quick gives other data than with small")
	}
}
