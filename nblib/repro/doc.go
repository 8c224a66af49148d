// Package repro holds one function per figure and table of the NetDiffus paper: each takes a preset
// (nblib/preset: smoke, cpu or full), computes or loads a cached result through nblib/pipeline, and
// returns it for the notebook to plot.
//
// # Run modes
//
// The mode is the preset named by $NETDIFFUS_MODE (ModeFromEnv = preset.FromEnv), which
// scripts/run-notebooks --mode sets: smoke (CI, minutes on 2 cores; "quick" is an alias), cpu (about half
// an hour per dataset on 2 cores) or full (the paper artifact's scale, for a GPU).
//
// # Cache
//
// Results are JSON files under ResultsDir() ($NETDIFFUS_RESULTS, else results/ of the repository), one per
// experiment and configuration: the file name carries a hash of the configuration, so changing any
// setting recomputes, and re-running a notebook re-renders its figure without retraining. Force (or
// $NETDIFFUS_FORCE=1) recomputes anyway. Files are written atomically (temporary file, then rename), so an
// interrupted run never leaves a half-written result.
//
// # Items, references and verdicts
//
// Every figure and table is an Item (Items, ItemNamed): its configuration under a preset, its cached run,
// the notebook's paper | reference | this-run table (Compare), its verdicts and its figures (Plot). A
// figure notebook is one call, Show(name), which runs the item in the notebook's mode and shows all four. A stored reference,
// results-reference/NAME-cpu.json, is one item's result under the cpu preset with the configuration,
// commit and date that made it; `netdiffus repro NAME -mode cpu -write-reference` writes it, and a test
// fails when a stored reference no longer matches today's cpu configuration or result type.
// The evidence protocol's model-variance run (VarianceFor: three training seeds of D1-Netflix and
// D3-Google) is stored the same way as results-reference/variance-cpu.json (`netdiffus repro variance
// -mode cpu -write-reference`, StoredVariance). WriteStoredVerdicts lists the verdicts on every stored
// reference, then the variance run's between-model spread: docs/reproducing.md (linked from the README)
// quotes its output, under a test.
//
// # The verdict rule
//
// Every verdict is decided by one rule (nblib/eval/stats.Decide) on a 95% interval of the claimed
// difference: holds when the interval lies on the claimed side of the claim's margin, does not hold
// when it lies on the other side, cannot tell when it contains the margin or there is no interval; an
// undecided verdict says about how many test traces would decide it. Accuracy claims compare two
// classifiers on the same real test traces: Acc.Items keeps each trace's share of seeds classified
// correctly, and the interval of a difference is the paired bootstrap over traces (evidence.go). A claim
// the paper makes of every dataset (or row, or length) holds when it holds on each, does not hold when
// it fails on any, and cannot tell otherwise (stats.Combine); the line also gives the mean over the
// cases with its stratified paired interval. Results without per-trace outcomes (references made before
// the rule) and measures stored without replicates (per-class FID ranks, anomaly recall and entropy,
// imaging time) cannot be decided: their verdicts say "cannot tell (no interval: ...)" and give the
// point estimate.
//
// # Fig. 2(b)/(c): the GAN baselines
//
// Items fig2b (WW against the DoppelGANger-style GAN) and fig2c (D3-Google and D3-Alexa against the
// NetShare-style GAN) train the GAN of nblib/baselines on the training traces of NetDiffus's standard
// experiment, draw as many series per class as the experiment draws images, image them with the
// pipeline's GASF and measure them with pipeline.Measure (MeasureSeries), as the diffusion samples are:
// the same floors, FID intervals, audit and classifiers on the same real test traces. The paper's gains:
//
//	FID gain = (FID_GAN - FID_NetDiffus) / FID_GAN      (mean per-class FIDs)
//	accuracy difference = mean_k acc_synth,k(NetDiffus) - mean_k acc_synth,k(GAN)   (points, k the classifiers)
//
// The FID claim is decided per comparison on the paired bootstrap interval of the GAN's mean per-class
// FID minus NetDiffus's (pipeline.ClassFIDDifference: the real training rows of each class redrawn once
// for both sides, each generator's rows redrawn on their own), the accuracy claim per comparison and
// classifier on the paired bootstrap over test traces.
//
// # Fig. 2(a) across datasets
//
// FID here is on each dataset's own principal components (nblib/eval/features), so its scale is that of
// the dataset's pixel variance and raw values do not compare across datasets. Fig2Row.Relative does:
//
//	relative = mean_c FID(train_c, synth_c; m) / mean_c FID(train_c, test_c; m)
//
// with every class c measured at m rows, m the smallest class's count of real test or synthetic images,
// capped by Measure.FIDPerClass (fid.PerClassWithFloor; pipeline.Measures.ClassFIDRows). 1 means the synthetic images of a class sit as close to its training images as
// fresh real ones do; below 1, closer (at the cpu scale, with m of 2, partly small-sample noise).
package repro
