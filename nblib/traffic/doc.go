// Package traffic holds the data model between a capture and a labelled
// series: traces, the features the NetDiffus paper extracts from them,
// truncation / zero padding, and the per-class splits of its experiments.
//
// # Traces
//
// A [Trace] is either a list of packets p_k = (t_k, s_k, d_k) — time in
// seconds, size in bytes, direction d_k = +1 (uplink, device -> server) or
// -1 (downlink) — or a ready series v_0..v_{m-1} sampled every Step seconds
// (for example bytes per bin computed elsewhere, or daily page views).
// A [Dataset] is a list of traces with class names in a stable order; every
// trace carries its label, the label's class index and an optional group
// (platform, device or traffic type, used by the hierarchical classifier).
//
// # Features
//
// With t'_k = t_k - t_0 the time relative to the first packet, a bin width
// w and a number of bins n, the bytes-per-bin feature is
//
//	B_i = sum { s_k : i*w <= t'_k < (i+1)*w, d_k matches }   for i = 0..n-1,
//
// where "matches" is d_k = -1 for the paper's "total bytes downloaded" (D1:
// w = 0.25 s, 180 s, n = 720) and any direction when [Feature.Dir] is 0.
// Packet-sequence features take the first n packets, zero padded:
//
//	direction  x_k = d_k
//	gap        x_k = t_k - t_{k-1}, x_0 = 0
//	size       x_k = s_k
//	signed     x_k = d_k * s_k
//
// PacketsFromSeries goes back from a series to packets (one packet per value
// for the packet features; B_i bytes as ceil(B_i / 1514) near-equal packets
// inside bin i), so that f.Of of its packets is the series again where a
// capture can hold it (sizes of 54 bytes and more, whole bytes, no empty
// leading bin).
//
// # Splits
//
// [SplitPerClass] separates every class c with n_c traces into
// round(f*n_c) training and n_c - round(f*n_c) test traces (f = 0.8 in the
// paper), either after a seeded shuffle or keeping the first f of each class
// in dataset order, which is what the paper's "first 80%" means.
// [LimitPerClass] draws the limited-original subsets of the paper's Fig. 4 and
// [SplitAnomaly] the imbalanced legitimate / anomalous split of its Fig. 5.
//
// Loaders for real formats live in the subpackage trafficio, seeded
// generators of the synthetic default datasets in synth.
package traffic
