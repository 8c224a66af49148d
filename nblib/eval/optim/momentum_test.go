package optim

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/netdiffus/netdiffus/nblib/internal/testbackend"
)

const repoRoot = "../../.."

// quadratic is L(w) = 1/2 sum_i a_i (w_i - c_i)^2, whose gradient is a_i (w_i - c_i).
type quadratic struct{ w0, a, c []float64 }

// runSteps applies steps optimizer updates to w (starting at q.w0, float64) and returns w after each.
func runSteps(t *testing.T, b compute.Backend, opt *Momentum, q quadratic, steps int) [][]float64 {
	t.Helper()
	store := model.NewStore()
	exec, err := model.NewExec(b, store, func(scope *model.Scope, g *graph.Graph) *graph.Node {
		scope.SetTraining(g, true) // as train.Trainer does: variables are parameters, not constants
		w := scope.VariableWithValue("w", q.w0).NodeValue(g)
		diff := graph.Sub(w, graph.Const(g, q.c))
		loss := graph.MulScalar(graph.ReduceAllSum(graph.Mul(graph.Const(g, q.a), graph.Square(diff))), 0.5)
		opt.UpdateGraph(scope, g, loss)
		return loss
	})
	if err != nil {
		t.Fatal(err)
	}
	var out [][]float64
	for range steps {
		if _, err := exec.Call(); err != nil {
			t.Fatal(err)
		}
		out = append(out, store.GetVariable("/w").MustValue().Value().([]float64))
	}
	return out
}

// reference is an independent float64 loop of the documented update.
func reference(opt *Momentum, q quadratic, steps int) [][]float64 {
	w := append([]float64(nil), q.w0...)
	v := make([]float64, len(w))
	var out [][]float64
	for range steps {
		for i := range w {
			g := q.a[i] * (w[i] - q.c[i])
			v[i] = opt.Momentum*v[i] + g
			d := v[i]
			if opt.Nesterov {
				d = g + opt.Momentum*v[i]
			}
			w[i] -= opt.LearningRate * d
		}
		out = append(out, append([]float64(nil), w...))
	}
	return out
}

// Steps worked out by hand for lr 0.1, mu 0.9 on w0 = (1, -2), a = (2, 0.5), c = (0, 1):
//
//	w_1: g = (2, -1.5),       v = (2, -1.5),        w = (0.8, -1.85)
//	w_2: g = (1.6, -1.425),   v = (3.4, -2.775),    w = (0.46, -1.5725)
//	w_3: g = (0.92, -1.28625), v = (3.98, -3.78375), w = (0.062, -1.194125)
//
// Variables are float64, so the graph's steps must equal the hand values to ~1e-12 (a few float64
// roundings of numbers of order 1); the tolerance is 1e-9 to leave room for fused multiply-adds.
func TestMomentumHandComputed(t *testing.T) {
	q := quadratic{w0: []float64{1, -2}, a: []float64{2, 0.5}, c: []float64{0, 1}}
	want := [][]float64{{0.8, -1.85}, {0.46, -1.5725}, {0.062, -1.194125}}
	testbackend.Run(t, repoRoot, func(t *testing.T, b compute.Backend) {
		got := runSteps(t, b, SGDMomentum(0.1, 0.9), q, len(want))
		compare(t, got, want, 1e-9)
	})
}

// The graph must match the independent loop for several settings over 20 steps (same 1e-9 float64
// tolerance); momentum 0 is plain gradient descent without GoMLX's default 1/sqrt(step) decay.
func TestMomentumMatchesReference(t *testing.T) {
	q := quadratic{w0: []float64{1, -2, 3, 0.5}, a: []float64{2, 0.5, 1, 4}, c: []float64{0, 1, -1, 0.25}}
	cases := []struct {
		name string
		opt  *Momentum
	}{
		{"plain-sgd", SGDMomentum(0.05, 0)},
		{"authors", SGDMomentum(0.01, 0.9)},
		{"heavy", SGDMomentum(0.1, 0.5)},
		{"nesterov", &Momentum{LearningRate: 0.05, Momentum: 0.9, Nesterov: true}},
	}
	testbackend.Run(t, repoRoot, func(t *testing.T, b compute.Backend) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				compare(t, runSteps(t, b, c.opt, q, 20), reference(c.opt, q, 20), 1e-9)
			})
		}
	})
}

// On the quadratic, momentum SGD must converge to the minimum c.
func TestMomentumConverges(t *testing.T) {
	q := quadratic{w0: []float64{5, -5}, a: []float64{1, 3}, c: []float64{1, 2}}
	got := runSteps(t, testbackend.Go(t), SGDMomentum(0.05, 0.9), q, 300)
	compare(t, got[len(got)-1:], [][]float64{q.c}, 1e-6) // contraction ~0.95^300 ≈ 2e-7 of the start
}

func TestMomentumClear(t *testing.T) {
	opt := SGDMomentum(0.1, 0.9)
	store := model.NewStore()
	exec, err := model.NewExec(testbackend.Go(t), store, func(scope *model.Scope, g *graph.Graph) *graph.Node {
		scope.SetTraining(g, true) // as train.Trainer does: variables are parameters, not constants
		w := scope.In("layer").VariableWithValue("w", []float64{1, 2}).NodeValue(g)
		loss := graph.ReduceAllSum(graph.Square(w))
		opt.UpdateGraph(scope, g, loss)
		return loss
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.Call(); err != nil {
		t.Fatal(err)
	}
	vel := store.GetVariable("/sgd_momentum/layer/w_velocity")
	if vel == nil {
		t.Fatal("no velocity variable at /sgd_momentum/layer/w_velocity")
	}
	// d/dw sum w^2 = 2w = (2, 4) at the first step, with zero initial velocity.
	compare(t, [][]float64{vel.MustValue().Value().([]float64)}, [][]float64{{2, 4}}, 1e-12)
	if err := opt.Clear(store.RootScope()); err != nil {
		t.Fatal(err)
	}
	if store.GetVariable("/sgd_momentum/layer/w_velocity") != nil {
		t.Error("Clear left the velocity variable")
	}
}

func TestSGDMomentumRejectsBadSettings(t *testing.T) {
	for _, c := range []struct{ lr, mu float64 }{{0, 0.9}, {-1, 0.9}, {0.1, 1}, {0.1, -0.1}, {math.NaN(), 0}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("SGDMomentum(%g, %g) did not panic", c.lr, c.mu)
				}
			}()
			SGDMomentum(c.lr, c.mu)
		}()
	}
}

func compare(t *testing.T, got, want [][]float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d steps, want %d", len(got), len(want))
	}
	for s := range want {
		for i := range want[s] {
			if math.Abs(got[s][i]-want[s][i]) > tol {
				t.Errorf("step %d, w[%d] = %.15g, want %.15g", s+1, i, got[s][i], want[s][i])
			}
		}
	}
}

// One step of the authors' setting on L(w) = w^2/2 from w = 1: g = 1, v = 1, w = 1 - 0.01 = 0.99.
func ExampleSGDMomentum() {
	b, err := compute.NewWithConfig("go")
	if err != nil {
		panic(err)
	}
	store := model.NewStore()
	opt := SGDMomentum(0.01, 0.9)
	exec, err := model.NewExec(b, store, func(scope *model.Scope, g *graph.Graph) *graph.Node {
		scope.SetTraining(g, true) // as train.Trainer does: variables are parameters, not constants
		w := scope.VariableWithValue("w", 1.0).NodeValue(g)
		loss := graph.MulScalar(graph.Square(w), 0.5)
		opt.UpdateGraph(scope, g, loss)
		return loss
	})
	if err != nil {
		panic(err)
	}
	for range 2 {
		if _, err := exec.Call(); err != nil {
			panic(err)
		}
		fmt.Printf("w = %.4f\n", store.GetVariable("/w").MustValue().Value().(float64))
	}
	// Output:
	// w = 0.9900
	// w = 0.9711
}

// Outside training mode the Go backend embeds variables as constants, so an update would be lost:
// UpdateGraph must refuse rather than train nothing.
func TestMomentumRefusesInferenceGraph(t *testing.T) {
	opt := SGDMomentum(0.1, 0.9)
	exec, err := model.NewExec(testbackend.Go(t), model.NewStore(), func(scope *model.Scope, g *graph.Graph) *graph.Node {
		w := scope.VariableWithValue("w", 1.0).NodeValue(g)
		loss := graph.Square(w)
		opt.UpdateGraph(scope, g, loss)
		return loss
	})
	if err == nil {
		err = callRecovering(exec)
	}
	if err == nil || !strings.Contains(err.Error(), "not in training mode") {
		t.Errorf("error %v, want one about training mode", err)
	}
}

// callRecovering runs exec once, turning a graph-building panic into an error.
func callRecovering(exec *model.Exec) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	_, err = exec.Call()
	return err
}
