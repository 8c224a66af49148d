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
//   - [SeriesVsImages]: Table 3, the same CNN design in 1-D on the min-max normalised series and in 2-D
//     on their GASF images ([GASFImages]: gasf.DefaultParams, pixels / 255), for several fractions of
//     the training traces (the same traces in both views).
//   - [DiffusionDims]: Table 2, synthetic series from a 1-D diffusion model (converted to GASF images,
//     as the paper does) against synthetic images from the 2-D model: per-class FID against the real
//     training images and the accuracy of original / synth / ori+synth. [CompareGenerators] does the
//     same for any number of generators (e.g. the GAN baselines of Fig. 2 and 3).
//
// # Presets
//
// [CPUConfig] and [FullConfig] hold every setting of a run mode; [Config.Factory] turns a classifier
// name into a factory with those settings (GoMLX networks on the backend passed in, which user code
// opens with nblib/backend.New).
//
//	                 cpu                             full (the paper's)
//	classifiers      cnn2, gbt, mlp, nb, rf          cnn8, gbt, mlp, nb, rf
//	seeds            2                               5
//	ensemble         3 members                       5 members
//	CNN epochs       3 (Adam 1e-3)                   50 (momentum SGD 0.01 / 0.9, batch 32)
//	MLP epochs       60 (fewer stay near chance)     300
//	trees / rounds   RF 30, GBT 20 of depth 4        RF 100, GBT 100 of depth 6
//	images           32x32, 60 traces per class      128x128, all traces
//	fractions        0.25, 1                         0.1, 0.2, 0.4, 0.8, 1
//	synth per class  0, 30, 60                       0, 50, 100, 200, 400
//	crops            1/4, 1/2, 1 of the side         1/4, 1/2, 3/4, 1
//
// Where the paper is silent (epochs, number of seeds, x positions of Fig. 4, 6, 8) the full values are
// ours. CPUConfig is sized for a 2-core CPU with ONNX Runtime: BenchmarkCPUProtocols runs every protocol
// with it on 240 training images of 32x32 (plus 240 synthetic, 120 test). On the 2-core reference
// machine, shared (load average 5.5), it measured in seconds: Scenarios 32 over the five classifiers
// (cnn2 18, MLP 8.5, GBT 4, RF 0.8, NB 0.1), LimitedData 43, SyntheticSteps 37, NearRealTime 14,
// SeriesVsImages 7, EnsembleUncertainty 4, DiffusionDims 0.4 (Naive Bayes); test accuracy on original
// data: cnn2 0.94, MLP 0.88, GBT, RF and NB 1.0. The full preset is meant for a GPU: one epoch
// of the authors' CNN on 240 images of 32x32 takes about 5 s on ONNX Runtime and 77 s on the Go backend.
package protocols
