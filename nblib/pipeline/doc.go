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
//     (dataio.DecodeSeries), at the image's side; then, with the model folder's TraceDecoder, a trace
//     as long as the real ones, in real units, with a scale of its own (SyntheticTraces; "Full-length
//     traces" below). Without a decoder the series keep the image side, optionally rescaled to the
//     class's mean range of the real data, and SyntheticTraces says so.
//   - Measure: on pixels in [0, 1], the FID and KID of all synthetic vs all real training images and the
//     per-class FID on the features preset.Measure.Features names (fid.Frechet: |mu1-mu2|^2 +
//     tr(S1 + S2 - 2 (S1 S2)^(1/2))): by default the first PCAComponents principal components of the
//     real training images (at most one fewer than the images), else the pixels themselves, an encoder
//     CNN trained on the real training classes, or Inception-v3's pool features; each with its floor, the same distance from the real training to
//     the real test images, and a size-matched value on as many synthetic images as the floor has real
//     ones (fid.FrechetWithFloor, KIDWithFloor, PerClassWithFloor); the trace fidelity of the decoded
//     series (real images decoded through the same GASF inverse): marginal Wasserstein-1,
//     autocorrelation distance and discriminative score, each with its floor (features.MeasureTraces);
//     the same synthetic samples as traces against the held-out real test traces, in real units at
//     full length (features.MeasureRealTraces: value JSD and EMD, length, within-class volume,
//     autocorrelation, discriminative score, each with its floor), once through the TraceDecoder and
//     once at the image's side with the class-mean range, so the two decodings compare;
//     pixel histograms with their Jensen-Shannon divergence and earth
//     mover's distance, and each downstream classifier's accuracy on the held-out real images when
//     trained on the original, the synthetic and the original+synthetic images (protocols.Scenarios).
//     Images from files measure the same way: ReadExamples (NPZ archives) or ReadImageExamples and
//     ReadImageData (.npy files, 8-bit pixels taken exactly as from an NPZ) make the Data and the
//     synthetic Examples, CheckSynthetic checks they fit, and Measure does the rest.
//   - WriteSamples: samples leave as an NPZ archive (WriteExamples) and, for images, as PNGs.
//
// # Full-length traces
//
// A GASF image of side S holds an S-value summary of a series of L values: the area resize averages
// the image over (L/S)^2 cells, the normalisation drops the series' minimum and maximum, and the
// padding of a short trace is only a flat stretch. The diagonal gives back the S-value coarse series
// c_j (on [0, 1]) and nothing more: the lost detail has to come from somewhere. The TraceDecoder is a
// first, CPU-cheap answer, kept in the model folder (decoder.json, written by Run from the real
// training series; it holds at most 256 of them per class):
//
//   - length and values (the default, DetailAR1): the trace is L values long. The generated coarse value
//     of each position's span plus a Gaussian AR(1) residual, x_k = c_{floor(k S / L)} + e_k with
//     e_k = phi e_{k-1} + sqrt(1 - phi^2) sigma z_k, orders the values; sigma and phi are the class's,
//     fitted on its training series' departures u_k - c'_{floor(k S / L)} from their own decoded images
//     (u min-max normalised, c' the GASF inverse of u's own image). The values are a fresh draw, with
//     replacement, from the class's pooled normalised values (every value of every training series of
//     the class), sorted and placed in the rank order of the x_k (quantile mapping onto the class's
//     marginal). Where the class's series hold at most 4096 distinct values (packet sizes), each scaled
//     value moves to the nearest one of them, so traces hold sizes the class uses. With padded real
//     series (a packet trace shorter than the feature's length) the active length is one of the class's
//     lengths and the rest is f.Of's zero padding.
//   - the donor detail (DetailDonor, chosen by name): a donor, a real training series of the same class
//     drawn at random, gives the within-bin detail x_k = c_{floor(k S / L)} + u_k - c'_{floor(k S / L)}
//     and its own values, sorted, take the places of the x_k in rank order; it also gives the active
//     length. Each trace then holds exactly one real training trace's values, rearranged: the
//     memorization audit flags these traces as near copies (DCR ratio 0.4 to 0.6, 60 to 75% near copies
//     on the real Echo data and D1-Netflix, smoke preset), while the default's are not (DCR ratio 1.0
//     to 1.4, no near copies); the donor keeps the autocorrelation closer to the real traces'.
//   - scale: each trace takes one of the class's training (minimum, maximum) pairs (ScaleDonor), or
//     draws a new pair from a kernel density estimate of them (ScaleKDE), (lo_i, hi_i) + N(0, diag(h^2))
//     with Silverman's bandwidth h = 1.06 sd n^(-1/5) per coordinate, kept within the class's observed
//     extremes; the value is lo + x (hi - lo), rounded to whole numbers when every real value is one.
//
// So the ordering of the values along the trace follows the generated coarse shape (what the
// diffusion model learned); the fine detail is a fitted noise model, and the values, the length and the
// scale are resampled from the class's real training data as a whole, not generated by the network.
// This keeps volumes spread within a class as they are in the data (a class-mean scale gives every
// trace of a class the same range, which the within-class volume distance of MeasureRealTraces
// exposes), and gives traces in bytes that packet and capture writers accept. It is not a learned model
// of the fine structure: the AR(1) residual is the class's average texture, not the trace's, and the
// scale is independent of the generated shape. Why this first: a 1-D refinement model conditioned on
// the coarse series (the project's 1-D U-Net), larger images where L allows (L = 128 at the full
// preset), an invertible imaging beside GASF, or the scale generated as extra outputs conditioned on
// the class are each a new trained model and a new figure to validate; this decoder needs no training,
// works for every model already trained from traces once Run has written its decoder.json, and its
// measures (MeasureRealTraces with floors, the trace classifier TraceTSTR, the memorization audit)
// are the yardstick the trained alternatives will have to beat. With one training series per class the
// donor decoder gives that series back exactly from its own image (a test).
//
// Run chains them for one dataset; Train takes an Observer called with every unet.Progress report, for
// live views.
//
// # Files
//
// A model folder (the dir of Train, Run, Open and every `netdiffus` command's -model) holds these
// files, each with one owner that writes it; everything else reads it through the reader named:
//
//	file              owner (writer)                                   readers
//	step-NNNNNNNNN/   unet.Trainer.Save through internal/ckptdir.Commit unet.Resume (Train, Open)
//	                  (called by Train every CheckpointEvery steps)
//	.partial-*/       ckptdir.Commit while a checkpoint is written;      none
//	                  removed on failure, leftovers of a killed writer
//	                  by the next trainer of the folder
//	.lock             unet.LockDir (held by Train while it trains)       none
//	pipeline.json     Train (InfoFile: ModelInfo, with the classes'     ReadInfo: Open, SyntheticTraces,
//	                  ranges from the data)                             DecodeImages, the commands
//	loss.json         Train, at every progress report (LossFile)        Train on resume, Open
//	decoder.json      Run, or WriteDecoder (DecoderFile: TraceDecoder)  ReadDecoder: SyntheticTraces
//
// The decode recipe belongs to the folder: SyntheticTraces turns samples into full-length traces with
// decoder.json (or, without one, at the image side scaled to pipeline.json's class ranges), and
// DecodeImages turns 8-bit images of the model (a Result's ExamplePairs) into series at the image side
// with the same class ranges. Nothing else in the project scales decoded images.
//
// WriteExamples and ReadExamples are the one labelled-examples format of the command line: an NPZ with
// uint8 "images" [N, S, S] (or float32 "series" [N, L] in [0, 1]), int64 "labels" and "classes" (names
// joined by newlines), written by `netdiffus image` and `sample`, read by `train` and `eval`. Every file
// the pipeline writes goes through internal/atomicfile (WriteFile and Write expose it to the
// command line).
package pipeline
