// Package pipeline is the NetDiffus pipeline, once, for the notebooks (through nblib/repro) and every
// `netdiffus` command: load and split a dataset, image it, train or resume a model, sample it, decode
// the samples back to series and measure them.
//
// # Stages
//
//   - Data: LoadDefault / FromDataset split each class in dataset order (the first TrainFraction for
//     training, as the paper) and image every series with the paper's GASF settings
//     (gasf.DefaultParams: min-max normalisation, gamma 0.25, area resize to Net.Size). 2-D models get
//     [N, S, S, 1] images, 1-D models (Net.Dims = 1) [N, L, 1] series min-max scaled and area-resized to
//     Net.Size. Both are in the model range [-1, 1] of nblib/pixels.
//   - Train: a model lives in a folder the caller passes (never a package global). Train resumes from
//     the newest checkpoint there, after checking that the folder's model has the configuration asked
//     for, or starts a new one; it keeps the loss curve (loss.json) and the run's description
//     (pipeline.json: class names and the effective preset) beside the checkpoints, so every resume,
//     from a notebook or `netdiffus train`, reports the whole history. The batch order is seeded by
//     Train.Seed alone and the trainer seeks it to the step a resume starts from, so a resumed run is
//     bit-identical to an uninterrupted one.
//   - Sample: the sampler always gets the model's variance (diffusion.Learned for LearnSigma models);
//     guidance follows preset's one rule (scale > 1 and a null class; > 1 without one is an error);
//     the EMA weights are used when the model keeps them, unless Sample.Raw; Sample.Spacing picks the
//     visited steps. SampleWithWarning (and Run, into Result.SampleWarning and the log) returns unet's
//     warning when those weights are likely poor (EMA younger than its horizon, raw weights by choice).
//     Images are rounded to the 8-bit grid real images live on (pixels.Quantise).
//   - Decode: the GASF inverse of each sample's diagonal, x = sqrt(p^(1/gamma)) on [0, 1]
//     (dataio.DecodeSeries), optionally rescaled to the class's typical range of the real data.
//   - Measure: on pixels in [0, 1], the FID and KID of all synthetic vs all real training images and the
//     per-class FID on the real training images' principal components (fid.Frechet: |mu1-mu2|^2 +
//     tr(S1 + S2 - 2 (S1 S2)^(1/2))), each with its floor, the same distance from the real training to
//     the real test images, and a size-matched value on as many synthetic images as the floor has real
//     ones (fid.FrechetWithFloor, KIDWithFloor, PerClassWithFloor); the trace fidelity of the decoded
//     series (real images decoded through the same GASF inverse): marginal Wasserstein-1,
//     autocorrelation distance and discriminative score, each with its floor (features.MeasureTraces);
//     pixel histograms with their Jensen-Shannon divergence and earth
//     mover's distance, and each downstream classifier's accuracy on the held-out real images when
//     trained on the original, the synthetic and the original+synthetic images (protocols.Scenarios).
//
// Run chains them for one dataset; Train takes an Observer called with every unet.Progress report, for
// live views.
//
// # Files
//
// WriteExamples and ReadExamples are the one labelled-examples format of the command line: an NPZ with
// uint8 "images" [N, S, S] (or float32 "series" [N, L] in [0, 1]), int64 "labels" and "classes" (names
// joined by newlines), written by `netdiffus image` and `sample`, read by `train` and `eval`. Every file
// the pipeline writes goes through internal/atomicfile (WriteFile and Write expose it to the
// command line).
package pipeline
