// Package bench measures how fast a preset's diffusion model trains and samples on a backend, and
// runs the PyTorch twin of the same U-Net beside it.
//
// # What is measured
//
// Run builds the preset's U-Net (p.Model) for Classes classes and trains it on random images of the
// model's shape (uniform in [-1, 1]; speed does not depend on the pixel values), batch
// p.Train.BatchSize:
//
//   - compile: the wall time of the first training step, which builds and compiles the step's graph
//     (on XLA this is the kernel compilation; on ONNX Runtime the session creation);
//   - training: TrainSteps further steps; images/s = TrainSteps · batch / seconds;
//   - network calls: the denoiser (EMA weights) on a batch of SampleBatch noisy images, first call
//     (compile) apart, then Calls timed calls; images/s per call = Calls · SampleBatch / seconds;
//   - sampling: one batch of SampleBatch images drawn with the preset's sampler (p.Sample: sampler,
//     steps, spacing, eta); images/s per image = SampleBatch / seconds, which is about the per-call rate
//     divided by the number of reverse steps, plus the sampler's host-side arithmetic.
//
// Memory: the process's peak resident set (getrusage, host memory; on a GPU backend the device memory
// is not in it) and, when nvidia-smi is on PATH and the backend is XLA, the highest GPU memory in use
// that a poll every 250 ms saw (every process on the GPU, so start from an idle GPU). GoMLX's backend
// interface reports no device memory itself.
//
// # The twin
//
// Twin runs nblib/diffusion/unet/testdata/unet_torch.py, a layer-for-layer PyTorch copy of the U-Net
// and its training step (AdamW, clipping, EMA; learned sigma's L_vlb term left out), with the same
// NetConfig (passed as JSON), batch and device (cuda when the backend is XLA on CUDA, else cpu), and
// reads its images/s. Ratio = NetDiffus-Go images/s / PyTorch images/s: above 1 Go is faster. Without a
// python3 that imports torch the twin is skipped with the reason.
package bench
