package unet

import (
	"math"

	. "github.com/gomlx/gomlx/core/graph" //nolint:revive // GoMLX graph code reads best with dot-import.
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/netdiffus/netdiffus/nblib/diffusion"
)

// Columns of the per-example coefficient matrix fed to the hybrid loss.
const (
	coefMean0      = iota // c1_t: weight of x_0 in the posterior mean
	coefMeanT             // c2_t: weight of x_t in the posterior mean
	coefPostLogVar        // clipped log posterior variance
	coefLogBeta           // log beta_t
	coefRecip             // 1/sqrt(abar_t)
	coefRecipM1           // sqrt(1/abar_t - 1)
	coefFirst             // 1 when t = 0 (decoder term), else 0
	coefSqrtAbar          // sqrt(abar_t)
	coefSqrt1mAbar        // sqrt(1 - abar_t)
	numCoefs
)

// stepCoefficients returns the [B, numCoefs] float32 tensor of schedule coefficients of each step.
func stepCoefficients(s *diffusion.Schedule, steps []int) *tensors.Tensor {
	c := make([]float32, len(steps)*numCoefs)
	for b, t := range steps {
		row := c[b*numCoefs : (b+1)*numCoefs]
		row[coefMean0] = float32(s.PosteriorMeanCoef1[t])
		row[coefMeanT] = float32(s.PosteriorMeanCoef2[t])
		row[coefPostLogVar] = float32(s.PosteriorLogVarianceClipped[t])
		row[coefLogBeta] = float32(math.Log(s.Betas[t]))
		row[coefRecip] = float32(s.SqrtRecipAlphasCumprod[t])
		row[coefRecipM1] = float32(s.SqrtRecipM1AlphasCumprod[t])
		if t == 0 {
			row[coefFirst] = 1
		}
		row[coefSqrtAbar] = float32(s.SqrtAlphasCumprod[t])
		row[coefSqrt1mAbar] = float32(s.SqrtOneMinusAlphasCumprod[t])
	}
	return tensors.FromFlatDataAndDimensions(c, len(steps), numCoefs)
}

// splitOutput splits a learned-sigma output [B, ..., 2C] into eps and v, each [B, ..., C].
func splitOutput(pred *Node) (eps, v *Node) {
	last := pred.Rank() - 1
	c := pred.Shape().Dimensions[last] / 2
	return SliceAxis(pred, last, AxisRange(0, c)), SliceAxis(pred, last, AxisRange(c, 2*c))
}

// coefColumn returns column k of the [B, numCoefs] coefficients, shaped [B, 1, ...] to broadcast
// over an example of like's rank.
func coefColumn(coefs, like *Node, k int) *Node {
	c := SliceAxis(coefs, 1, AxisRange(k, k+1))
	dims := make([]int, like.Rank())
	for i := range dims {
		dims[i] = 1
	}
	dims[0] = like.Shape().Dimensions[0]
	return Reshape(c, dims...)
}

// predictedX0 returns the network's x_0 estimate, with its gradient stopped, from its mean output
// (eps, or v for PredictV): (x_t - sqrt(1 - abar) eps) / sqrt(abar), or sqrt(abar) x_t - sqrt(1 - abar) v.
func predictedX0(mean, noisy, coefs *Node, p diffusion.Prediction) *Node {
	mean = StopGradient(mean)
	col := func(k int) *Node { return coefColumn(coefs, noisy, k) }
	if p == diffusion.PredictV {
		return Sub(Mul(col(coefSqrtAbar), noisy), Mul(col(coefSqrt1mAbar), mean))
	}
	return Sub(Mul(col(coefRecip), noisy), Mul(col(coefRecipM1), mean))
}

// hybridVLB returns guided-diffusion's variational-bound term L_vlb for each example, in bits per
// dimension: KL(q(x_{t-1}|x_t,x_0) || p(x_{t-1}|x_t)) for t > 0 and the discretised-Gaussian decoder
// NLL for t = 0. The mean of p comes from predX0, whose gradient is stopped (predictedX0), so this
// term trains only the variance output v (learned range between the posterior variance and beta_t).
func hybridVLB(predX0, v, noisy, x0, coefs *Node) *Node {
	col := func(k int) *Node { return coefColumn(coefs, noisy, k) }
	modelMean := Add(Mul(col(coefMean0), predX0), Mul(col(coefMeanT), noisy))
	trueMean := Add(Mul(col(coefMean0), x0), Mul(col(coefMeanT), noisy))
	frac := MulScalar(AddScalar(v, 1), 0.5)
	trueLogVar := col(coefPostLogVar)
	modelLogVar := Add(Mul(frac, col(coefLogBeta)), Mul(OneMinus(frac), trueLogVar))
	d := Sub(trueMean, modelMean)
	kl := MulScalar(Add(Add(AddScalar(Sub(modelLogVar, trueLogVar), -1), Exp(Sub(trueLogVar, modelLogVar))),
		Mul(Square(d), Exp(Neg(modelLogVar)))), 0.5)
	nll := Neg(discretizedGaussianLogLikelihood(x0, modelMean, MulScalar(modelLogVar, 0.5)))
	axes := make([]int, noisy.Rank()-1)
	for i := range axes {
		axes[i] = i + 1
	}
	klMean, nllMean := ReduceMean(kl, axes...), ReduceMean(nll, axes...)
	first := Reshape(SliceAxis(coefs, 1, AxisRange(coefFirst, coefFirst+1)), -1)
	vb := Where(GreaterThan(first, ScalarZero(first.Graph(), first.DType())), nllMean, klMean)
	return MulScalar(vb, 1/math.Ln2)
}

// discretizedGaussianLogLikelihood is diffusion.DiscretizedGaussianLogLikelihood on graph nodes.
func discretizedGaussianLogLikelihood(x, mean, logScale *Node) *Node {
	centered := Sub(x, mean)
	inv := Exp(Neg(logScale))
	cdfPlus := approxStandardNormalCDF(Mul(inv, AddScalar(centered, 1.0/255)))
	cdfMin := approxStandardNormalCDF(Mul(inv, AddScalar(centered, -1.0/255)))
	floor := func(n *Node) *Node { return Log(MaxScalar(n, 1e-12)) }
	logCdfPlus := floor(cdfPlus)
	logOneMinusCdfMin := floor(OneMinus(cdfMin))
	logDelta := floor(Sub(cdfPlus, cdfMin))
	g := x.Graph()
	low := LessThan(x, Scalar(g, x.DType(), -0.999))
	high := GreaterThan(x, Scalar(g, x.DType(), 0.999))
	return Where(low, logCdfPlus, Where(high, logOneMinusCdfMin, logDelta))
}

func approxStandardNormalCDF(x *Node) *Node {
	inner := MulScalar(Add(x, MulScalar(Mul(x, Square(x)), 0.044715)), math.Sqrt(2/math.Pi))
	return MulScalar(OnePlus(Tanh(inner)), 0.5)
}
