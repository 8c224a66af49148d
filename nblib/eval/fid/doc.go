// Package fid measures how far two feature sets are apart: the Frechet distance between Gaussians fitted
// to them (FID when the features are Inception-v3 pool features) and the kernel inception distance (KID).
//
// # Frechet distance
//
// For feature sets X1 (n1 x d) and X2 (n2 x d) with means mu_k and unbiased covariances
// S_k = A_k^T A_k / (n_k - 1), where A_k is X_k with its column means removed,
//
//	FD = |mu1 - mu2|^2 + tr S1 + tr S2 - 2 tr sqrt(S1 S2)
//
// exactly as pytorch-fid computes it. S1 S2 is similar to the positive semi-definite S1^(1/2) S2 S1^(1/2),
// so its eigenvalues are real and non-negative and tr sqrt(S1 S2) is the sum of their square roots.
// Two equivalent ways are implemented:
//
//   - [DataSVD] (fast when there are fewer samples than dimensions): the non-zero eigenvalues of
//     A1^T A1 A2^T A2 equal those of (A1 A2^T)(A1 A2^T)^T, so with M = A1 A2^T (n1 x n2)
//
//     tr sqrt(S1 S2) = sum_i sigma_i(M) / sqrt((n1-1)(n2-1))
//
//     where sigma_i are the singular values of M. It costs one n1 x d x n2 product and one n1 x n2 SVD,
//     never forms a d x d matrix, and has no trouble with rank-deficient covariances (n < d).
//
//   - [CovarianceEigen] (the general path): sqrt(S1) = V diag(sqrt(lambda)) V^T from a symmetric
//     eigen decomposition, then the eigenvalues of the symmetric sqrt(S1) S2 sqrt(S1). In both steps
//     eigenvalues below d * eps * max (rounding noise, including the zero eigenvalues of a
//     rank-deficient covariance) count as zero; otherwise each of the d - n null directions would add
//     sqrt(noise) ~ 1e-8 of the scale to the trace. Stable for rank-deficient covariances, unlike a
//     general sqrtm.
//
// [Auto] picks the cheaper of the two from a flop count.
//
// # Kernel inception distance
//
// KID is the unbiased estimate of the squared maximum mean discrepancy with the cubic polynomial kernel
// k(x, y) = (x.y/d + 1)^3 (Binkowski et al. 2018):
//
//	MMD^2_u = sum_{i!=j} k(x_i,x_j)/(m(m-1)) + sum_{i!=j} k(y_i,y_j)/(n(n-1)) - 2 sum_{i,j} k(x_i,y_j)/(mn)
//
// It is unbiased for any sample size (so it suits the paper's small per-class sets) and may be
// slightly negative when the two distributions are equal.
//
// # Per-class protocol
//
// The paper reports FID per class between n synthetic and n original images, then the mean and standard
// deviation over classes: [PerClass] does that for labelled feature sets.
//
// # Floors
//
// A distance means little without the value a perfect generator would get at the same sample sizes.
// [WithFloor] (and [FrechetWithFloor], [KIDWithFloor], [PerClassWithFloor]) report each distance
// d(train, synth) beside its floor d(train, test), the same measurement between the real training
// and real test features, and beside d(train, synth'), synth' a random subset of the synthetic
// features as large as the test set: the Frechet distance is biased upwards by about tr(S)/n for n
// samples, so only the size-matched value compares fairly with the floor. KID's unbiased estimates
// scatter around 0 for equal distributions, so a KID or its floor may be negative.
package fid
