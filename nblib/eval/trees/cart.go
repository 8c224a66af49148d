package trees

import (
	"math/rand/v2"
	"slices"
)

// cartConfig holds the stopping rules of one CART tree.
type cartConfig struct {
	maxFeatures, maxDepth, minLeaf int
}

// cartNode is an internal node (feature >= 0) or a leaf (feature < 0, probs set).
type cartNode struct {
	feature     int
	threshold   float64 // go left when x[feature] <= threshold
	left, right int
	probs       []float64
}

// cart is a fitted classification tree; node 0 is the root.
type cart struct {
	nodes []cartNode
}

func (t *cart) leafValue(x []float64) []float64 {
	i := 0
	for t.nodes[i].feature >= 0 {
		n := &t.nodes[i]
		if x[n.feature] <= n.threshold {
			i = n.left
		} else {
			i = n.right
		}
	}
	return t.nodes[i].probs
}

// cartBuilder holds the scratch space of one tree.
type cartBuilder struct {
	cols   *rankedColumns
	y      []int
	k      int
	cfg    cartConfig
	rng    *rand.Rand
	tree   *cart
	buf    []uint64
	left   []float64
	right  []float64
	perm   []int
	counts []float64
}

// featureThreshold is sklearn's FEATURE_THRESHOLD: values closer than this are not split apart.
const featureThreshold = 1e-7

func growCART(cols *rankedColumns, y []int, k int, idx []int32, cfg cartConfig, rng *rand.Rand) *cart {
	b := &cartBuilder{
		cols: cols, y: y, k: k, cfg: cfg, rng: rng, tree: &cart{},
		buf: make([]uint64, len(idx)), left: make([]float64, k), right: make([]float64, k),
		perm: make([]int, len(cols.rank)), counts: make([]float64, k),
	}
	b.grow(idx, 0)
	return b.tree
}

// grow adds the subtree for rows idx and returns its node index.
func (b *cartBuilder) grow(idx []int32, depth int) int {
	id := len(b.tree.nodes)
	b.tree.nodes = append(b.tree.nodes, cartNode{feature: -1})
	counts := b.classCounts(idx)
	if depth >= b.cfg.maxDepth || len(idx) < 2*b.cfg.minLeaf || isPure(counts) {
		b.tree.nodes[id].probs = normalised(counts)
		return id
	}
	feature, threshold, ok := b.bestSplit(idx, counts)
	if !ok {
		b.tree.nodes[id].probs = normalised(counts)
		return id
	}
	mid := partition(idx, b.cols.rank[feature], b.cols.values[feature], threshold)
	l := b.grow(idx[:mid], depth+1)
	r := b.grow(idx[mid:], depth+1)
	b.tree.nodes[id] = cartNode{feature: feature, threshold: threshold, left: l, right: r}
	return id
}

func (b *cartBuilder) classCounts(idx []int32) []float64 {
	c := make([]float64, b.k)
	for _, i := range idx {
		c[b.y[i]]++
	}
	return c
}

// bestSplit draws features at random until maxFeatures non-constant ones were tried.
func (b *cartBuilder) bestSplit(idx []int32, counts []float64) (int, float64, bool) {
	for j := range b.perm {
		b.perm[j] = j
	}
	bestScore, bestFeature, bestThreshold := -1.0, -1, 0.0
	tried := 0
	for drawn := 0; drawn < len(b.perm) && tried < b.cfg.maxFeatures; drawn++ {
		r := drawn + b.rng.IntN(len(b.perm)-drawn)
		b.perm[drawn], b.perm[r] = b.perm[r], b.perm[drawn]
		f := b.perm[drawn]
		score, thr, constant := b.scanFeature(idx, counts, f)
		if constant {
			continue
		}
		tried++
		if score > bestScore {
			bestScore, bestFeature, bestThreshold = score, f, thr
		}
	}
	return bestFeature, bestThreshold, bestFeature >= 0
}

// scanFeature sorts the node by feature f and returns the best gini proxy sum l^2/nL + r^2/nR.
// Rows are sorted as packed keys rank<<32 | label, so the sort compares plain integers.
func (b *cartBuilder) scanFeature(idx []int32, counts []float64, f int) (best, threshold float64, constant bool) {
	rank, values := b.cols.rank[f], b.cols.values[f]
	buf := b.buf[:len(idx)]
	for i, r := range idx {
		buf[i] = uint64(rank[r])<<32 | uint64(b.y[r])
	}
	slices.Sort(buf)
	value := func(i int) float64 { return values[buf[i]>>32] }
	if value(len(buf)-1) <= value(0)+featureThreshold {
		return 0, 0, true
	}
	clear(b.left)
	copy(b.right, counts)
	var sumL2, sumR2 float64
	for _, c := range counts {
		sumR2 += c * c
	}
	n, minLeaf := len(buf), b.cfg.minLeaf
	best = -1
	for i := 0; i < n-1; i++ {
		c := buf[i] & 0xffffffff
		// Update the sums of squares incrementally as one row moves from right to left.
		sumL2 += 2*b.left[c] + 1
		sumR2 -= 2*b.right[c] - 1
		b.left[c]++
		b.right[c]--
		nl := i + 1
		if buf[i+1]>>32 == buf[i]>>32 || nl < minLeaf || n-nl < minLeaf {
			continue
		}
		lo, hi := value(i), value(i+1)
		if hi <= lo+featureThreshold {
			continue
		}
		if s := sumL2/float64(nl) + sumR2/float64(n-nl); s > best {
			best = s
			threshold = lo/2 + hi/2
			if threshold == hi { // rounding: keep the right value on the right
				threshold = lo
			}
		}
	}
	return best, threshold, false
}

// partition moves rows with col <= threshold to the front and returns how many there are.
func partition(idx []int32, rank []uint32, values []float64, threshold float64) int {
	i, j := 0, len(idx)-1
	for i <= j {
		if values[rank[idx[i]]] <= threshold {
			i++
		} else {
			idx[i], idx[j] = idx[j], idx[i]
			j--
		}
	}
	return i
}

func isPure(counts []float64) bool {
	nonzero := 0
	for _, c := range counts {
		if c > 0 {
			nonzero++
		}
	}
	return nonzero <= 1
}

func normalised(counts []float64) []float64 {
	var s float64
	for _, c := range counts {
		s += c
	}
	out := make([]float64, len(counts))
	for i, c := range counts {
		out[i] = c / s
	}
	return out
}

// rankedColumns stores each feature as dense ranks into its sorted distinct values, so that sorting
// a node's rows is an integer sort.
type rankedColumns struct {
	rank   [][]uint32  // [feature][row]
	values [][]float64 // [feature][rank], ascending distinct
}

func rankColumns(cols [][]float64) *rankedColumns {
	rc := &rankedColumns{rank: make([][]uint32, len(cols)), values: make([][]float64, len(cols))}
	for j, col := range cols {
		distinct := slices.Clone(col)
		slices.Sort(distinct)
		distinct = slices.Compact(distinct)
		r := make([]uint32, len(col))
		for i, v := range col {
			k, _ := slices.BinarySearch(distinct, v)
			r[i] = uint32(k)
		}
		rc.rank[j], rc.values[j] = r, distinct
	}
	return rc
}
