package trees

// boostParams are the tree-growing parameters of one boosting run.
type boostParams struct {
	maxDepth       int
	eta            float64
	lambda         float64
	minChildWeight float64
}

// binnedData is the quantised training matrix, feature-major: bins[j*n+i] is row i's bin of feature j.
type binnedData struct {
	bins    []uint8
	n, d    int
	binning *binning
}

// regNode is an internal node (feature >= 0) or a leaf with a weight.
type regNode struct {
	feature     int
	threshold   float64 // raw-value threshold: left when x <= threshold
	left, right int
	weight      float64
}

// regTree is one boosted regression tree; rowLeaf (training only) is each row's leaf.
type regTree struct {
	nodes   []regNode
	rowLeaf []int32
}

func (t *regTree) predict(x []float64) float64 {
	i := 0
	for t.nodes[i].feature >= 0 {
		n := &t.nodes[i]
		if x[n.feature] <= n.threshold {
			i = n.left
		} else {
			i = n.right
		}
	}
	return t.nodes[i].weight
}

// histogram holds interleaved (gradient, hessian) sums per (feature, bin): gh[2*(j*256+b)+{0,1}].
type histogram struct {
	gh []float64
}

func (hs *histogram) build(data *binnedData, rows []int32, grad, hess []float64) {
	clear(hs.gh)
	n := data.n
	for j := range data.d {
		col := data.bins[j*n : j*n+n]
		h := hs.gh[j*512 : j*512+512]
		for _, r := range rows {
			k := 2 * int(col[r])
			h[k] += grad[r]
			h[k+1] += hess[r]
		}
	}
}

// subtract sets hs = parent - other.
func (hs *histogram) subtract(parent, other *histogram) {
	for i, v := range parent.gh {
		hs.gh[i] = v - other.gh[i]
	}
}

// regBuilder grows one tree and recycles histogram memory between nodes.
type regBuilder struct {
	data       *binnedData
	grad, hess []float64
	p          boostParams
	tree       *regTree
	free       []*histogram
}

func (b *regBuilder) newHistogram() *histogram {
	if k := len(b.free); k > 0 {
		h := b.free[k-1]
		b.free = b.free[:k-1]
		return h
	}
	return &histogram{gh: make([]float64, b.data.d*512)}
}

func (b *regBuilder) release(h *histogram) {
	if h != nil {
		b.free = append(b.free, h)
	}
}

// growNode is a node waiting to be split; hist is nil when it will not be split.
type growNode struct {
	id    int
	depth int
	rows  []int32
	hist  *histogram
	g, h  float64
}

type regSplit struct {
	feature int
	bin     int
	gain    float64
}

// minGain is XGBoost's kRtEps: smaller loss reductions do not split.
const minGain = 1e-6

func growRegTree(data *binnedData, grad, hess []float64, p boostParams) *regTree {
	b := &regBuilder{data: data, grad: grad, hess: hess, p: p, tree: &regTree{rowLeaf: make([]int32, data.n)}}
	rows := make([]int32, data.n)
	for i := range rows {
		rows[i] = int32(i)
	}
	root := b.newNode(0, 0, rows)
	b.tree.nodes = append(b.tree.nodes, regNode{feature: -1})
	if b.needsHistogram(root) {
		root.hist = b.newHistogram()
		root.hist.build(data, rows, grad, hess)
	}
	level := []growNode{root}
	for len(level) > 0 {
		var next []growNode
		for _, node := range level {
			if b.splittable(node) {
				if s, ok := b.bestSplit(node); ok {
					next = append(next, b.split(node, s)...)
					continue
				}
			}
			b.makeLeaf(node)
		}
		level = next
	}
	return b.tree
}

func (b *regBuilder) newNode(id, depth int, rows []int32) growNode {
	var g, h float64
	for _, r := range rows {
		g += b.grad[r]
		h += b.hess[r]
	}
	return growNode{id: id, depth: depth, rows: rows, g: g, h: h}
}

// splittable reports whether a node may still be split: depth left and enough hessian for two children.
func (b *regBuilder) splittable(n growNode) bool {
	return n.depth < b.p.maxDepth && n.h >= 2*b.p.minChildWeight && len(n.rows) >= 2
}

// smallNode is the row count under which a node's split is found by sorting its rows per feature
// (O(d m log m)) instead of from a 256-bin histogram (O(256 d)).
// It is a variable so that tests can force either path.
var smallNode = 64

// needsHistogram reports whether a node's split search uses a histogram.
func (b *regBuilder) needsHistogram(n growNode) bool {
	return b.splittable(n) && len(n.rows) >= smallNode
}

func (b *regBuilder) makeLeaf(node growNode) {
	b.tree.nodes[node.id] = regNode{feature: -1, weight: -b.p.eta * node.g / (node.h + b.p.lambda)}
	for _, r := range node.rows {
		b.tree.rowLeaf[r] = int32(node.id)
	}
	b.release(node.hist)
}

// split partitions the node's rows and gives the children that may split again a histogram: the
// smaller one's built from its rows, the larger one's as parent minus smaller when both need one.
func (b *regBuilder) split(node growNode, s regSplit) []growNode {
	rows, col := node.rows, b.data.bins[s.feature*b.data.n:(s.feature+1)*b.data.n]
	i, j := 0, len(rows)-1
	for i <= j {
		if int(col[rows[i]]) <= s.bin {
			i++
		} else {
			rows[i], rows[j] = rows[j], rows[i]
			j--
		}
	}
	t := b.tree
	left := b.newNode(len(t.nodes), node.depth+1, rows[:i])
	right := b.newNode(len(t.nodes)+1, node.depth+1, rows[i:])
	t.nodes[node.id] = regNode{
		feature: s.feature, threshold: b.data.binning.cuts[s.feature][s.bin],
		left: left.id, right: right.id,
	}
	t.nodes = append(t.nodes, regNode{feature: -1}, regNode{feature: -1})
	small, large := &left, &right
	if len(left.rows) > len(right.rows) {
		small, large = &right, &left
	}
	needSmall, needLarge := b.needsHistogram(*small), b.needsHistogram(*large)
	if needSmall || needLarge {
		small.hist = b.newHistogram()
		small.hist.build(b.data, small.rows, b.grad, b.hess)
	}
	if needLarge {
		large.hist = node.hist // reuse the parent's memory
		large.hist.subtract(node.hist, small.hist)
	} else {
		b.release(node.hist)
	}
	if !needSmall {
		b.release(small.hist)
		small.hist = nil
	}
	return []growNode{left, right}
}

func (b *regBuilder) bestSplit(node growNode) (regSplit, bool) {
	if node.hist == nil {
		return b.bestSplitSorted(node)
	}
	p := b.p
	best := regSplit{feature: -1, gain: minGain}
	parent := node.g * node.g / (node.h + p.lambda)
	for j := range b.data.d {
		nb := b.data.binning.nBins(j)
		h := node.hist.gh[j*512 : j*512+2*nb]
		var gl, hl float64
		for bin := 0; bin < nb-1; bin++ {
			gl += h[2*bin]
			hl += h[2*bin+1]
			if hl < p.minChildWeight {
				continue
			}
			gr, hr := node.g-gl, node.h-hl
			if hr < p.minChildWeight {
				break // hr only shrinks from here
			}
			gain := gl*gl/(hl+p.lambda) + gr*gr/(hr+p.lambda) - parent
			if gain > best.gain {
				best = regSplit{feature: j, bin: bin, gain: gain}
			}
		}
	}
	return best, best.feature >= 0
}

// binGH is one row's bin of a feature with its gradient and hessian.
type binGH struct {
	bin  uint8
	g, h float64
}

// bestSplitSorted finds the same split as the histogram scan for a small node by sorting its rows by
// bin, feature by feature, and scanning the boundaries between distinct bins.
func (b *regBuilder) bestSplitSorted(node growNode) (regSplit, bool) {
	p := b.p
	best := regSplit{feature: -1, gain: minGain}
	parent := node.g * node.g / (node.h + p.lambda)
	buf := make([]binGH, len(node.rows))
	n := b.data.n
	for j := range b.data.d {
		col := b.data.bins[j*n : j*n+n]
		for i, r := range node.rows {
			buf[i] = binGH{bin: col[r], g: b.grad[r], h: b.hess[r]}
		}
		insertionSortByBin(buf)
		var gl, hl float64
		for i := 0; i < len(buf)-1; i++ {
			gl += buf[i].g
			hl += buf[i].h
			if buf[i+1].bin == buf[i].bin || hl < p.minChildWeight {
				continue
			}
			gr, hr := node.g-gl, node.h-hl
			if hr < p.minChildWeight {
				break
			}
			gain := gl*gl/(hl+p.lambda) + gr*gr/(hr+p.lambda) - parent
			if gain > best.gain || gain == best.gain && j == best.feature && int(buf[i].bin) < best.bin {
				best = regSplit{feature: j, bin: int(buf[i].bin), gain: gain}
			}
		}
	}
	return best, best.feature >= 0
}

// insertionSortByBin sorts by bin, stably; fast for the small slices it gets.
func insertionSortByBin(v []binGH) {
	for i := 1; i < len(v); i++ {
		x := v[i]
		j := i
		for j > 0 && v[j-1].bin > x.bin {
			v[j] = v[j-1]
			j--
		}
		v[j] = x
	}
}
