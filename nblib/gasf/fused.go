package gasf

import (
	"runtime"
	"sync"
	"sync/atomic"
)

// The fused path evaluates the gamma-corrected field on the fly, one source
// row segment at a time, and feeds it into the same float32 INTER_AREA
// arithmetic as ResizeArea, in the same order, so every resized pixel is
// bit-identical to the exact path's. Memory: the series (O(L)), the output
// (O(S²)) and per worker a few rows of L values (O(L)), or for an integer
// shrink factor s = L/S two s×s offset tables and max(s², 64Ki) values.
//
// GASF is symmetric (G_ij = G_ji bit for bit, as float multiplication
// commutes), so each block of the field is evaluated once and serves output
// pixels (dy, dx) and (dx, dy); the transposed pixel is accumulated in the
// order OpenCV uses for that pixel's own row. In the weighted case the
// transposed horizontal sums depend only on the source column, so they are
// kept per column. GADF is antisymmetric and is evaluated in full.

// fusedArea returns the S×S resized gamma image of a unit-interval series.
func fusedArea(unit []float64, p Params) ([]float32, error) {
	plan, err := newAreaPlan(len(unit), p.Size)
	if err != nil {
		return nil, err
	}
	k := &fusedKernel{
		pol: toPolar(unit), kind: p.Kind, gamma: p.Gamma, amp: p.Amplitude,
		plan: plan, sym: p.Kind == GASF, out: make([]float32, p.Size*p.Size),
	}
	k.run(workerCount(p.Workers, p.Size))
	return k.out, nil
}

// workerCount bounds the goroutines by GOMAXPROCS and the number of bands.
func workerCount(want, bands int) int {
	w := runtime.GOMAXPROCS(0)
	if want > 0 && want < w {
		w = want
	}
	return max(1, min(w, bands))
}

// fusedKernel is one image being computed.
type fusedKernel struct {
	pol        polar
	kind       Kind
	gamma, amp float64
	plan       *areaPlan
	sym        bool
	out        []float32
}

// run computes the output bands (rows dy) on w goroutines. Workers claim
// chunks of consecutive bands (so a source row shared by two bands is
// evaluated once), in increasing dy: under symmetry the first bands carry
// the most work, which balances the load.
func (k *fusedKernel) run(w int) {
	size := k.plan.size
	chunk := max(1, size/(4*w))
	var next atomic.Int64
	work := func() {
		sc := k.newScratch()
		for {
			dy0 := int(next.Add(int64(chunk))) - chunk
			if dy0 >= size {
				return
			}
			for dy := dy0; dy < min(dy0+chunk, size); dy++ {
				if k.plan.fast > 0 {
					k.fastBand(dy, sc)
				} else {
					k.weightedBand(dy, sc)
				}
			}
		}
	}
	if w == 1 {
		work()
		return
	}
	var wg sync.WaitGroup
	for range w {
		wg.Go(work)
	}
	wg.Wait()
}

// scratch is one worker's buffers.
type scratch struct {
	work        [rowGroup][]float32 // weighted path: rows being built
	keep        []float32           // weighted path: last row of the previous band
	keepRow     int                 // source row held in keep, -1 if none
	keepFrom    int                 // first column held in keep
	acc, colAcc []float32           // weighted path accumulators
	h           [rowGroup][]float32 // weighted path: horizontal sums per row
	chunk       []float32           // fast path: s rows of a chunk of blocks
	rowMajor    []int32             // fast path: block offsets, row-major
	colMajor    []int32             // fast path: block offsets, column-major
	stride      int                 // fast path: row stride the offsets are for
}

// rowGroup is how many source rows the weighted path handles together
// (independent summation chains keep the FPU busy).
const rowGroup = 8

func (k *fusedKernel) newScratch() *scratch {
	p := k.plan
	if p.fast > 0 {
		ss := p.fast * p.fast
		return &scratch{rowMajor: make([]int32, ss), colMajor: make([]int32, ss), chunk: make([]float32, max(1, fastChunk/ss)*ss)}
	}
	sc := &scratch{keep: make([]float32, p.n), keepRow: -1, acc: make([]float32, p.size), colAcc: make([]float32, p.n)}
	for i := range sc.work {
		sc.work[i] = make([]float32, p.n)
		sc.h[i] = make([]float32, p.size)
	}
	return sc
}

// row writes the gamma-corrected field values (i, j) for j in [from, to)
// into dst, with the same float64 expression as Gamma(Field(...)).
func (k *fusedKernel) row(i, from, to int, dst []float32) {
	c, s := k.pol.c, k.pol.s
	dst = dst[:to-from]
	if k.kind == GASF && k.gamma == 0.25 {
		gasfRowQuarter(c[i], s[i], k.amp, c[from:to], s[from:to], dst)
		return
	}
	f := gammaFunc(k.gamma, k.amp)
	for j := range dst {
		dst[j] = float32(f(k.pol.at(k.kind, i, from+j)))
	}
}

// sourceRow returns the values of source row i from column from to the
// end, reusing the row kept from the previous band when it is the same row,
// else computing it into work slot q.
func (k *fusedKernel) sourceRow(i, from, q int, sc *scratch) []float32 {
	if i == sc.keepRow && from >= sc.keepFrom {
		return sc.keep[from-sc.keepFrom : k.plan.n-sc.keepFrom]
	}
	k.row(i, from, k.plan.n, sc.work[q])
	return sc.work[q][:k.plan.n-from]
}

// keepLast remembers the band's last source row (computed in slot q) for
// the next band.
func (sc *scratch) keepLast(i, from, q int) {
	if i == sc.keepRow && from >= sc.keepFrom {
		return // it came from keep (see sourceRow)
	}
	sc.work[q], sc.keep = sc.keep, sc.work[q]
	sc.keepRow, sc.keepFrom = i, from
}

// weightedBand computes output row dy (and, under symmetry, column dy below
// the diagonal) for a fractional shrink factor. For each source row r of
// the band (weight beta_r) and output column dx (weights alpha_t over
// consecutive source columns) OpenCV computes b = sum_t alpha_t v_r[t]
// left to right and acc[dx] += beta_r*b in row order; rows are taken
// rowGroup at a time so that their b chains run side by side.
func (k *fusedKernel) weightedBand(dy int, sc *scratch) {
	p := k.plan
	rows := p.entries(dy)
	colStart, dxFrom, tFrom := 0, 0, p.n
	if k.sym {
		colStart, dxFrom = rows[0].si, dy
		if dy+1 < p.size {
			tFrom = p.first[dy+1]
		}
	}
	acc, colAcc := sc.acc, sc.colAcc[:p.n-tFrom]
	var vals [rowGroup][]float32
	nr := 0
	for r0 := 0; r0 < len(rows); r0 += nr {
		nr = min(rowGroup, len(rows)-r0)
		for q := range nr {
			vals[q] = k.sourceRow(rows[r0+q].si, colStart, q, sc)
		}
		k.directSums(rows[r0:r0+nr], r0 == 0, vals[:nr], colStart, dxFrom, acc, &sc.h)
		for q := range nr {
			if len(colAcc) == 0 {
				break
			}
			v := vals[q][tFrom-colStart:]
			if r0+q == 0 {
				clear(colAcc)
			}
			accumulateRow(colAcc, v, rows[r0+q].alpha)
		}
	}
	sc.keepLast(rows[len(rows)-1].si, colStart, nr-1)
	copy(k.out[dy*p.size+dxFrom:(dy+1)*p.size], acc[dxFrom:])
	if len(colAcc) == 0 {
		return
	}
	for dx := dy + 1; dx < p.size; dx++ {
		v := colAcc[p.first[dx]-tFrom:]
		al := p.alpha[p.ofs[dx]:p.ofs[dx+1]]
		t := al[0] * v[0]
		for e := 1; e < len(al); e++ {
			t += float32(al[e] * v[e])
		}
		k.out[dx*p.size+dy] = t
	}
}

// directSums adds the rows' contributions to acc[dx] for dx >= dxFrom:
// first the horizontal sums h_q[dx] of each row (independent chains side by
// side), then acc[dx] += beta_q*h_q[dx] row after row, element-wise as
// OpenCV does; first means the first row of the band (acc is assigned).
func (k *fusedKernel) directSums(rows []areaWeight, first bool, vals [][]float32, colStart, dxFrom int, acc []float32, h *[rowGroup][]float32) {
	p := k.plan
	for dx := dxFrom; dx < p.size; dx++ {
		off := p.first[dx] - colStart
		al := p.alpha[p.ofs[dx]:p.ofs[dx+1]]
		q := 0
		for ; q+4 <= len(vals); q += 4 {
			h[q][dx], h[q+1][dx], h[q+2][dx], h[q+3][dx] = dot4(al, vals[q][off:], vals[q+1][off:], vals[q+2][off:], vals[q+3][off:])
		}
		if q+2 <= len(vals) {
			h[q][dx], h[q+1][dx] = dot2(al, vals[q][off:], vals[q+1][off:])
			q += 2
		}
		if q < len(vals) {
			h[q][dx] = dot(al, vals[q][off:])
		}
	}
	for q, yw := range rows {
		if first && q == 0 {
			clear(acc[dxFrom:])
		}
		accumulateRow(acc[dxFrom:], h[q][dxFrom:], yw.alpha)
	}
}

// dot is OpenCV's horizontal sum b += v[t]*al[t], left to right.
func dot(al, v []float32) float32 {
	v = v[:len(al)]
	var b float32
	for t, a := range al {
		b += float32(v[t] * a)
	}
	return b
}

// dot2 is dot for two rows at once (two independent chains).
func dot2(al, v0, v1 []float32) (b0, b1 float32) {
	n := len(al)
	v0, v1 = v0[:n], v1[:n]
	for t, a := range al {
		b0 += float32(v0[t] * a)
		b1 += float32(v1[t] * a)
	}
	return
}

// dot4 is dot for four rows at once (four independent chains).
func dot4(al, v0, v1, v2, v3 []float32) (b0, b1, b2, b3 float32) {
	n := len(al)
	v0, v1, v2, v3 = v0[:n], v1[:n], v2[:n], v3[:n]
	for t, a := range al {
		b0 += float32(v0[t] * a)
		b1 += float32(v1[t] * a)
		b2 += float32(v2[t] * a)
		b3 += float32(v3[t] * a)
	}
	return
}

// fastChunk bounds the source values (float32) a worker evaluates at once
// on the integer-factor path: s rows by as many s-wide blocks as fit.
const fastChunk = 1 << 16

// fastBand computes output row dy (and, under symmetry, column dy below the
// diagonal) for an integer shrink factor s: the s source rows of the band
// are evaluated over a chunk of blocks at a time, then each s×s block is
// reduced in OpenCV's order, row-major for pixel (dy, dx) and column-major
// for the mirrored pixel (dx, dy).
func (k *fusedKernel) fastBand(dy int, sc *scratch) {
	p, s := k.plan, k.plan.fast
	simd := simdColumns(p.size, s)
	dxFrom := 0
	if k.sym {
		dxFrom = dy
	}
	per := max(1, fastChunk/(s*s)) // blocks per chunk
	for dx0 := dxFrom; dx0 < p.size; dx0 += per {
		dx1 := min(dx0+per, p.size)
		w := (dx1 - dx0) * s
		for r := range s {
			k.row(dy*s+r, dx0*s, dx1*s, sc.chunk[r*w:])
		}
		sc.setStride(s, w)
		for dx := dx0; dx < dx1; dx++ {
			block := sc.chunk[(dx-dx0)*s : (s-1)*w+(dx-dx0+1)*s]
			k.out[dy*p.size+dx] = blockMeanAt(block, sc.rowMajor, dx < simd)
			if k.sym && dx != dy {
				k.out[dx*p.size+dy] = blockMeanAt(block, sc.colMajor, dy < simd)
			}
		}
	}
}

// setStride prepares the element offsets of an s×s block stored with row
// stride w, in row-major and in column-major order.
func (sc *scratch) setStride(s, w int) {
	if sc.stride == w {
		return
	}
	sc.stride = w
	for r := range s {
		for c := range s {
			sc.rowMajor[r*s+c] = int32(r*w + c)
			sc.colMajor[r*s+c] = int32(c*w + r)
		}
	}
}
