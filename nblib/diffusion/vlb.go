package diffusion

import "math"

// LearnedLogVariance interpolates the reverse-process log variance of step t between the posterior
// variance (v = -1) and beta_t (v = +1), as guided-diffusion's learned-range variance:
// log sigma^2 = f log(beta_t) + (1 - f) log(posterior variance, clipped), f = (v + 1)/2.
func (s *Schedule) LearnedLogVariance(t int, v float64) float64 {
	f := (v + 1) / 2
	return f*math.Log(s.Betas[t]) + (1-f)*s.PosteriorLogVarianceClipped[t]
}

// NormalKL returns KL(N(mean1, exp(logVar1)) || N(mean2, exp(logVar2))) in nats, for one dimension.
func NormalKL(mean1, logVar1, mean2, logVar2 float64) float64 {
	d := mean1 - mean2
	return 0.5 * (-1 + logVar2 - logVar1 + math.Exp(logVar1-logVar2) + d*d*math.Exp(-logVar2))
}

// approxStandardNormalCDF is the tanh approximation of the standard normal CDF used by
// guided-diffusion's discretized_gaussian_log_likelihood.
func approxStandardNormalCDF(x float64) float64 {
	return 0.5 * (1 + math.Tanh(math.Sqrt(2/math.Pi)*(x+0.044715*x*x*x)))
}

// DiscretizedGaussianLogLikelihood returns log P(x) in nats for a value x of an 8-bit image rescaled
// to [-1, 1], under N(mean, exp(2 logScale)) discretised to bins of width 2/255 (the edge bins
// extend to infinity). This is the decoder term L_0 of the variational bound.
func DiscretizedGaussianLogLikelihood(x, mean, logScale float64) float64 {
	c := x - mean
	inv := math.Exp(-logScale)
	cdfPlus := approxStandardNormalCDF(inv * (c + 1.0/255))
	cdfMin := approxStandardNormalCDF(inv * (c - 1.0/255))
	logCdfPlus := math.Log(math.Max(cdfPlus, 1e-12))
	logOneMinusCdfMin := math.Log(math.Max(1-cdfMin, 1e-12))
	switch {
	case x < -0.999:
		return logCdfPlus
	case x > 0.999:
		return logOneMinusCdfMin
	}
	return math.Log(math.Max(cdfPlus-cdfMin, 1e-12))
}
