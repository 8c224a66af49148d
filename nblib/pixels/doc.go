// Package pixels is the project's one pixel convention, used by every reader, writer and pipeline stage
// that moves images between files, the diffusion model and the evaluation code.
//
// There are three ranges:
//
//   - 8-bit pixels p in 0..255: what GASF imaging produces and what PNG and uint8 .npy files hold;
//   - unit values u in [0, 1]: what float files and the evaluation code (features, classifiers) use,
//     u = p / 255;
//   - model values m in [-1, 1]: what the diffusion model trains on and samples, m = 2u - 1 = p/127.5 - 1.
//
// The maps back clamp to the range first (a sampler may overshoot [-1, 1]) and round to the nearest
// 8-bit level: p = round(clamp((m + 1) * 127.5, 0, 255)), u = clamp((m + 1) / 2, 0, 1). Quantise rounds
// model values to the 8-bit grid real images live on (the paper saves its samples as PNGs), so
// synthetic and real images are compared on the same grid: Quantise(m) = ByteToModel(ModelToByte(m)).
package pixels
