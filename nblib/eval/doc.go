// Package eval is the root of NetDiffus-Go's evaluation code: how every claim of the paper is measured.
//
// The work is split into one package per concern:
//
//   - [github.com/netdiffus/netdiffus/nblib/eval/fid]: Frechet distance (FID) and kernel inception distance
//     (KID) between two feature sets, per class as the paper reports it.
//   - [github.com/netdiffus/netdiffus/nblib/eval/metrics]: accuracy, macro-F1, confusion matrices,
//     mean and standard deviation over repeated seeds.
//   - [github.com/netdiffus/netdiffus/nblib/eval/classify]: the classifier interface, Gaussian Naive Bayes.
//   - [github.com/netdiffus/netdiffus/nblib/eval/trees]: Random Forest (CART, gini) and histogram
//     gradient-boosted trees (multi-class softmax, XGBoost "hist" style).
//   - [github.com/netdiffus/netdiffus/nblib/eval/nn]: the GoMLX networks (the authors' 8-convolution CNN,
//     a 2-convolution CNN for CPU runs, an MLP, 1-D variants) taking a compute.Backend.
//   - [github.com/netdiffus/netdiffus/nblib/eval/optim]: momentum SGD for GoMLX (the authors' CNN
//     optimizer, missing from GoMLX v0.28.16).
//   - [github.com/netdiffus/netdiffus/nblib/eval/inception]: Inception-v3 pool features as pytorch-fid
//     computes them, from user-supplied weights.
//   - [github.com/netdiffus/netdiffus/nblib/eval/features]: feature extractors (raw pixels + PCA), pixel
//     histograms with JSD / EMD, autocorrelation similarity and marginal distances of series, and the
//     discriminative score.
//   - [github.com/netdiffus/netdiffus/nblib/eval/stats]: 95% intervals (percentile, paired and stratified
//     bootstrap, t, Wilson), the one verdict rule (holds / does not hold / cannot tell) and the test
//     traces a paired comparison needs.
//   - [github.com/netdiffus/netdiffus/nblib/eval/privacy]: the memorization audit: distance to the
//     closest record against held-out data, near copies, and membership-inference attacks.
//   - [github.com/netdiffus/netdiffus/nblib/eval/protocols]: the paper's experiment protocols
//     (original / synth / ori+synth scenarios, limited data, hierarchical labels, near-real-time crops,
//     anomaly detection, 1-D vs 2-D tables) and their cpu / full presets.
//
// The command `netdiffus eval` (scripts/netdiffus/cmd_eval.go) wires them together for two image sets.
//
// Everything here works on plain gonum matrices (rows = samples) and integer labels, so any feature
// extractor or classifier can be combined with any protocol.
package eval
