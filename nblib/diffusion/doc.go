// Package diffusion is the denoising diffusion process of NetDiffus, independent of any network:
// noise schedules, the forward (noising) process, the epsilon-prediction training target and the
// DDPM, DDIM, Heun (EDM) and DPM-Solver++(2M) samplers. It is pure Go with float64 coefficients; the network enters only as a
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
// # Few-step ODE samplers
//
// Deterministic DDIM is Euler's method on the probability-flow ODE. Write sigma_t = sqrt(1/abar_t - 1)
// and y = x_t / sqrt(abar_t) = x_0 + sigma_t eps (the "variance-exploding" variable of Karras et al.
// 2022). The ODE is
//
//	dy/dsigma = (y - D(y; sigma)) / sigma = eps_theta,    D(y; sigma) = x_0 estimate at the step of sigma
//
// and a DDIM step (eta 0) is y_next = y + (sigma_next - sigma) eps_theta. The network was trained on
// the T discrete steps only, so both samplers below evaluate it at schedule steps, as DDIM does: the
// step list tau (increasing) gives sigma_i = sigma_{tau_i}, the sampler runs from the top step down to
// sigma = 0 (abar = 1: the last step returns the x_0 estimate, as the respaced DDIM), and the network
// is called on x_t = sqrt(abar_t) y at original steps. With clipping, x_0 is clamped to [-1, 1] and the
// slope re-derived from it, eps' = (y - x_0) / sigma. Every sampler starts from x ~ N(0, I) at the top
// step, i.e. y = x / sqrt(abar_top).
//
// [Heun] (EDM, Karras et al. 2022, Algorithms 1 and 2): with d_i = eps'(y_i; sigma_i),
//
//	y~ = y_i + (sigma_{i+1} - sigma_i) d_i,  y_{i+1} = y_i + (sigma_{i+1} - sigma_i) (d_i + eps'(y~; sigma_{i+1}))/2
//
// except the last step (to sigma = 0), which is the Euler step: 2n - 1 network calls for n steps
// ([NetworkCalls]). The churn S_churn (SampleConfig.Churn) raises the noise before each step:
// gamma = min(S_churn/n, sqrt(2) - 1), sigma^ = sigma_i (1 + gamma) rounded to the step of nearest log
// sigma at or above tau_i (EDM's round_sigma for discrete models), y^ = y_i + sqrt(sigma^^2 -
// sigma_i^2) z, and the step starts from (y^, sigma^). Heun takes [Karras] steps only
// ([Schedule.KarrasSteps]): sigma_i evenly spaced in sigma^(1/7) from min(80, sigma_{T-1}) down to
// sigma_0 and rounded to steps. From the top step of the other spacings, sigma_{T-1} = 2e4 on the
// 1000-step cosine schedule, one trapezoid step to sigma about 3 diverges (the slope changes by a
// factor of 1e4 along it); at sigma = 80 the data's share of x_t's variance is below 1/6400.
//
// [DPMSolver2M] (DPM-Solver++(2M), Lu et al. 2022) works in x_t with alpha = sqrt(abar),
// s = sqrt(1 - abar) and lambda = log(alpha / s). With x_0 estimates D_i and h_i = lambda_{i+1} -
// lambda_i,
//
//	x_{i+1} = (s_{i+1} / s_i) x_i - alpha_{i+1} (e^{-h_i} - 1) (D_i + (D_i - D_{i-1}) / (2 r_i)),  r_i = h_{i-1} / h_i
//
// where the first step uses D_i alone (DDIM) and the last, to abar = 1, returns D_i: n calls for n
// steps, on any spacing.
//
// With one step all three return the clipped x_0 estimate at the top step. On Gaussian data the ODE's
// solution is closed form, y(sigma) - mu proportional to sqrt(s^2 + sigma^2): the tests find Heun and
// DPM-Solver++ converge to it at second order (error / 4.3 to 4.9 per doubling of the steps) and DDIM
// at first order (/ 2.0).
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
// On the two-mode mixture of the tests (70% at -0.8 with sd 0.1, 30% at 0.6 with sd 0.2: GASF-like
// dark and bright pixels) with its exact denoiser and clipping, W1 to the data (4000 samples; two
// draws of the data differ by about 0.006): DDPM-1000 0.008; DPM-Solver++(2M) on Karras steps 0.091,
// 0.026, 0.015, 0.012 at 10, 18, 25 and 50 calls, on trailing steps 0.047 and 0.030 at 10 and 18;
// Heun 0.26, 0.099, 0.035, 0.013 at 9, 17, 25 and 49 calls. Sharp modes need small steps at low
// noise, where the Karras steps are dense; the ODE samplers' errors are discretisation, which the
// stochastic samplers partly wash out.
//
// # Learned variance
//
// With [Learned], the denoiser returns 2C channels: eps and v in [-1, 1], and DDPM uses
// log sigma^2 = f log beta_t + (1 - f) log(posterior variance), f = (v + 1)/2
// ([Schedule.LearnedLogVariance]). [NormalKL] and [DiscretizedGaussianLogLikelihood] are the terms of
// the variational bound used by the hybrid loss (float64 references for the graph version in unet).
package diffusion
