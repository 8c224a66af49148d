// Package classify defines the interface every downstream classifier implements (trees, Naive Bayes,
// GoMLX networks), the checks on training data they share, and Gaussian Naive Bayes.
//
// Data: X is an n x d gonum matrix (one flattened image or series per row), y holds n labels in
// [0, K) with every class present (an empty class is an error, not a silently smaller K).
//
// # Gaussian Naive Bayes
//
// As scikit-learn's GaussianNB: per class c, prior pi_c = n_c/n, mean theta_cj and variance
// var_cj = (1/n_c) sum (x_ij - theta_cj)^2 + eps, with eps = varSmoothing * max_j Var(X_j) over all
// training rows (default varSmoothing = 1e-9). A row x is scored by the joint log-likelihood
//
//	log pi_c - 1/2 sum_j log(2 pi var_cj) - 1/2 sum_j (x_j - theta_cj)^2 / var_cj
//
// and the probabilities are its softmax over classes.
package classify
