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
//     per-class FID on the real training images' principal components (fid.Frechet: |mu1-mu2|^2 +
//     tr(S1 + S2 - 2 (S1 S2)^(1/2))), each with its floor, the same distance from the real training to
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
//   - length and values: the trace is L values long. A donor, a real training series u of the same
//     class drawn at random (u min-max normalised, c' the GASF inverse of u's own image), gives the
//     within-bin detail: x_k = c_{floor(k S / L)} + u_k - c'_{floor(k S / L)}, the generated coarse
//     value of k's span plus the donor's departure from its own. The x_k only order the values: the
//     donor's values, sorted, take the places of the x_k in rank order (quantile mapping onto the
//     donor's marginal), so the trace holds values real traces of the class hold (packet sizes are
//     sizes the class uses, not averages of them). The donor also gives the active length: with padded
//     real series (a packet trace shorter than the feature's length) only its first n values are
//     ranked, and the rest are f.Of's zero padding.
//   - scale: each trace draws its own (minimum, maximum) from a kernel density estimate of the class's
//     training pairs, (lo_i, hi_i) + N(0, diag(h^2)) with Silverman's bandwidth h = 1.06 sd n^(-1/5) per
//     coordinate, kept within the class's observed extremes; the value is lo + x (hi - lo), rounded to
//     whole numbers when every real value is one.
//
// So the ordering of the values along the trace follows the generated coarse shape (what the
// diffusion model learned); the values themselves, the within-bin detail, the length and the scale are
// resampled from the class's real training data, not generated. This keeps
// volumes spread within a class as they are in the data (a class-mean scale gives every trace of a
// class the same range, which the within-class volume distance of MeasureRealTraces exposes), and
// gives traces in bytes that packet and capture writers accept. It is not a model of the fine
// structure: each trace's values are a real training trace's values, rearranged (it can disclose
// them, it cannot produce values the training set lacks, and a per-field distance below its floor is
// a sign of that copying, not of quality), and the scale is independent of the generated shape. Why this
// first: a 1-D refinement model conditioned on the coarse series (the project's 1-D U-Net), larger
// images where L allows (L = 128 at the full preset), an invertible imaging beside GASF, or the scale
// generated as extra outputs conditioned on the class are each a new trained model and a new figure to
// validate; this decoder needs no training, works for every model already trained from traces once
// Run has written its decoder.json, and its measures (MeasureRealTraces with floors) are the yardstick
// the trained alternatives will have to beat. With one training series per class the decoder gives
// that series back exactly from its own image (a test).
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
