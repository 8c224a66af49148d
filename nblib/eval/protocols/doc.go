// Package protocols runs the paper's downstream experiments on feature matrices with any
// [classify.Factory]: every function trains fresh classifiers, one per seed, on training rows and scores
// them on held-out real rows (accuracy, macro-F1, confusion matrix; mean and sample standard deviation
// over seeds).
//
//   - [Scenarios]: original / synth / ori+synth training sets (the paper's three scenarios).
//   - [LimitedData]: a fraction of the original training data per class, with and without all the
//     synthetic data added (Fig. 4).
//   - [SyntheticSteps]: the original data plus the first m synthetic samples per class, m growing
//     (Fig. 8).
//   - [Hierarchical]: the same data relabelled at coarser levels, e.g. L1 traffic type, L2 platform,
//     L3 class (Table 1).
//   - [NearRealTime]: GASF images cropped to their top-left s x s block, i.e. the first s steps of the
//     trace, for several s (Fig. 6).
//   - [AnomalyRecall]: sub-case 1, rare classes trained among the others; recall on those classes.
//   - [EnsembleUncertainty]: sub-case 2, a deep-ensemble-style uncertainty: the entropy
//     H = -sum_c pbar_c log pbar_c of the mean probability pbar over ensemble members trained on
//     legitimate classes only, with the AUROC of H for legitimate vs anomalous test rows and the
//     detection rate at the 95th percentile of the legitimate entropies (Fig. 5).
//
// 1-D vs 2-D comparisons (Table 2, Table 3) are [Evaluate] calls on series and on images of the same
// traces. Quick and full settings differ only in the seeds, fractions and sizes passed in.
package protocols
