// Package features turns images and series into the vectors the fidelity measures compare, and holds
// the distribution distances that need no learned features.
//
// # Extractors
//
// An [Extractor] maps a batch of [Images] (n images, each Height x Width x Channels, flattened row-major
// HWC) to an n x d feature matrix. Implemented:
//
//   - [Raw]: the flattened pixels (d = H W C).
//   - [PCA]: pixels projected on the top k principal axes of a reference set (the real training images):
//     with A the centred reference pixels and A = U Sigma V^T its thin SVD, features are (x - mean) V_k.
//     Each axis' sign is fixed so that its largest-magnitude loading is positive, so the features are
//     deterministic. Fine for quick runs; numbers are not comparable with the paper's Inception FID.
//
// Two more extractors implement this interface elsewhere: the learned default encoder (a CNN trained on
// the real training images, its last hidden layer as features) in package nn, and Inception-v3 pool
// features from user-supplied pytorch-fid weights in package inception.
//
// # Distribution distances
//
// For pixel-value histograms p, q over the same B bins of [lo, hi] (the paper's Fig. 1a / Fig. 7):
//
//	JSD(p, q) = 1/2 KL(p || m) + 1/2 KL(q || m),  m = (p+q)/2,  in bits (so 0 <= JSD <= 1)
//	EMD(p, q) = sum_b |P_b - Q_b| (hi - lo)/B    with P, Q the cumulative sums (1-D Wasserstein-1)
//
// [Wasserstein1] is the exact 1-D earth mover's distance between two samples (integral of |F1 - F2|),
// used for marginal distances of traffic features.
//
// # Series
//
// The autocorrelation of a series at lag k is r_k = sum_t (x_t - m)(x_{t+k} - m) / sum_t (x_t - m)^2
// (statsmodels' acf). [AutocorrelationDistance] is the mean over lags 1..K of |mean_real r_k -
// mean_synth r_k|, averaging r_k over each set's series.
//
// # Discriminative score
//
// A classifier is trained to tell real (label 0) from synthetic (label 1) samples on half of a balanced
// set and tested on the other half; the score is |accuracy - 1/2| (0: indistinguishable, 1/2: trivially
// separable).
//
// # Trace fidelity with floors
//
// [MeasureTraces] reports, for decoded synthetic series, the marginal Wasserstein-1 distance (all
// values pooled), the autocorrelation distance and the discriminative score, each beside its floor:
// the same measure between the real training and the real test series, what fresh real traces score
// at these sample sizes.
//
// [MeasureRealTraces] compares synthetic traces with the real traces themselves, in real units and at
// each set's own length (a 16-value decoded diagonal against 300-value real traces is measured, not
// refused): per-field value distributions as NetShare reports them (Jensen-Shannon divergence of
// 50-bin histograms over the joint range, in bits, and the earth mover's distance W1), the W1 of the
// active lengths (up to the last non-zero value), the W1 of the volumes sum |x_k| within each class
// (averaged over classes: a shared per-class scale collapses the spread within a class, which pooling
// would hide), the autocorrelation distance, and the discriminative score on per-trace summaries
// (length, volume, minimum, maximum, mean, deviation, r_1..r_3). The synthetic side is measured against
// the held-out real test traces and the floor is training vs test, so a decoder that reuses training
// traces cannot score better than fresh real data merely by copying.
package features
