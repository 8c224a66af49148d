// Package metrics scores classifiers: accuracy, macro-averaged F1, confusion matrices, and the mean and
// standard deviation of a score over repeated seeds.
//
// With n_ij the number of samples of true class i predicted as j (the confusion matrix),
//
//	accuracy  = sum_i n_ii / sum_ij n_ij
//	precision_c = n_cc / sum_i n_ic,  recall_c = n_cc / sum_j n_cj
//	F1_c = 2 precision_c recall_c / (precision_c + recall_c)
//	macro-F1 = mean of F1_c over the classes present in the true or predicted labels
//
// A precision or recall with a zero denominator counts as 0, as scikit-learn's f1_score(average="macro")
// does (zero_division=0 behaviour). [MeanStd] uses the sample standard deviation (divisor n-1), the usual
// choice for "mean ± std over k seeds".
package metrics
