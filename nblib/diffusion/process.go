package diffusion

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// QSample draws x_t ~ q(x_t | x_0) = N(sqrt(abar_t) x_0, (1 - abar_t) I) using the given noise:
// x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) noise. t holds one step per example. It panics when the
// shapes of x0 and noise differ or len(t) is not the batch size (programmer error).
func (s *Schedule) QSample(x0 Array, t []int, noise Array) Array {
	mustMatch("QSample", x0, noise, t)
	out := NewArray(x0.Shape...)
	n := x0.ExampleSize()
	for b, step := range t {
		ca, cn := float32(s.SqrtAlphasCumprod[step]), float32(s.SqrtOneMinusAlphasCumprod[step])
		for i := b * n; i < (b+1)*n; i++ {
			out.Data[i] = ca*x0.Data[i] + cn*noise.Data[i]
		}
	}
	return out
}

// PredictX0FromEps inverts the forward process for a predicted noise:
// x_0 = x_t / sqrt(abar_t) - sqrt(1/abar_t - 1) eps.
func (s *Schedule) PredictX0FromEps(xt Array, t []int, eps Array) Array {
	return s.combine("PredictX0FromEps", xt, eps, t, func(k int) (float64, float64) { return s.SqrtRecipAlphasCumprod[k], -s.SqrtRecipM1AlphasCumprod[k] })
}

// PosteriorMean returns the mean of q(x_{t-1} | x_t, x_0) = coef1_t x_0 + coef2_t x_t; its variance
// is PosteriorVariance[t].
func (s *Schedule) PosteriorMean(x0, xt Array, t []int) Array {
	return s.combine("PosteriorMean", x0, xt, t, func(k int) (float64, float64) { return s.PosteriorMeanCoef1[k], s.PosteriorMeanCoef2[k] })
}

// combine returns a x + b y for each example, (a, b) = coef(t[i]) for example i, in float64 and rounded
// once to float32: the form of every map between x_0, x_t, eps and v.
func (s *Schedule) combine(op string, x, y Array, t []int, coef func(step int) (a, b float64)) Array {
	mustMatch(op, x, y, t)
	out := NewArray(x.Shape...)
	n := x.ExampleSize()
	for e, step := range t {
		a, b := coef(step)
		for i := e * n; i < (e+1)*n; i++ {
			out.Data[i] = float32(a*float64(x.Data[i]) + b*float64(y.Data[i]))
		}
	}
	return out
}

// TrainingExample is one batch of the epsilon-prediction objective: the network sees (Noisy, Steps,
// Labels) and is trained to output Noise, with loss mean((eps_theta - Noise)^2).
type TrainingExample struct {
	Noisy  Array // x_t
	Steps  []int // t, uniform in [0, T)
	Noise  Array // eps ~ N(0, I), the regression target
	Labels []int // class labels, possibly replaced by a null class for classifier-free guidance
}

// MakeTrainingExample draws t uniformly in [0, T) and eps ~ N(0, I) for each example of x0 and forms
// x_t. When nullLabel >= 0 each label is replaced by nullLabel with probability dropProb (label
// dropout for classifier-free guidance). All randomness comes from rng, so a seeded rng gives a
// reproducible batch.
func (s *Schedule) MakeTrainingExample(x0 Array, labels []int, rng *rand.Rand, nullLabel int, dropProb float64) TrainingExample {
	if len(labels) != x0.Batch() {
		panic(fmt.Sprintf("diffusion: MakeTrainingExample: %d labels for batch %d", len(labels), x0.Batch()))
	}
	steps := make([]int, x0.Batch())
	for i := range steps {
		steps[i] = rng.IntN(s.Steps())
	}
	noise := NewArray(x0.Shape...)
	noise.FillNormal(rng)
	out := append([]int(nil), labels...)
	if nullLabel >= 0 && dropProb > 0 {
		for i := range out {
			if rng.Float64() < dropProb {
				out[i] = nullLabel
			}
		}
	}
	return TrainingExample{Noisy: s.QSample(x0, steps, noise), Steps: steps, Noise: noise, Labels: out}
}

// EpsMSE returns mean((pred - target)^2) over every value: the simple loss of Ho et al.
func EpsMSE(pred, target Array) float64 {
	if !pred.SameShape(target) {
		panic(fmt.Sprintf("diffusion: EpsMSE: shapes %v and %v differ", pred.Shape, target.Shape))
	}
	var sum float64
	for i, p := range pred.Data {
		d := float64(p) - float64(target.Data[i])
		sum += d * d
	}
	return sum / float64(len(pred.Data))
}

func mustMatch(op string, a, b Array, t []int) {
	if !a.SameShape(b) {
		panic(fmt.Sprintf("diffusion: %s: shapes %v and %v differ", op, a.Shape, b.Shape))
	}
	if len(t) != a.Batch() {
		panic(fmt.Sprintf("diffusion: %s: %d steps for batch %d", op, len(t), a.Batch()))
	}
}

// clip clamps every value of a to [-1, 1] in place.
func clip(a Array) {
	for i, v := range a.Data {
		a.Data[i] = float32(math.Max(-1, math.Min(1, float64(v))))
	}
}
