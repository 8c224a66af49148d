// Package trees implements the two tree ensembles of the paper's downstream evaluation: a Random
// Forest (as scikit-learn's RandomForestClassifier) and histogram gradient-boosted trees with a
// multi-class softmax objective (as XGBoost's tree_method="hist", objective="multi:softprob").
// Both implement [classify.Classifier]; both are deterministic for a seed, whatever the worker count.
//
// # Random Forest
//
// Each of NTrees CART trees is grown on a bootstrap sample (n rows drawn with replacement) until its
// leaves are pure (or MaxDepth / MinSamplesLeaf stop it). At each node MaxFeatures features (default
// floor(sqrt d)) are drawn at random without replacement; features constant in the node do not count,
// as in scikit-learn. For each, the node's rows are sorted by value and the threshold (midpoint of two
// consecutive distinct values) maximising the gini decrease is found: with class counts l_c, r_c and
// sizes nL, nR on either side, the weighted child impurity
//
//	nL (1 - sum_c (l_c/nL)^2) + nR (1 - sum_c (r_c/nR)^2)
//
// is minimised, i.e. sum_c l_c^2/nL + sum_c r_c^2/nR is maximised. A leaf stores its class fractions;
// the forest's probability is the mean over trees. Tree t draws its randomness from PCG(seed, t), so
// trees can be grown in parallel.
//
// # Gradient-boosted trees (hist)
//
// Features are first quantised into at most MaxBins bins per feature (all distinct values when there are
// few, else quantile cut points). With raw scores F (n x K, start 0.5), each round computes
// p = softmax(F) and, for every class k, gradients g_i = p_ik - [y_i = k] and hessians
// h_i = max(2 p_ik (1 - p_ik), 1e-16), and grows one depth-wise tree per class to MaxDepth. A split of a
// node with gradient sums G, H into (GL, HL), (GR, HR) gains
//
//	GL^2/(HL+lambda) + GR^2/(HR+lambda) - G^2/(H+lambda)
//
// and is kept when the gain exceeds 1e-6 (XGBoost's kRtEps, min_split_loss 0) and both children have
// hessian sum >= MinChildWeight. Histograms of (G, H) per bin make the search O(bins) per feature;
// the larger child's histogram is the parent's minus the smaller's. Leaves get weight
// -eta G/(H+lambda); F += the tree outputs. Defaults are XGBoost's: eta 0.3, lambda 1, max_depth 6,
// min_child_weight 1, 256 bins, 100 rounds.
package trees
