// Package unet is NetDiffus's generator network on GoMLX: a class-conditional U-Net in the style of
// guided-diffusion (2-D for GASF images, 1-D for raw series), its training loop (AdamW, global-norm
// gradient clipping, EMA weights, label dropout for classifier-free guidance), atomic checkpoints
// with exact resume, and its use as a [diffusion.Denoiser] for the samplers of package diffusion.
//
// A configuration ([Config]) is a plain value; the project's models and their defaults live in
// nblib/preset (UNet32, UNet64, UNet128, UNet1D), and every field can be overridden from notebooks or
// the command line.
//
// # Architecture (Build)
//
// Input x is [B, S, S, C] (or [B, L, C] for Dims=1), channels last; internally the network runs
// channels first ([B, C, S, S]), which ONNX Runtime convolves and group-normalises 2-5x faster.
// With m = ModelChannels, E = 4m, GN = GroupNorm(gcd(NormGroups, channels), eps 1e-5) with a
// per-channel scale and shift, SiLU = x sigmoid(x), conv = 3x3 (3 for 1-D) same-padded with bias:
//
//	emb   = Dense(E)-SiLU-Dense(E) of [cos(t f), sin(t f)], f_i = 10000^(-i/(m/2)), i < m/2
//	        + onehot(y, NumClasses[+1 null]) . W_class (E wide, no bias)       if NumClasses > 0
//	h     = conv(x -> m*mult[0])                                                 skip
//	for level l (size S/2^l), NumResBlocks times:
//	        h = ResBlock(h -> m*mult[l]); if size in AttentionResolutions: h = Attention(h)   skip
//	        after each level but the last: h = conv(mean2x2(h)) (same width)                   skip
//	middle: ResBlock, Attention (when any attention is configured), ResBlock
//	for level l from last to 0, NumResBlocks+1 times:
//	        h = ResBlock(concat(h, pop skip) -> m*mult[l]); attention as above
//	        after the last block of levels l > 0: h = conv(nearest2x(h))
//	out   = conv(SiLU(GN(h)) -> C, or 2C with LearnSigma: eps then v), kernel initialised to zero
//
//	ResBlock(x -> o): h = conv(SiLU(GN(x)) -> o); h = GN(h) (1 + Dense_o(SiLU(emb))) + Dense_o(SiLU(emb));
//	                  h = conv(SiLU(h)), kernel zero-initialised; return h + (x, or 1x1 conv(x) if widths differ)
//	Attention(x, c channels, H heads): n = GN(x); q, k, v = 1x1 conv(n) as [B, H, c/H, positions];
//	                  a = softmax(q^T k / sqrt(c/H)) over keys; return x + 1x1 conv(a v), zero-initialised
//
// There is no pooling op and no strided convolution: their gradients need interior padding or input
// dilation, which ONNX Runtime lacks. Downsampling is a 2x2 mean by reshape (then a conv),
// upsampling a reshape/concatenation (then a conv). Images are never flipped (GASF is symmetric only
// about its diagonal).
//
// Weights are initialised He-normal (GoMLX's default, seeded by TrainConfig.Seed) except GN scales
// (1), biases and the zero-initialised kernels above. testdata/unet_torch.py is a layer-for-layer
// PyTorch twin for timing: for UNet32 (nblib/preset) both report 755,521 parameters.
//
// # Configurations
//
// The project's models, defined in nblib/preset (the cpu preset uses unet32, the full preset unet128):
//
//	name      size  m    mult       res  attention  heads  GN  sigma    params (twin)  batch  lr    EMA
//	unet32    32    32   1,2        1    16         1      8   fixed    755,521        32     2e-4  0.995
//	unet64    64    64   1,2,3,4    2    16,8       4      32  fixed    23,033,025     32     1e-4  0.9999
//	unet128   128   128  1,1,2,3,4  3    16,8       4      32  learned  125,065,218    16     1e-4  0.9999
//	unet1d    L     32   1,2,2,2    1    none       1      8   fixed                   32     2e-4  0.995
//
// All: cosine schedule, T = 1000, gradient clipping at global norm 1, no weight decay; unet32,
// unet64 and unet1d add a null class with label dropout 0.1 (parameter counts for 3 classes).
// unet128 is the paper artifact's guided-diffusion configuration (128x128, 128 channels, 3 residual
// blocks, multipliers 1,1,2,3,4, attention at 16 and 8, cosine, 1000 steps, learned sigma with the
// hybrid loss, class-conditional, lr 1e-4) except that downsampling is mean+conv instead of a
// strided conv and that AdamW, clipping at 1 and EMA 0.9999 are used.
//
// # Learned variance (LearnSigma)
//
// The output's second half v gives log sigma_t^2 = f log beta_t + (1 - f) log(posterior variance),
// f = (v + 1)/2, and the loss is L_simple + (T/1000) L_vlb, where L_vlb (bits per dimension) is
// KL(q(x_{t-1}|x_t,x_0) || p(x_{t-1}|x_t)) for t > 0 and the discretised-Gaussian decoder NLL for
// t = 0, with the gradient through the mean stopped (guided-diffusion's RESCALED_MSE hybrid). DDPM
// sampling then uses the learned variance (diffusion.Learned); DDIM ignores it.
//
// # Speed on ONNX Runtime
//
// A convolution's kernel gradient dW[o,i,d] = sum_{b,p} dy[b,o,p] x[b,i,p+d-k/2] is what GoMLX
// differentiates into a convolution whose "kernel" is the whole output image; ONNX Runtime runs that
// as one GEMM with k*k columns per input channel, at a fifth of its matrix-product speed. The
// network's convolutions (conv.go) keep GoMLX's forward pass and input gradient but compute dW as
// k*k batched products dy_b [O, P] . shift_d(x_b)^T summed over the batch, where each shift is a
// contiguous window of the zero-padded image flattened row by row (dy is padded by 2p columns so the
// window's wrapped columns meet zeros); a test checks it against ConvGeneral's VJP. Stacking the k*k
// windows into one operand for a single product (im2col) was measured slower: ONNX Runtime copies
// every window twice (Slice or Pad, then Concat) and its matrix product gains nothing from the wider
// operand. Hand-written gradients replace GoMLX's op-by-op differentiation where that costs
// activation-sized ops: group normalisation folds its affine and scale-shift terms into one
// multiply-add per activation and has a written-out backward pass; SiLU's gradient
// v (s + y - y s) takes 4 ops instead of 6; the attention softmax's s v - s sum(s v) takes 4 instead
// of about 12 (GoMLX differentiates its fused Softmax through the max-exp-sum-divide decomposition,
// materialising two broadcasts of the [B, heads, 256, 256] logits). Gradient clipping's norm and
// the EMA blend run over one flattened vector of all weights instead of a few ops per variable.
// Tests compare each against GoMLX's autodiff of the textbook formula or a closed form, and
// TestStepLossesMatchGolden compares fixed-seed runs with the losses of the graph before these
// changes.
//
// Profile of a UNet32 step (batch 32) at one thread, by ONNX Runtime's profiler: Conv (forward and
// input gradient) is about 30% of kernel time, the kernel-gradient products and windows about 30%,
// attention products 6%, and activation-sized elementwise ops (group norm, SiLU, biases, residual
// sums, their gradients) about a quarter; about 4,400 small optimiser nodes remain (GoMLX's AdamW,
// about 14 ops per variable). To reproduce it (from this folder):
//
//	UNET_EXPORT_ONNX=/tmp/step.onnx go test -run TestExportStepONNX .
//	ORT=../../../.tools/onnxruntime; H=$(go env GOMODCACHE)/github.com/gomlx/compute-onnx@v0.1.13/internal/ort
//	gcc -O2 -I$H testdata/ortprofile/ort_profile.c -o /tmp/ort_profile $ORT/libonnxruntime.so.1 -Wl,-rpath,$ORT
//	/tmp/ort_profile /tmp/step.onnx 1 3 /tmp/prof && python3 testdata/ortprofile/categorize.py '/tmp/prof_*.json'
//
// categorize.py prints the split by kind of work, then the top op kinds (time, share, nodes per run).
//
// What stands between this step and a much faster one lies in GoMLX and its ONNX backend, not here:
//   - ConvGeneral has no bias operand, so every convolution is followed by a broadcast Add (and its
//     gradient by a ReduceSum); ONNX Runtime's Conv takes the bias as its third input and adds it
//     inside its GEMM. Upstream: a bias operand on ConvGeneral (or a FusedConv op) that compute-onnx
//     emits as Conv's B input.
//   - Variables enter the graph as inputs, so ONNX Runtime's layout transformer (NCHWc, its fastest
//     convolution kernels) never applies: it only reorders constant weights. Upstream: an option
//     for compute-onnx to emit the Conv in NCHWc or to pre-pack weights per step.
//   - No fused normalisation+activation or fused optimiser: each elementwise op reads and writes the
//     whole activation. Upstream: a FusedGroupNorm(+SiLU) with its VJP in compute, and a fused
//     AdamW over a list of tensors (a single ONNX Runtime contrib op, or a flat parameter buffer
//     in model.Store so the update is a few ops).
//
// BenchmarkTrainStep32 times the step alone (images/s and process CPU per step); BenchmarkTwin
// times the step and a forward pass against the PyTorch twin testdata/unet_torch.py at 1 and 2
// threads, interleaved, printing the ratio (the measured numbers are in docs/speed.md).
//
// # Training step
//
// One compiled graph per step computes the network's output f_theta(x_t, t, y) and the loss
// mean((f_theta - target)^2), the target being eps, or v = sqrt(abar_t) eps - sqrt(1 - abar_t) x_0
// with TrainConfig.Prediction = diffusion.PredictV (the presets' choice; Trainer.Denoiser turns v
// back into eps for the samplers), then
// the gradients, their global norm, clipping, the AdamW update and the EMA update
// ema = d_n ema + (1 - d_n) w with the warm-up d_n = min(EMADecay, (1 + n)/(10 + n)) at the n-th
// update (ema = w at the first), so a short run averages recent weights rather than keeping its
// initial ones ([EMAWarmup]; [Trainer.SamplingWarning] says when the EMA has not yet covered its
// horizon 1/(1 - EMADecay)). t, eps and label dropout are drawn on the
// host from a PCG stream whose state is saved with the checkpoint. The graph is built in GoMLX
// training mode: otherwise the Go backend embeds variables that already hold values (all of them
// after a resume) as constants and the updates are lost.
//
// # Several devices
//
// [Trainer.SetDevices] splits each step across n devices (data parallelism) with GoMLX's
// AutoSharding strategy: the step's graph stays the one above, written for the global batch B; a
// one-axis device mesh "data" shards the six per-example inputs (x_t, t, labels, target, x_0 and the
// schedule coefficients) along the batch axis, B/n examples per device, and replicates every variable.
// XLA Shardy partitions the graph; since the loss is a mean over the batch, the gradient of the
// global loss is the average of the per-device gradients, which Shardy's all-reduce forms, so every
// replica applies the same AdamW and EMA update. Host-side randomness (t, eps, dropout) is drawn for
// the global batch as on one device, so only the order of floating-point additions differs. With
// n = 1 nothing changes (the single-device step runs, bit for bit); only the XLA backend has more
// than one device.
//
// # Checkpoints
//
// [Trainer.Save] writes dir/step-NNNNNNNNN/ (GoMLX checkpoint files for weights, AdamW moments, EMA
// weights and counters, plus trainer.json with the configuration, step and random state) into a
// temporary folder and renames it into place, then keeps the newest N. [Resume] restores it exactly:
// the next step's loss is bit-identical to an uninterrupted run on the same backend.
package unet
