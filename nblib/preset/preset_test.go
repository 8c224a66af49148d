package preset

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/datasets"
	"github.com/netdiffus/netdiffus/nblib/diffusion"
)

func TestNamedAndAliases(t *testing.T) {
	for _, tc := range []struct{ in, want string }{{"", Smoke}, {"quick", Smoke}, {"smoke", Smoke}, {"CPU", CPU}, {"full", Full}} {
		p, err := Named(tc.in)
		if err != nil || p.Name != tc.want {
			t.Errorf("Named(%q) = %q, %v; want %q", tc.in, p.Name, err, tc.want)
		}
		if err := p.Validate(); err != nil {
			t.Errorf("%s: %v", tc.want, err)
		}
	}
	if _, err := Named("fast"); err == nil || !strings.Contains(err.Error(), "smoke (alias quick), cpu or full") {
		t.Errorf("unknown preset: %v", err)
	}
	t.Setenv("NETDIFFUS_MODE", "quick")
	if p, err := FromEnv(); err != nil || p.Name != Smoke {
		t.Errorf("NETDIFFUS_MODE=quick: %q %v", p.Name, err)
	}
	t.Setenv("NETDIFFUS_MODE", "huge")
	if _, err := FromEnv(); err == nil || !strings.Contains(err.Error(), "NETDIFFUS_MODE") {
		t.Errorf("NETDIFFUS_MODE=huge: %v", err)
	}
}

// TestPresetMeanings pins what the issue defines each preset to be.
func TestPresetMeanings(t *testing.T) {
	s, c, f := SmokePreset(), CPUPreset(), FullPreset()
	if s.Net.Size != 16 || s.Train.Steps != 1000 || !s.Net.NullClass {
		t.Errorf("smoke changed: %+v", s)
	}
	if c.Net.Size < 32 || c.Net.LearnSigma || c.Train.Steps < s.Train.Steps {
		t.Errorf("cpu: %+v", c)
	}
	// f15's measured recommendation on real vcfp-alexa: DDPM-50 trailing, clipped, unguided.
	if q := s.Sample; q.Sampler != diffusion.DDPM || q.Steps != 50 || q.Spacing != diffusion.Trailing || !q.Clip || q.Guidance != 0 {
		t.Errorf("smoke sampling: %+v; want ddpm-50 trailing, clip, no guidance", q)
	}
	// The cpu sampler sweep's choice: deterministic Heun on 9 Karras steps (17 calls), clipped, unguided.
	if q := c.Sample; q.Sampler != diffusion.Heun || q.Steps != 9 || q.Spacing != diffusion.Karras || q.Churn != 0 || !q.Clip || q.Guidance != 0 {
		t.Errorf("cpu sampling: %+v; want heun-9 karras, no churn, clip, no guidance", q)
	}
	// Issue 27: the cpu preset decides on at least 40 training and 10 test traces per class.
	if s.Data.Variant != datasets.Small || c.Data.Variant != datasets.Medium {
		t.Errorf("data variants: smoke %s, cpu %s; want small and medium", s.Data.Variant, c.Data.Variant)
	}
	if f.Net.Size != 128 || !f.Net.LearnSigma || f.Net.NullClass || f.Train.DiffusionSteps != 1000 || f.Data.Variant != datasets.Full || f.Sample.Guidance > 1 {
		t.Errorf("full: %+v", f)
	}
	if q := f.Sample; q.Sampler != diffusion.DDIM || q.Steps != 100 || q.Eta != 1 || q.Spacing != diffusion.Trailing {
		t.Errorf("full sampling: %+v; want ddim-100 eta 1 trailing", q)
	}
	m := f.Model(7)
	if m.Net.NumClasses != 7 || m.Net.Variance() != diffusion.Learned || f.Net.NumClasses != 0 {
		t.Errorf("model of full: %+v", m.Net)
	}
}

func TestSet(t *testing.T) {
	p := FullPreset()
	for _, a := range []string{"Net.Size=16", "net.modelchannels=16", "Train.Steps=5", "Train.LearningRate=1e-3",
		"Net.AttentionResolutions=8,4", "Downstream.Classifiers=rf, nb", "Data.Variant=quick", "Sample.Sampler=ddpm",
		"Sample.Clip=false", "Data.Seed=9", "Net.ChannelMult=1,2", "Figures.FidelityDatasets="} {
		if err := p.Set(a); err != nil {
			t.Fatalf("Set(%q): %v", a, err)
		}
	}
	want := []any{16, 16, int64(5), 1e-3, []int{8, 4}, []string{"rf", "nb"}, datasets.Small, diffusion.SamplerKind("ddpm"), false, uint64(9), []int{1, 2}}
	got := []any{p.Net.Size, p.Net.ModelChannels, p.Train.Steps, p.Train.LearningRate, p.Net.AttentionResolutions,
		p.Downstream.Classifiers, p.Data.Variant, p.Sample.Sampler, p.Sample.Clip, p.Data.Seed, p.Net.ChannelMult}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("field %d: got %#v, want %#v", i, got[i], want[i])
		}
	}
	if len(p.Figures.FidelityDatasets) != 0 {
		t.Errorf("empty list: %v", p.Figures.FidelityDatasets)
	}
}

func TestSetErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Net.Sise=16", `no field "Sise"; valid names: AttentionResolutions, ChannelMult, Dims`},
		{"Nett.Size=16", `the top level has no field "Nett"; valid names: Data, Downstream, Figures, Measure, Name, Net, Sample, Train`},
		{"Train.Bogus=1", "BatchSize, CheckpointEvery, Devices, DiffusionSteps"},
		{"Net.Size=big", `"big" is not an integer`},
		{"Net=3", "Net is a section"},
		{"Net.Size.X=3", "is a int, not a section"},
		{"Net.Size", "want Path.To.Field=value"},
		{"Sample.Clip=maybe", "not true or false"},
		{"Data.Seed=-1", "non-negative"},
		{"Net.ChannelMult=1,x", "item 2"},
	} {
		p := SmokePreset()
		if err := p.Set(tc.in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Set(%q) = %v; want it to mention %q", tc.in, err, tc.want)
		}
	}
}

func TestJSONRoundTripAndLoad(t *testing.T) {
	for _, name := range Names() {
		p, _ := Named(name)
		var back Preset
		if err := json.Unmarshal(p.JSON(), &back); err != nil || !reflect.DeepEqual(back, p) {
			t.Errorf("%s: JSON round trip changed the preset (%v)", name, err)
		}
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "c.json")
	os.WriteFile(path, []byte(`{"Net": {"Size": 8}, "Train": {"Steps": 3, "BatchSize": 4}}`), 0o644)
	p := SmokePreset()
	if err := p.Load(path); err != nil || p.Net.Size != 8 || p.Train.Steps != 3 || p.Train.BatchSize != 4 || p.Net.ModelChannels != 16 {
		t.Errorf("Load: %v, %+v", err, p)
	}
	os.WriteFile(path, []byte(`{"Net": {"Sise": 8}}`), 0o644)
	if err := p.Load(path); err == nil || !strings.Contains(err.Error(), "Sise") {
		t.Errorf("unknown field in config: %v", err)
	}
	if err := p.Load(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("missing config file")
	}
}

func TestValidateCatchesGuidanceWithoutNullClass(t *testing.T) {
	p := FullPreset()
	p.Sample.Guidance = 3
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "null class") {
		t.Errorf("guidance without null class: %v", err)
	}
	p = SmokePreset()
	p.Train.Steps = 0
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "Train.Steps") {
		t.Errorf("zero steps: %v", err)
	}
	p = SmokePreset()
	p.Sample.Spacing = "middle"
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "Sample.Spacing") {
		t.Errorf("unknown spacing: %v", err)
	}
	p = SmokePreset()
	p.Sample.Eta = -0.5
	if err := p.Validate(); err == nil || !strings.Contains(err.Error(), "Sample.Eta") {
		t.Errorf("negative eta: %v", err)
	}
	for _, sp := range []diffusion.Spacing{"", diffusion.Leading, diffusion.Linspace} {
		p = SmokePreset()
		p.Sample.Spacing = sp
		if err := p.Validate(); err != nil {
			t.Errorf("spacing %q: %v", sp, err)
		}
	}
}

// TestSampleFewStepSamplers: heun and dpmpp2m are selectable with -set, heun with Karras steps and a
// churn; invalid combinations name the field to change.
func TestSampleFewStepSamplers(t *testing.T) {
	p := SmokePreset()
	for _, a := range []string{"Sample.Sampler=heun", "Sample.Spacing=karras", "Sample.Steps=9", "Sample.Churn=2.5"} {
		if err := p.Set(a); err != nil {
			t.Fatalf("Set(%q): %v", a, err)
		}
	}
	if q := p.Sample; q.Sampler != diffusion.Heun || q.Spacing != diffusion.Karras || q.Steps != 9 || q.Churn != 2.5 {
		t.Fatalf("after -set: %+v", q)
	}
	if err := p.Validate(); err != nil {
		t.Errorf("heun 9 karras churn 2.5: %v", err)
	}
	q := SmokePreset()
	q.Sample.Sampler = diffusion.DPMSolver2M
	if err := q.Validate(); err != nil {
		t.Errorf("dpmpp2m on the smoke preset's trailing steps: %v", err)
	}
	for _, c := range []struct {
		set   func(s *Sample)
		field string
	}{
		{func(s *Sample) { s.Sampler = "euler" }, "Sample.Sampler"},
		{func(s *Sample) { s.Sampler = diffusion.Heun }, "Sample.Spacing=karras"}, // the preset's trailing
		{func(s *Sample) { s.Sampler, s.Spacing, s.Churn = diffusion.Heun, diffusion.Karras, -1 }, "Sample.Churn"},
		{func(s *Sample) { s.Sampler, s.Spacing, s.Churn = diffusion.Heun, diffusion.Karras, math.NaN() }, "Sample.Churn"},
		{func(s *Sample) { s.Sampler, s.Churn = diffusion.DPMSolver2M, 1 }, "Sample.Churn=0"},
	} {
		r := SmokePreset()
		c.set(&r.Sample)
		if err := r.Validate(); err == nil || !strings.Contains(err.Error(), c.field) {
			t.Errorf("%+v: error %v, want one naming %s", r.Sample, err, c.field)
		}
	}
}

// TestChurnOmittedFromJSON: a zero churn leaves the preset's JSON as it was, so the stored references
// still match today's presets.
func TestChurnOmittedFromJSON(t *testing.T) {
	js, err := json.Marshal(CPUPreset())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "Churn") {
		t.Errorf("cpu preset JSON mentions Churn: %s", js)
	}
	p := CPUPreset()
	p.Sample.Churn = 1
	if js, _ := json.Marshal(p); !strings.Contains(string(js), `"Churn":1`) {
		t.Errorf("churn 1 missing from the JSON: %s", js)
	}
}

// TestDataSplit: without a split seed the split is the paper's (the first TrainFraction of each class
// in dataset order); with one it is a seeded random draw of the same per-class counts, the same for
// the same seed and different for another.
func TestDataSplit(t *testing.T) {
	labels := []int{0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1}
	paper := Data{TrainFraction: 0.8, Seed: 1}.Split(labels)
	if want := []int{0, 1, 2, 3, 4, 10, 11, 12, 5, 6, 7, 8, 9, 15, 16, 17}; !slices.Equal(paper.Train, want) {
		t.Errorf("paper's split trains on %v, want %v", paper.Train, want)
	}
	count := func(idx []int) map[int]int {
		c := map[int]int{}
		for _, i := range idx {
			c[labels[i]]++
		}
		return c
	}
	a := Data{TrainFraction: 0.8, Seed: 1, SplitSeed: 7}.Split(labels)
	b := Data{TrainFraction: 0.8, Seed: 1, SplitSeed: 7}.Split(labels)
	c := Data{TrainFraction: 0.8, Seed: 1, SplitSeed: 8}.Split(labels)
	if !slices.Equal(a.Train, b.Train) || slices.Equal(a.Train, c.Train) || slices.Equal(a.Test, paper.Test) {
		t.Errorf("seeded splits: 7 %v, 7 again %v, 8 %v (paper's test %v)", a.Test, b.Test, c.Test, paper.Test)
	}
	if got := count(a.Train); got[0] != 8 || got[1] != 8 || len(a.Test) != 4 {
		t.Errorf("seeded split: training counts %v and %d test traces, want 8 + 8 and 4", got, len(a.Test))
	}
}

// TestMeasureFeatures: Measure.Features is left out of the JSON while empty (so the stored references'
// configurations still read equal), can be set with -set, and only its documented values pass Validate.
func TestMeasureFeatures(t *testing.T) {
	js, err := json.Marshal(CPUPreset())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "Features") {
		t.Errorf("cpu preset JSON mentions Features: %s", js)
	}
	for _, tc := range []struct{ features, kind, weights, err string }{
		{"", FeaturesPCA, "", ""},
		{"pca", FeaturesPCA, "", ""},
		{"raw", FeaturesRaw, "", ""},
		{"encoder", FeaturesEncoder, "", ""},
		{"inception", FeaturesInception, "", ""},
		{"inception:w/pt_inception.pth", FeaturesInception, "w/pt_inception.pth", ""},
		{"inception:", "", "", "only inception takes a weights path"},
		{"raw:x", "", "", "only inception takes a weights path"},
		{"Inception", "", "", `Measure.Features "Inception": want`},
		{"pca:16", "", "", "only inception takes a weights path"},
	} {
		p := SmokePreset()
		if err := p.Set("Measure.Features=" + tc.features); err != nil {
			t.Fatal(err)
		}
		kind, weights, err := p.Measure.FeatureKind()
		verr := p.Validate()
		switch {
		case tc.err == "" && (err != nil || verr != nil || kind != tc.kind || weights != tc.weights):
			t.Errorf("%q: %q %q %v (Validate: %v), want %q %q", tc.features, kind, weights, err, verr, tc.kind, tc.weights)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err) || verr == nil):
			t.Errorf("%q: %v (Validate: %v), want an error containing %q", tc.features, err, verr, tc.err)
		}
	}
}
