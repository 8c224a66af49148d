// Package privacy audits synthetic data for memorization: does the generator hand back (near) copies
// of its training examples, and can an attacker tell which real examples it was trained on?
//
// Everything is measured within a class: a synthetic example of class c is compared with the real
// examples of class c, so a class-conditional generator is not credited for merely getting the class
// right. Distances are Euclidean on the rows given (pixels on [0, 1] for images, the decoded series for
// traces). The training set is fixed and the intervals (nblib/eval/stats) resample the synthetic, test
// and member examples: they are conditional on the trained model.
//
// # Distance to the closest record (DCR)
//
// For a synthetic example s, DCR(s) = min over training examples t of |s - t|; for a real test example
// x, held out from training, DCR(x) likewise. Fresh data from the real distribution has the test
// examples' DCR distribution, so
//
//	DCR ratio = median_s DCR(s) / median_x DCR(x)
//
// is 1 for a generator that draws fresh data and below 1 when synthetic examples sit closer to the
// training examples than fresh real data does: one signature of copying (Zhao et al. 2021; Yale et al.
// 2020). A near copy is a synthetic example closer than the q-quantile (q = 0.05) of the test
// examples' DCR; fresh data has a share q of them.
//
// # Membership inference
//
// The attacker sees the synthetic set and one real example and guesses whether that example was in the
// training set. Members are the training examples, non-members the held-out test examples; each attack
// gives every real example a score, and its success is the AUC of members against non-members (0.5:
// nothing leaks; 1: every member is recognised).
//
//   - Distance attack (Chen et al. 2020, GAN-Leaks' full black-box attack): score(x) = -min_s |x - s|.
//   - Density-ratio attack (DOMIAS, van Breugel et al. 2023) with nearest-neighbour density estimates:
//     p(x) is proportional to 1 / r(x)^d for the distance r(x) to the nearest example of a set, so
//     log p_synth(x) / p_ref(x) = d (log r_ref(x) - log r_synth(x)) + const, and the AUC of the score
//     log r_ref(x) - log r_synth(x) is that of the density ratio. The reference set is the held-out real
//     data: it calibrates away examples that are close to synthetic ones only because they lie in a
//     dense region. A non-member is never its own reference (its r_ref leaves it out), and a member's
//     r_ref leaves out one test example too, so both see reference sets of one size.
//
// # Verdicts
//
// Each signal is decided by the one verdict rule (stats.Decide) on its pooled interval: "closer than
// fresh data" (DCR ratio < 1), "more near copies than fresh data" (share > q), "membership leaks"
// (either AUC > 0.5). The report is flagged, with a warning worded for a non-expert, when any of them
// holds. Each check is at 95%, so a generator that draws fresh data is flagged by chance at most about
// 1 - 0.95^4 = 19% of the time when the four are independent (they are positively correlated, so less):
// read a flag with intervals just clear of the line as a prompt to look, not as proof.
package privacy
