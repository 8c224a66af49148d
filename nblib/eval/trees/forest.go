package trees

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/netdiffus/netdiffus/nblib/eval/classify"
	"gonum.org/v1/gonum/mat"
)

// RandomForest is a bagged ensemble of CART gini trees; the zero value uses scikit-learn's defaults
// (100 fully grown trees, sqrt(d) features per split, bootstrap).
type RandomForest struct {
	NTrees         int    // trees; 0 means 100
	MaxFeatures    int    // features tried per split; 0 means floor(sqrt(d))
	MaxDepth       int    // 0 means unlimited
	MinSamplesLeaf int    // 0 means 1
	Seed           uint64 // tree t uses PCG(Seed, t)
	Workers        int    // parallel trees; 0 means GOMAXPROCS
	// Progress, when set, is called after each tree with the number done and the total.
	Progress func(done, total int)

	trees []*cart
	k, d  int
}

// Fit grows the forest.
func (f *RandomForest) Fit(x *mat.Dense, y []int) error {
	k, err := classify.CheckTraining(x, y)
	if err != nil {
		return err
	}
	n, d := x.Dims()
	f.k, f.d = k, d
	cfg := f.cartConfig(d)
	cols := rankColumns(columns(x))
	nt := cmpOr(f.NTrees, 100)
	f.trees = make([]*cart, nt)
	work := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for range max(1, cmpOr(f.Workers, runtime.GOMAXPROCS(0))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for t := range work {
				rng := rand.New(rand.NewPCG(f.Seed, uint64(t)))
				f.trees[t] = growCART(cols, y, k, bootstrap(n, rng), cfg, rng)
				if f.Progress != nil {
					mu.Lock()
					done++
					f.Progress(done, nt)
					mu.Unlock()
				}
			}
		}()
	}
	for t := range nt {
		work <- t
	}
	close(work)
	wg.Wait()
	return nil
}

func (f *RandomForest) cartConfig(d int) cartConfig {
	mf := f.MaxFeatures
	if mf <= 0 {
		mf = max(1, int(math.Sqrt(float64(d))))
	}
	return cartConfig{
		maxFeatures: min(mf, d),
		maxDepth:    cmpOr(f.MaxDepth, math.MaxInt),
		minLeaf:     cmpOr(f.MinSamplesLeaf, 1),
	}
}

// PredictProba averages the leaf class fractions over the trees.
func (f *RandomForest) PredictProba(x *mat.Dense) (*mat.Dense, error) {
	if f.trees == nil {
		return nil, fmt.Errorf("trees: RandomForest used before Fit")
	}
	if err := classify.CheckPredict(x, f.d); err != nil {
		return nil, err
	}
	n, _ := x.Dims()
	out := mat.NewDense(n, f.k, nil)
	for i := range n {
		row, dst := x.RawRowView(i), out.RawRowView(i)
		for _, t := range f.trees {
			for c, p := range t.leafValue(row) {
				dst[c] += p
			}
		}
		for c := range dst {
			dst[c] /= float64(len(f.trees))
		}
	}
	return out, nil
}

func bootstrap(n int, rng *rand.Rand) []int32 {
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(rng.IntN(n))
	}
	return idx
}

// columns copies x column-major so that a feature's values are contiguous.
func columns(x *mat.Dense) [][]float64 {
	n, d := x.Dims()
	cols := make([][]float64, d)
	for j := range cols {
		cols[j] = make([]float64, n)
	}
	for i := range n {
		for j, v := range x.RawRowView(i) {
			cols[j][i] = v
		}
	}
	return cols
}

func cmpOr(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}
