package baselines

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netdiffus/netdiffus/nblib/internal/testbackend"

	"github.com/gomlx/compute"
	_ "github.com/gomlx/compute-onnx" // registers "onnx"
	_ "github.com/gomlx/compute/gobackend"
	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"

	"github.com/netdiffus/netdiffus/nblib/traffic"
)

// repoRoot is the repository root relative to this package (for the project's ONNX Runtime).
const repoRoot = "../.."

func goBackend(t testing.TB) compute.Backend { return testbackend.Go(t) }

// ortBackend returns the project's ONNX Runtime backend (telemetry off, through nblib/backend), or
// skips the test.
func ortBackend(t testing.TB) compute.Backend { return testbackend.ORT(t, repoRoot) }

// tinySeries is a two-class dataset of ready series: noisy sines and noisy ramps of different scales.
func tinySeries(n, length int, seed uint64) *traffic.Dataset {
	rng := rand.New(rand.NewPCG(seed, 3))
	var traces []traffic.Trace
	for i := range n {
		for c, label := range []string{"ramp", "sine"} {
			v := make([]float64, length)
			amp := 10 + 90*rng.Float64()
			for k := range v {
				x := float64(k) / float64(length)
				if c == 0 {
					v[k] = amp * x
				} else {
					v[k] = amp * (1 + math.Sin(2*math.Pi*3*x))
				}
				v[k] += rng.NormFloat64()
			}
			traces = append(traces, traffic.Trace{ID: fmt.Sprintf("%s-%d", label, i), Label: label, Values: v, Step: 1})
		}
	}
	ds, err := traffic.NewDataset("tiny", traces, nil, traffic.Feature{Kind: traffic.Values, Length: length})
	if err != nil {
		panic(err)
	}
	return ds
}

// tinyConfig is a DoppelGANger-style config (preset.DoppelGANger's smoke design, shrunk) small enough
// for the Go backend.
func tinyConfig() Config {
	return Config{Name: "doppelganger-tiny", Fields: []Field{{Name: "value"}}, SelfNorm: true,
		SampleLen: 4, NoiseDim: 5, GenUnits: 8, AttrLayers: 1, AttrUnits: 8, DiscLayers: 2, DiscUnits: 12,
		BatchSize: 8, LearningRate: 1e-3, Beta1: 0.5, Beta2: 0.999, GPWeight: 10, AuxWeight: 1, Steps: 400, Seed: 1}
}

func tinyTrainer(t *testing.T, b compute.Backend) (*Trainer, *Encoded) {
	t.Helper()
	cfg, data, err := Encode(tinyConfig(), tinySeries(8, 20, 1))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := New(b, cfg, data.Meta)
	if err != nil {
		t.Fatal(err)
	}
	return tr, data
}

// TestGradientPenaltySecondOrder checks the gradient of the gradient penalty with respect to a
// discriminator kernel (second-order autodiff) against central finite differences of the penalty
// itself, on the Go backend and ONNX Runtime. float32 with h = 1e-2: truncation O(h^2) ~ 1e-4 and
// rounding ~1e-7/h = 1e-5 relative to a penalty of order 1, so the tolerance is 2e-3 + 2e-2 |g|.
func TestGradientPenaltySecondOrder(t *testing.T) {
	for _, name := range []string{"go", "onnx"} {
		t.Run(name, func(t *testing.T) {
			b := map[string]func(testing.TB) compute.Backend{"go": goBackend, "onnx": ortBackend}[name](t)
			cfg := tinyConfig()
			cfg.Length, cfg.NumClasses, cfg.DiscLayers, cfg.DiscUnits, cfg.SelfNorm = 6, 2, 2, 5, false
			store := model.NewStore()
			if err := initParams(store, cfg); err != nil {
				t.Fatal(err)
			}
			const wPath = discPrefix + "main/l0/w"
			exec, err := model.NewExec(b, store, func(_ *model.Scope, in []*Node) []*Node {
				g := in[0].Graph()
				store.SetTraining(g, true)
				n := &net{cfg: cfg, store: store, g: g}
				attr := n.attributes(in[1], nil)
				gp := gradientPenalty(n.critic(in[0], attr), in[0], attr)
				return []*Node{gp, Gradient(gp, n.w(wPath))[0]}
			})
			if err != nil {
				t.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(5, 5))
			x := make([]float32, 4*cfg.Length)
			for i := range x {
				x[i] = float32(rng.Float64())
			}
			xt := tensors.FromFlatDataAndDimensions(x, 4, cfg.Length, 1)
			lt := labelTensor([]int{0, 1, 1, 0})
			eval := func() (float64, []float32) {
				out, err := exec.Call(xt, lt)
				if err != nil {
					t.Fatal(err)
				}
				return scalar(out[0]), tensors.MustCopyFlatData[float32](out[1])
			}
			_, grad := eval()
			v := store.GetVariable(wPath)
			w0, _ := v.Value()
			base := tensors.MustCopyFlatData[float32](w0)
			const h = 1e-2
			nonzero := 0
			for i := range base {
				var f [2]float64
				for k, d := range []float32{h, -h} {
					w := append([]float32(nil), base...)
					w[i] += d
					if err := v.SetValue(tensors.FromFlatDataAndDimensions(w, v.Shape().Dimensions...)); err != nil {
						t.Fatal(err)
					}
					f[k], _ = eval()
				}
				fd := (f[0] - f[1]) / (2 * h)
				if math.Abs(fd-float64(grad[i])) > 2e-3+2e-2*math.Abs(fd) {
					t.Errorf("dGP/dw[%d]: autodiff %.6f, finite difference %.6f", i, grad[i], fd)
				}
				if math.Abs(fd) > 1e-3 {
					nonzero++
				}
			}
			if nonzero < 6 { // inactive ReLU units have zero derivatives; at least one unit must be live
				t.Errorf("only %d of %d finite differences are non-zero: the check is vacuous", nonzero, len(base))
			}
		})
	}
}

// TestTrainStepBackendsAgree runs three training steps from the same host-initialised weights on the
// Go backend and on ONNX Runtime: losses must agree to relative 1e-3 (float32 sums in different
// orders, compounded over three Adam updates whose early steps move weights by about lr each).
func TestTrainStepBackendsAgree(t *testing.T) {
	var res [2][]StepResult
	for i, b := range []compute.Backend{goBackend(t), ortBackend(t)} {
		tr, data := tinyTrainer(t, b)
		for range 3 {
			r, err := tr.TrainStep(data)
			if err != nil {
				t.Fatalf("%s: %v", b.Name(), err)
			}
			res[i] = append(res[i], r)
		}
	}
	t.Logf("Go backend %+v\nONNX Runtime %+v", res[0], res[1])
	rel := func(a, b float64) float64 { return math.Abs(a-b) / math.Max(math.Abs(a), 1e-2) }
	for s := range res[0] {
		g, o := res[0][s], res[1][s]
		if rel(g.LossD, o.LossD) > 1e-3 || rel(g.LossG, o.LossG) > 1e-3 || rel(g.Penalty, o.Penalty) > 1e-3 {
			t.Errorf("step %d: Go backend %+v, ONNX Runtime %+v", s+1, g, o)
		}
	}
}

// TestResumeBitExact trains 4 steps straight, and 2 steps + checkpoint + resume + 2 steps: every
// variable (weights and Adam moments) and every step result must be identical to the bit.
func TestResumeBitExact(t *testing.T) {
	b := goBackend(t)
	straight, data := tinyTrainer(t, b)
	var want []StepResult
	for range 4 {
		r, err := straight.TrainStep(data)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, r)
	}
	first, _ := tinyTrainer(t, b)
	for range 2 {
		if _, err := first.TrainStep(data); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if _, err := first.Save(dir, 1); err != nil {
		t.Fatal(err)
	}
	resumed, err := Resume(b, dir)
	if err != nil {
		t.Fatal(err)
	}
	for s := 2; s < 4; s++ {
		r, err := resumed.TrainStep(data)
		if err != nil {
			t.Fatal(err)
		}
		if r != want[s] {
			t.Errorf("step %d: resumed %+v, straight %+v", s+1, r, want[s])
		}
	}
	if resumed.Steps() != 4 {
		t.Errorf("resumed at %d steps, want 4", resumed.Steps())
	}
	compared := 0
	for v := range straight.Store().IterVariables() {
		rv := resumed.Store().GetVariable(v.Path())
		if rv == nil {
			t.Errorf("variable %s missing after resume", v.Path())
			continue
		}
		a, _ := v.Value()
		c, _ := rv.Value()
		av, cv := tensors.MustCopyFlatData[float32](a), tensors.MustCopyFlatData[float32](c)
		for i := range av {
			if math.Float32bits(av[i]) != math.Float32bits(cv[i]) {
				t.Errorf("%s[%d]: straight %v, resumed %v", v.Path(), i, av[i], cv[i])
				break
			}
		}
		compared++
	}
	if compared != 3*len(params(straight.Config)) {
		t.Errorf("compared %d variables, want %d (weights and two Adam moments each)", compared, 3*len(params(straight.Config)))
	}
}

// TestTrainResumesAndSamples trains through Train with checkpoints, continues a longer run from the
// checkpoint, refuses a checkpoint of other data, and samples n series per class shaped like the data.
func TestTrainResumesAndSamples(t *testing.T) {
	b := goBackend(t)
	ds := tinySeries(8, 20, 1)
	cfg := tinyConfig()
	cfg.Steps = 4
	dir := t.TempDir()
	var log strings.Builder
	if _, _, err := Train(context.Background(), b, cfg, ds, dir, &log); err != nil {
		t.Fatal(err)
	}
	cfg.Steps = 6
	tr, _, err := Train(context.Background(), b, cfg, ds, dir, &log)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(log.String(), "resumed") || tr.Steps() != 6 {
		t.Errorf("second run at step %d, log:\n%s\nwant a resume to step 6", tr.Steps(), log.String())
	}
	if all, _ := Checkpoints(dir); len(all) != 1 || !strings.HasSuffix(all[0], "step-000000006") {
		t.Errorf("checkpoints %v, want only step 6", all)
	}
	if _, _, err := Train(context.Background(), b, cfg, tinySeries(8, 20, 2), dir, nil); err == nil || !strings.Contains(err.Error(), "other data") {
		t.Errorf("resume on other data: error %v, want one saying so", err)
	}
	gen, err := tr.Sample([]int{3, 2}, 1, "gen")
	if err != nil {
		t.Fatal(err)
	}
	s, err := SeriesOf(gen)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Series) != 5 || s.Y[0] != 0 || s.Y[4] != 1 || len(s.Series[0]) != 20 || gen.Classes[1] != ds.Classes[1] {
		t.Fatalf("sampled %d series, labels %v, length %d, classes %v", len(s.Series), s.Y, len(s.Series[0]), gen.Classes)
	}
	for _, row := range s.Series {
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("sampled value %v", v)
			}
		}
	}
	again, _ := tr.Sample([]int{3, 2}, 1, "gen")
	if a, _ := SeriesOf(again); !equal(a.Series[3], s.Series[3]) {
		t.Error("sampling with one seed twice gave different series")
	}
}

// TestResumeRejectsDamagedCheckpoints: a truncated state file, a state whose normalisation, batch order
// or network size does not fit, GoMLX metadata claiming more data than the .bin holds, a truncated
// .bin and an empty folder are errors naming the problem, not panics or large allocations.
func TestResumeRejectsDamagedCheckpoints(t *testing.T) {
	b := goBackend(t)
	tr, _ := tinyTrainer(t, b)
	dir := t.TempDir()
	folder, err := tr.Save(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(folder, stateFile)
	raw, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	metas, _ := filepath.Glob(filepath.Join(folder, "checkpoint-*.json"))
	bins, _ := filepath.Glob(filepath.Join(folder, "checkpoint-*.bin"))
	if len(metas) != 1 || len(bins) != 1 {
		t.Fatalf("checkpoint files %v %v", metas, bins)
	}
	meta, _ := os.ReadFile(metas[0])
	bin, _ := os.ReadFile(bins[0])
	for _, c := range []struct {
		name, file, body, want string
	}{
		{"truncated state", state, string(raw[:len(raw)/2]), "corrupt"},
		{"bad norm", state, strings.Replace(string(raw), `"ExtraMin": [`, `"ExtraMin": [7, `, 1), "normalisation"},
		{"order out of range", state, strings.Replace(string(raw), `"order": null`, `"order": [99999]`, 1), "batch order"},
		{"huge network", state, strings.Replace(string(raw), `"GenUnits": `, `"GenUnits": 1000000000`, 1), "at most"},
		{"shape claim", metas[0], strings.Replace(string(meta), "\"Dimensions\": [", "\"Dimensions\": [100000, 100000,", 1), "claims shape"},
		{"truncated bin", bins[0], string(bin[:len(bin)/2]), "damaged"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := os.WriteFile(c.file, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			defer func() {
				os.WriteFile(state, raw, 0o644)
				os.WriteFile(metas[0], meta, 0o644)
				os.WriteFile(bins[0], bin, 0o644)
			}()
			if _, err := Resume(b, dir); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Resume: %v, want an error mentioning %q", err, c.want)
			}
		})
	}
	if _, err := Resume(b, dir); err != nil {
		t.Errorf("the restored checkpoint no longer resumes: %v", err)
	}
	if _, err := Resume(b, t.TempDir()); err == nil || !strings.Contains(err.Error(), "no checkpoint") {
		t.Errorf("empty folder: %v", err)
	}
}

// FuzzResume writes arbitrary gan.json, GoMLX checkpoint JSON and .bin data into a checkpoint folder
// (seeded with a real tiny checkpoint's files): Resume must return a trainer or an error, never panic,
// and never accept variable data that is not in the .bin.
func FuzzResume(f *testing.F) {
	b := goBackend(f)
	cfg, data, err := Encode(tinyConfig(), tinySeries(8, 20, 1))
	if err != nil {
		f.Fatal(err)
	}
	tr, err := New(b, cfg, data.Meta)
	if err != nil {
		f.Fatal(err)
	}
	folder, err := tr.Save(f.TempDir(), 0)
	if err != nil {
		f.Fatal(err)
	}
	read := func(pattern string) []byte {
		m, _ := filepath.Glob(filepath.Join(folder, pattern))
		if len(m) != 1 {
			f.Fatalf("%s: %v", pattern, m)
		}
		raw, err := os.ReadFile(m[0])
		if err != nil {
			f.Fatal(err)
		}
		return raw
	}
	state, meta, bin := read(stateFile), read("checkpoint-*.json"), read("checkpoint-*.bin")
	f.Add(state, meta, bin)
	f.Add(state, meta, bin[:len(bin)/3])
	f.Add([]byte(`{"config":{"Fields":[{}],"Length":1,"NumClasses":1}}`), []byte(`{"Variables":[{"ParameterName":"a","Dimensions":[1000000,1000000],"DType":"Float32","Pos":0,"Length":4}]}`), []byte{1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, state, meta, bin []byte) {
		dir := filepath.Join(t.TempDir(), "step-000000001")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, stateFile), state, 0o644)
		os.WriteFile(filepath.Join(dir, "checkpoint-n0000001-20260101-000000-step-00000001.json"), meta, 0o644)
		os.WriteFile(filepath.Join(dir, "checkpoint-n0000001-20260101-000000-step-00000001.bin"), bin, 0o644)
		Resume(b, dir)
	})
}
