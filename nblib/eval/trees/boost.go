package trees

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"gonum.org/v1/gonum/mat"
)

// GradientBoosting is histogram gradient boosting with a softmax objective; the zero value uses XGBoost's
// defaults (see the package doc). Training is deterministic (no row or column subsampling).
type GradientBoosting struct {
	Rounds         int     // boosting rounds; 0 means 100
	MaxDepth       int     // 0 means 6
	LearningRate   float64 // eta; 0 means 0.3
	Lambda         float64 // L2 penalty on leaf weights; 0 means 1 (use a tiny value for "none")
	MinChildWeight float64 // minimum hessian sum in a child; 0 means 1
	MaxBins        int     // at most 256; 0 means 256
	Workers        int     // parallel trees within a round; 0 means GOMAXPROCS
	// Progress, when set, is called after each round with the number done and the total.
	Progress func(done, total int)

	trees [][]*regTree // [round][class]
	k, d  int
}

// baseScore is XGBoost's starting raw score; a constant shift does not change the softmax.
const baseScore = 0.5

func (g *GradientBoosting) params() boostParams {
	return boostParams{
		maxDepth:       cmpOr(g.MaxDepth, 6),
		eta:            floatOr(g.LearningRate, 0.3),
		lambda:         floatOr(g.Lambda, 1),
		minChildWeight: floatOr(g.MinChildWeight, 1),
	}
}

// Fit runs the boosting rounds.
func (g *GradientBoosting) Fit(x *mat.Dense, y []int) error {
	k, err := classify.CheckTraining(x, y)
	if err != nil {
		return err
	}
	maxBins := cmpOr(g.MaxBins, 256)
	if maxBins > 256 {
		return fmt.Errorf("trees: MaxBins %d exceeds 256 (bins are stored as bytes)", maxBins)
	}
	n, d := x.Dims()
	g.k, g.d = k, d
	cols := columns(x)
	bins := newBinning(cols, maxBins)
	data := &binnedData{bins: bins.binColumns(cols), n: n, d: d, binning: bins}
	scores := make([]float64, n*k)
	for i := range scores {
		scores[i] = baseScore
	}
	rounds := cmpOr(g.Rounds, 100)
	p := g.params()
	grad, hess := make([][]float64, k), make([][]float64, k)
	for c := range k {
		grad[c], hess[c] = make([]float64, n), make([]float64, n)
	}
	workers := max(1, min(k, cmpOr(g.Workers, runtime.GOMAXPROCS(0))))
	g.trees = make([][]*regTree, rounds)
	for r := range rounds {
		softmaxGradients(scores, y, k, grad, hess)
		g.trees[r] = make([]*regTree, k)
		parallelFor(k, workers, func(c int) {
			g.trees[r][c] = growRegTree(data, grad[c], hess[c], p)
		})
		for c, t := range g.trees[r] {
			for i, leaf := range t.rowLeaf {
				scores[i*k+c] += t.nodes[leaf].weight
			}
			t.rowLeaf = nil
		}
		if g.Progress != nil {
			g.Progress(r+1, rounds)
		}
	}
	return nil
}

// softmaxGradients fills the per-class gradients and hessians of the multi-class log loss.
func softmaxGradients(scores []float64, y []int, k int, grad, hess [][]float64) {
	p := make([]float64, k)
	for i := range y {
		copy(p, scores[i*k:(i+1)*k])
		classify.SoftmaxInPlace(p)
		for c := range k {
			t := 0.0
			if y[i] == c {
				t = 1
			}
			grad[c][i] = p[c] - t
			hess[c][i] = max(2*p[c]*(1-p[c]), 1e-16)
		}
	}
}

// PredictProba returns softmax(baseScore + sum of the trees' outputs).
func (g *GradientBoosting) PredictProba(x *mat.Dense) (*mat.Dense, error) {
	if g.trees == nil {
		return nil, fmt.Errorf("trees: GradientBoosting used before Fit")
	}
	if err := classify.CheckPredict(x, g.d); err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	out := mat.NewDense(n, g.k, nil)
	for i := range n {
		row, dst := x.RawRowView(i), out.RawRowView(i)
		for c := range dst {
			dst[c] = baseScore
		}
		for _, round := range g.trees {
			for c, t := range round {
				dst[c] += t.predict(row)
			}
		}
		classify.SoftmaxInPlace(dst)
	}
	return out, nil
}

func parallelFor(n, workers int, f func(i int)) {
	work := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				f(i)
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
}

func floatOr(v, def float64) float64 {
	if v <= 0 || math.IsNaN(v) {
		return def
	}
	return v
}
