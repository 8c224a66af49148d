package diffusion

import (
	"fmt"
	"math"
)

// ScheduleKind names a noise schedule.
type ScheduleKind string

const (
	// Linear is the schedule of Ho et al. (2020), rescaled to the number of steps as in improved-diffusion:
	// beta runs linearly from 0.0001*1000/T to 0.02*1000/T.
	Linear ScheduleKind = "linear"
	// Cosine is the schedule of Nichol & Dhariwal (2021):
	// abar(t) = cos^2(((t/T)+0.008)/1.008 * pi/2), beta_t = min(1 - abar(t+1)/abar(t), 0.999).
	Cosine ScheduleKind = "cosine"
)

// MaxBeta is the upper clip applied to cosine-schedule betas (improved-diffusion's value), which
// keeps the last steps from being pure noise with an infinite signal-to-noise jump.
const MaxBeta = 0.999

// Schedule holds a discrete diffusion process of T steps and every per-step coefficient the forward
// process, the loss and the samplers need. All values are float64; index t runs from 0 to T-1, where
// t = 0 is the least noisy step.
type Schedule struct {
	Kind  ScheduleKind
	Betas []float64 // beta_t

	AlphasCumprod     []float64 // abar_t = prod_{s<=t} (1 - beta_s)
	AlphasCumprodPrev []float64 // abar_{t-1}, with abar_{-1} = 1

	SqrtAlphasCumprod           []float64 // sqrt(abar_t)
	SqrtOneMinusAlphasCumprod   []float64 // sqrt(1 - abar_t)
	SqrtRecipAlphasCumprod      []float64 // 1/sqrt(abar_t)
	SqrtRecipM1AlphasCumprod    []float64 // sqrt(1/abar_t - 1)
	PosteriorVariance           []float64 // beta_t (1 - abar_{t-1}) / (1 - abar_t)
	PosteriorLogVarianceClipped []float64 // log posterior variance, with step 0 replaced by step 1's value
	PosteriorMeanCoef1          []float64 // coefficient of x_0 in the posterior mean
	PosteriorMeanCoef2          []float64 // coefficient of x_t in the posterior mean
}

// NewSchedule returns the schedule of the given kind with steps steps. It returns an error for an
// unknown kind or steps < 1.
func NewSchedule(kind ScheduleKind, steps int) (*Schedule, error) {
	if steps < 1 {
		return nil, fmt.Errorf("diffusion: schedule needs at least 1 step, got %d", steps)
	}
	var betas []float64
	switch kind {
	case Linear:
		betas = linearBetas(steps)
	case Cosine:
		betas = cosineBetas(steps)
	default:
		return nil, fmt.Errorf("diffusion: unknown schedule %q (use %q or %q)", kind, Linear, Cosine)
	}
	return scheduleFromBetas(kind, betas), nil
}

// MustSchedule is NewSchedule for arguments known to be valid; it panics on error.
func MustSchedule(kind ScheduleKind, steps int) *Schedule {
	s, err := NewSchedule(kind, steps)
	if err != nil {
		panic(err)
	}
	return s
}

// Steps returns T, the number of diffusion steps.
func (s *Schedule) Steps() int { return len(s.Betas) }

func linearBetas(steps int) []float64 {
	scale := 1000 / float64(steps)
	start, end := scale*0.0001, scale*0.02
	betas := make([]float64, steps)
	for i := range betas {
		if steps == 1 {
			betas[i] = start
			continue
		}
		betas[i] = start + (end-start)*float64(i)/float64(steps-1)
	}
	return betas
}

func cosineAlphaBar(t float64) float64 {
	c := math.Cos((t + 0.008) / 1.008 * math.Pi / 2)
	return c * c
}

func cosineBetas(steps int) []float64 {
	betas := make([]float64, steps)
	for i := range betas {
		t1, t2 := float64(i)/float64(steps), float64(i+1)/float64(steps)
		betas[i] = math.Min(1-cosineAlphaBar(t2)/cosineAlphaBar(t1), MaxBeta)
	}
	return betas
}

func scheduleFromBetas(kind ScheduleKind, betas []float64) *Schedule {
	n := len(betas)
	s := &Schedule{Kind: kind, Betas: betas}
	mk := func() []float64 { return make([]float64, n) }
	s.AlphasCumprod, s.AlphasCumprodPrev = mk(), mk()
	s.SqrtAlphasCumprod, s.SqrtOneMinusAlphasCumprod = mk(), mk()
	s.SqrtRecipAlphasCumprod, s.SqrtRecipM1AlphasCumprod = mk(), mk()
	s.PosteriorVariance, s.PosteriorLogVarianceClipped = mk(), mk()
	s.PosteriorMeanCoef1, s.PosteriorMeanCoef2 = mk(), mk()
	prod := 1.0
	for t, beta := range betas {
		s.AlphasCumprodPrev[t] = prod
		prod *= 1 - beta
		ab, abPrev := prod, s.AlphasCumprodPrev[t]
		s.AlphasCumprod[t] = ab
		s.SqrtAlphasCumprod[t] = math.Sqrt(ab)
		s.SqrtOneMinusAlphasCumprod[t] = math.Sqrt(1 - ab)
		s.SqrtRecipAlphasCumprod[t] = math.Sqrt(1 / ab)
		s.SqrtRecipM1AlphasCumprod[t] = math.Sqrt(1/ab - 1)
		s.PosteriorVariance[t] = beta * (1 - abPrev) / (1 - ab)
		s.PosteriorMeanCoef1[t] = beta * math.Sqrt(abPrev) / (1 - ab)
		s.PosteriorMeanCoef2[t] = (1 - abPrev) * math.Sqrt(1-beta) / (1 - ab)
	}
	for t := range betas {
		v := s.PosteriorVariance[t]
		if t == 0 && n > 1 {
			v = s.PosteriorVariance[1]
		}
		s.PosteriorLogVarianceClipped[t] = math.Log(v)
	}
	return s
}
