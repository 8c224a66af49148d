package gasf

import (
	"fmt"
	"math"
	"sync"
)

// This file reproduces OpenCV 4.6's cv::resize(INTER_AREA) on single-channel
// float32 images (imgproc/src/resize.cpp), bit for bit on x86-64 builds with
// an SSE2 baseline (4 float lanes), such as Debian's:
//
//   - integer shrink factor s (|1/(S/L) - round| < DBL_EPSILON): the mean of
//     each s×s block, summed in row-major order in chunks of four,
//     sum += ((a+b)+c)+d, then multiplied by float32(1/s²); for s = 2 the
//     SIMD kernel computes ((a+b)+(c+d))*0.25 for the first 4⌊S/4⌋ columns;
//   - otherwise fractional coverage weights (computeResizeAreaTab), a row
//     buffer buf[dx] += src*alpha, and per output row sum += beta*buf.
//
// All arithmetic is float32 like OpenCV's; explicit conversions keep Go from
// fusing multiply-adds.

// areaWeight is one entry of OpenCV's DecimateAlpha table: source index si
// contributes alpha to destination index di.
type areaWeight struct {
	di, si int
	alpha  float32
}

// areaPlan describes the INTER_AREA resampling of n source samples to size
// destination samples along one axis (the plan is the same for both axes of
// a square image).
type areaPlan struct {
	n, size int
	fast    int          // integer shrink factor, or 0 for the weighted path
	tab     []areaWeight // weighted path: entries sorted by di, then si
	ofs     []int        // weighted path: entries of di are tab[ofs[di]:ofs[di+1]]
	first   []int        // weighted path: first source index of each di
	alpha   []float32    // weighted path: tab's weights, for contiguous loops
}

// planCache keeps recent plans (they are immutable): a batch of equal-length
// traces computes its table once. It is cleared when it holds planCacheMax.
var planCache struct {
	sync.Mutex
	m map[[2]int]*areaPlan
}

const planCacheMax = 64

// newAreaPlan returns the (cached) plan for n -> size.
func newAreaPlan(n, size int) (*areaPlan, error) {
	planCache.Lock()
	p, ok := planCache.m[[2]int{n, size}]
	planCache.Unlock()
	if ok {
		return p, nil
	}
	p, err := computeAreaPlan(n, size)
	if err != nil {
		return nil, err
	}
	planCache.Lock()
	if len(planCache.m) >= planCacheMax || planCache.m == nil {
		planCache.m = map[[2]int]*areaPlan{}
	}
	planCache.m[[2]int{n, size}] = p
	planCache.Unlock()
	return p, nil
}

// computeAreaPlan computes OpenCV's scale, fast-path test and weight table.
func computeAreaPlan(n, size int) (*areaPlan, error) {
	if size < 1 || size > n {
		return nil, fmt.Errorf("%w: size %d for a series of length %d; area resizing only shrinks, so pick 1 <= size <= length or pad the series", ErrSize, size, n)
	}
	inv := float64(size) / float64(n)
	scale := 1 / inv
	is := int(math.RoundToEven(scale)) // saturate_cast<int>(double) uses cvRound
	p := &areaPlan{n: n, size: size}
	if math.Abs(scale-float64(is)) < 0x1p-52 {
		p.fast = is
		return p, nil
	}
	p.tab = areaTable(n, size, scale)
	p.ofs = make([]int, size+1)
	d := 0
	for k, w := range p.tab {
		if k == 0 || w.di != p.tab[k-1].di {
			p.ofs[d] = k
			d++
		}
	}
	p.ofs[size] = len(p.tab)
	p.first = make([]int, size)
	p.alpha = make([]float32, len(p.tab))
	for k, w := range p.tab {
		p.alpha[k] = w.alpha
		if k == p.ofs[w.di] {
			p.first[w.di] = w.si
		} else if w.si != p.tab[k-1].si+1 {
			panic("gasf: area table sources are not contiguous") // OpenCV's table always is
		}
	}
	return p, nil
}

// areaTable is OpenCV's computeResizeAreaTab for one channel.
func areaTable(ssize, dsize int, scale float64) []areaWeight {
	tab := make([]areaWeight, 0, 2*ssize)
	for dx := range dsize {
		fsx1 := float64(dx) * scale
		fsx2 := fsx1 + scale
		cellWidth := math.Min(scale, float64(ssize)-fsx1)
		sx1, sx2 := int(math.Ceil(fsx1)), int(math.Floor(fsx2))
		sx2 = min(sx2, ssize-1)
		sx1 = min(sx1, sx2)
		if float64(sx1)-fsx1 > 1e-3 {
			tab = append(tab, areaWeight{dx, sx1 - 1, float32((float64(sx1) - fsx1) / cellWidth)})
		}
		for sx := sx1; sx < sx2; sx++ {
			tab = append(tab, areaWeight{dx, sx, float32(1.0 / cellWidth)})
		}
		if fsx2-float64(sx2) > 1e-3 {
			tab = append(tab, areaWeight{dx, sx2, float32(math.Min(math.Min(fsx2-float64(sx2), 1), cellWidth) / cellWidth)})
		}
	}
	return tab
}

// entries returns the weights of destination index d (weighted path).
func (p *areaPlan) entries(d int) []areaWeight { return p.tab[p.ofs[d]:p.ofs[d+1]] }

// ResizeArea shrinks the n×n float32 image src (row-major) to size×size
// exactly as OpenCV 4.6 cv::resize(src, (size, size), INTER_AREA) does. It
// returns ErrSize unless 1 <= size <= n and panics if len(src) != n*n.
func ResizeArea(src []float32, n, size int) ([]float32, error) {
	if len(src) != n*n {
		panic(fmt.Sprintf("gasf.ResizeArea: len(src) = %d, want %d*%d", len(src), n, n))
	}
	p, err := newAreaPlan(n, size)
	if err != nil {
		return nil, err
	}
	dst := make([]float32, size*size)
	if p.fast > 0 {
		resizeFast(src, dst, p)
	} else {
		resizeWeighted(src, dst, p)
	}
	return dst, nil
}

// resizeFast is resizeAreaFast_Invoker<float, float, ResizeAreaFastVec_SIMD_32f>.
func resizeFast(src, dst []float32, p *areaPlan) {
	s, n, size := p.fast, p.n, p.size
	block := make([]float32, s*s)
	for dy := range size {
		for dx := range size {
			for r := range s {
				copy(block[r*s:(r+1)*s], src[(dy*s+r)*n+dx*s:])
			}
			dst[dy*size+dx] = blockMean(block, s, dx < simdColumns(size, s))
		}
	}
}

// simdColumns is how many leading output columns OpenCV's 4-lane SSE kernel
// handles (only for the 2×2 case); the rest use the scalar loop.
func simdColumns(size, s int) int {
	if s != 2 {
		return 0
	}
	return size - size%4
}

// blockMean is the area-fast reduction of one s×s block given row-major.
func blockMean(b []float32, s int, simd bool) float32 {
	if simd { // ((row0 pair) + (row1 pair)) * 0.25
		return ((b[0] + b[1]) + (b[2] + b[3])) * 0.25
	}
	area := s * s
	var sum float32
	k := 0
	for ; k <= area-4; k += 4 {
		sum += ((b[k] + b[k+1]) + b[k+2]) + b[k+3]
	}
	for ; k < area; k++ {
		sum += b[k]
	}
	return sum * (1 / float32(area))
}

// blockMeanAt is blockMean of the block whose k-th element (in OpenCV's
// order) is b[at[k]].
func blockMeanAt(b []float32, at []int32, simd bool) float32 {
	if simd {
		return ((b[at[0]] + b[at[1]]) + (b[at[2]] + b[at[3]])) * 0.25
	}
	var sum float32
	k := 0
	for ; k <= len(at)-4; k += 4 {
		sum += ((b[at[k]] + b[at[k+1]]) + b[at[k+2]]) + b[at[k+3]]
	}
	for ; k < len(at); k++ {
		sum += b[at[k]]
	}
	return sum * (1 / float32(len(at)))
}

// resizeWeighted is ResizeArea_Invoker<float, float> for one channel.
func resizeWeighted(src, dst []float32, p *areaPlan) {
	n, size := p.n, p.size
	buf := make([]float32, size)
	sum := make([]float32, size)
	for dy := range size {
		for j, yw := range p.entries(dy) {
			row := src[yw.si*n : (yw.si+1)*n]
			clear(buf)
			for _, xw := range p.tab {
				buf[xw.di] += float32(row[xw.si] * xw.alpha)
			}
			for dx := range size {
				if j == 0 {
					sum[dx] = yw.alpha * buf[dx]
				} else {
					sum[dx] += float32(yw.alpha * buf[dx])
				}
			}
		}
		copy(dst[dy*size:], sum)
	}
}
