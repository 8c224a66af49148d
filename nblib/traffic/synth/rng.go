package synth

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
)

// newRand returns a generator for one (seed, stream, index) triple, so that
// each video, site or trace draws from its own stream and adding traces
// does not change the earlier ones.
func newRand(seed uint64, stream string, idx ...int) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(stream))
	for _, i := range idx {
		var b [8]byte
		for k := range b {
			b[k] = byte(uint64(i) >> (8 * k))
		}
		h.Write(b[:])
	}
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// logNormal draws exp(N(ln(median), sigma^2)).
func logNormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// ar1 is an AR(1) process with unit-free stationary deviation sigma.
type ar1 struct {
	rho, sigma, x float64
}

func newAR1(r *rand.Rand, rho, sigma float64) *ar1 {
	return &ar1{rho: rho, sigma: sigma, x: sigma * r.NormFloat64()}
}

func (a *ar1) next(r *rand.Rand) float64 {
	a.x = a.rho*a.x + a.sigma*math.Sqrt(1-a.rho*a.rho)*r.NormFloat64()
	return a.x
}

// poisson draws a Poisson count (Knuth's method; fine for small means).
func poisson(r *rand.Rand, mean float64) int {
	if mean > 30 {
		return max(0, int(math.Round(mean+math.Sqrt(mean)*r.NormFloat64())))
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}
