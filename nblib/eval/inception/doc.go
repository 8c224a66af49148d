// Package inception computes Inception-v3 pool features (2048-d) the way pytorch-fid does, from weights
// the user supplies, so that FID numbers can be compared with the paper's (whose artifact used an
// Inception-v3 evaluator). Nothing is downloaded: pass the path of pytorch-fid's
// pt_inception-2015-12-05-6726825d.pth (or any state_dict with the same keys), or set
// NETDIFFUS_INCEPTION_WEIGHTS.
//
// Pipeline per batch (images with values in [0, 1], 1 or 3 channels):
//
//  1. one channel is replicated to three;
//  2. bilinear resize to 299 x 299 (half-pixel centres, i.e. torch's align_corners=False);
//  3. x -> 2x - 1;
//  4. the FID variant of Inception-v3 (torchvision's Inception3 with pytorch-fid's blocks: average pools
//     ignore padding, Mixed_7c's pool branch is a 3x3 max pool) up to Mixed_7c;
//  5. global average pool -> 2048 features.
//
// Every "BasicConv2d" is conv (no bias) -> batch norm (eps 1e-3, inference statistics) -> ReLU; the
// batch norm is folded into a per-channel scale s = gamma / sqrt(var + eps) and shift
// b = beta - mean s at load time. Torch's [out, in, kh, kw] kernels are transposed to GoMLX's
// channels-last [kh, kw, in, out].
//
// The graph is checked against torchvision 0.14 with random weights (testdata/inception_ref.py); the
// real pytorch-fid weights were not available here, so numbers with them are untested.
//
// # Reading a .pth
//
// LoadWeights reads both torch.save formats (the zip of PyTorch >= 1.6 and the legacy stream before it)
// with gopickle, which allocates every length it reads before reading the bytes. So that a hostile file
// cannot claim terabytes in a few bytes, the file is walked first without allocating: every pickle
// opcode's argument length and frame size must fit in the bytes that follow it, and every tensor
// storage's element count times its element size must fit in its archive member (zip) or in the rest of
// the file (legacy). A zip's members may declare at most MaxWeightsBytes in all, and a legacy file may
// be at most that long.
package inception
