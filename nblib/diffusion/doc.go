// Package diffusion is the denoising diffusion process of NetDiffus, independent of any network:
// noise schedules, the forward (noising) process, the epsilon-prediction training target and the
// DDPM and DDIM samplers. It is pure Go with float64 coefficients; the network enters only as a
// [Denoiser] function, so every sampler is testable with a closed-form denoiser (the tests use the
// exact noise predictor of Gaussian data). The network, its training loop and checkpoints live in
// the subpackage unet.
//
// # Forward process
//
// With betas beta_0..beta_{T-1} and abar_t = prod_{s<=t} (1 - beta_s) (t counts from 0, the least
// noisy step):
//
//	q(x_t | x_0) = N(sqrt(abar_t) x_0, (1 - abar_t) I)        (Schedule.QSample)
//
// Schedules (improved-diffusion's get_named_beta_schedule):
//
//	linear: beta_t from 0.0001*1000/T to 0.02*1000/T, evenly spaced
//	cosine: abar(u) = cos^2((u + 0.008)/1.008 * pi/2),  beta_t = min(1 - abar((t+1)/T)/abar(t/T), 0.999)
//
// # Training target
//
// Draw t uniformly in [0, T) and eps ~ N(0, I), form x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps
// and regress the network on eps: L = E ||eps - eps_theta(x_t, t, y)||^2 (Ho et al. 2020, "simple"
// loss; [Schedule.MakeTrainingExample]). For classifier-free guidance the label y is replaced by a
// null class with a small probability.
//
// A network may instead predict v = sqrt(abar_t) eps - sqrt(1 - abar_t) x_0 ([PredictV], Salimans &
// Ho 2022; [Schedule.VTarget]). The two carry the same information,
//
//	eps = sqrt(abar_t) v + sqrt(1 - abar_t) x_t,    x_0 = sqrt(abar_t) x_t - sqrt(1 - abar_t) v,
//
// but not the same conditioning. From eps, x_0 = (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t)
// multiplies the network's error by sqrt(1/abar_t - 1): about 2e4 at the last step of the cosine
// schedule, 14 where abar_t = 0.005. The eps loss weights an error in x_0 by the signal-to-noise
// ratio abar_t / (1 - abar_t), so an eps network barely learns x_0 at the noisiest steps, and the
// samplers commit to that estimate there; the v loss weights it by 1/(1 - abar_t) >= 1.
// [Schedule.VDenoiser] turns a v network into an eps [Denoiser], so every sampler is unchanged.
//
// # Reverse process
//
// The posterior of one step is Gaussian:
//
//	q(x_{t-1} | x_t, x_0) = N(c1_t x_0 + c2_t x_t, sigma_t^2 I)
//	c1_t = beta_t sqrt(abar_{t-1}) / (1 - abar_t),  c2_t = (1 - abar_{t-1}) sqrt(1 - beta_t) / (1 - abar_t)
//	sigma_t^2 = beta_t (1 - abar_{t-1}) / (1 - abar_t)
//
// Both samplers first estimate x_0 = (x_t - sqrt(1 - abar_t) eps_theta) / sqrt(abar_t) (optionally
// clipped to [-1, 1]).
//
// DDPM (ancestral, [DDPM]): x_{t-1} = c1_t x_0 + c2_t x_t + sigma_t z, with sigma_t^2 the posterior
// variance ([FixedSmall]) or beta_t ([FixedLarge]); no noise at the last step.
//
// DDIM ([DDIM], Song et al. 2021) on a subsequence of steps tau_i (by default floor(i T / S)):
//
//	x_prev = sqrt(abar_prev) x_0 + sqrt(1 - abar_prev - s^2) eps' + s z,
//	s = eta sqrt((1 - abar_prev)/(1 - abar_t)) sqrt(1 - abar_t/abar_prev)
//	eps' = (x_t / sqrt(abar_t) - x_0) / sqrt(1/abar_t - 1)
//
// eps' is the noise re-derived from the (clipped) x_0, improved-diffusion's _predict_eps_from_xstart;
// without clipping it equals eps_theta. With the raw eps_theta and a clipped x_0 the step mixes two
// inconsistent estimates.
//
// Sampling with fewer steps uses the respaced schedule beta'_i = 1 - abar_{tau_i}/abar_{tau_{i-1}}
// ([Schedule.Respace]), as improved-diffusion, so abar_prev = 1 at the last step and the sample is the
// final x_0 estimate; the denoiser is always called with original steps. [Spacing] picks tau:
// [Leading] floor(i T/S) (improved-diffusion's "ddimS": the first reverse step is T - T/S, e.g. 980
// for S = 50, not T - 1), [Trailing] (starts at T - 1, Lin et al. 2024) or [Linspace] (0 to T - 1).
//
// Classifier-free guidance ([Guided]): eps = eps(x, t, null) + w (eps(x, t, y) - eps(x, t, null));
// for a learned-variance model only the eps half is guided and v comes from the conditional call.
//
// # Data layout and reproducibility
//
// An [Array] is a flat float32 slice with a shape whose first axis is the batch: images are
// [B, H, W, C] (channels last), series [B, L, C]. [Schedule.SampleClasses] draws per-class counts
// (a balanced synthetic dataset is equal counts) in batches; batch k uses the random stream
// PCG(seed, k), so a seed, the counts and the batch size determine the output.
//
// # Accuracy of the samplers
//
// For Gaussian data each sampler step is affine in x_t, so its output moments have a closed form
// (the tests compare sampled moments with it, and it with the data). With the exact denoiser the
// means are exact; variances are lost on very narrow data (s = 0.05 in [-1, 1] units): DDPM-1000
// "fixed small" loses 14%, "fixed large" is within 1.2%, DDIM-50 (eta 0) loses 39%; for s >= 0.3
// DDIM-50 is within 9%. These are properties of the methods, not of the implementation;
// guided-diffusion learns the variance to close this gap ([Learned], unet.NetConfig.LearnSigma).
//
// # Learned variance
//
// With [Learned], the denoiser returns 2C channels: eps and v in [-1, 1], and DDPM uses
// log sigma^2 = f log beta_t + (1 - f) log(posterior variance), f = (v + 1)/2
// ([Schedule.LearnedLogVariance]). [NormalKL] and [DiscretizedGaussianLogLikelihood] are the terms of
// the variational bound used by the hybrid loss (float64 references for the graph version in unet).
package diffusion
