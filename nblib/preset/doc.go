// Package preset is the one place for run presets: a Preset bundles everything one NetDiffus run needs
// (data variant and split, the U-Net, training length, sampling, fidelity features, downstream
// classifiers and figure axes), and three named presets give the project's run modes one meaning in the
// library, the command line, the notebooks and docs/presets.md:
//
//   - smoke: what CI and the test command run; minutes on 2 cores. 16x16 images, a 16-channel U-Net,
//     1000 training steps, DDPM-50 on trailing spacing without guidance (SmokeSampling: the sampler
//     measured best on real data; DDIM-50 with eta 0 and guidance 3 both did worse). It shows the
//     pipeline working.
//     "quick", the former name, is accepted as an alias.
//   - cpu: the largest setting a 2-core CPU finishes in about half an hour per dataset: the medium data
//     variant (40 training and 10 test traces per class), 32x32 images, UNet32 (32 channels), 2000
//     training steps, Heun on 9 Karras steps (CPUSampling: 17 network calls, chosen by a sampler sweep).
//   - full: the paper artifact's setting for a GPU: full data, 128x128, UNet128 (learned sigma, no
//     null class, T = 1000), 30000 steps, DDIM-100 with eta 1 on trailing spacing, the paper's classifiers.
//
// The mode comes from $NETDIFFUS_MODE (FromEnv), which scripts/run-notebooks --mode sets.
//
// # Data large enough to decide
//
// Verdicts are decided by one rule on 95% intervals (nblib/eval/stats, nblib/repro), and accuracy
// differences are paired on the real test traces. How many test traces decide a claim follows from
// McNemar's test (stats.PairedTracesNeeded, 80% power): with a share d of traces that the two
// classifiers disagree on,
//
//	effect (points)   discordant d   test traces needed   the paper's claim
//	57.5              0.6            12                   Fig. 4, D3-Google (synth over original)
//	20                0.3            57
//	15                0.3            103
//	12.4              0.3            151                  Fig. 4, D2
//	10                0.3            234
//	5.8               0.2            465                  Table 1, L3 synth - original on D2/D3
//	1.5               0.1            3487                 Table 3, the smallest 2-D over 1-D gain
//
// The small variant (datasets.Small: 8 training and 2 test traces per class, 20 test traces for a
// 10-class dataset) decides nothing below about 45 points. The medium variant (datasets.Medium: 40
// training and 10 test traces per class, 100 test traces for D1-Netflix or D3-Google, 200 for D2)
// decides effects of about 15 points and more, and Fig. 4's n can run to 40 per class; training cost
// does not grow with it (the steps are fixed), sampling and the classifiers grow about fivefold. Effects
// of a few points need thousands of test traces: there "cannot tell" is the honest answer at any CPU
// scale. The real Echo data keep their 10 traces per command (2 test traces each).
//
// The cpu preset runs on the medium variant; `-set Data.Variant=small` runs any command, item or notebook
// at the small size (minutes less sampling and classifying, nothing decided below about 45 points).
//
// # Overrides
//
// Every field is a plain exported value: notebooks change fields directly, JSON files (Load) give the
// fields to change, and Set changes one field from text by its path of Go field names, e.g.
//
//	Net.Size=16  Net.ModelChannels=16  Train.Steps=5  Train.LearningRate=1e-3  Sample.Guidance=0
//	Net.AttentionResolutions=8,4  Downstream.Classifiers=rf,nb  Data.Variant=full
//
// The paths are the JSON keys of Print: the top-level sections Data, Net, Train, Sample, Measure,
// Downstream and Figures, then a field. Train holds unet.TrainConfig's fields (Schedule, BatchSize,
// LearningRate, ...) beside Steps, CheckpointEvery, Keep and ReportEvery. Lists are comma-separated;
// an empty value sets an empty list. Names match exactly or, failing that, ignoring case; an unknown
// name is an error listing the valid names at that level.
//
// # Guidance rule
//
// Classifier-free guidance runs when Sample.Guidance > 1 and the model has a null class. A scale of 1
// is the plain conditional model and scales below 1 are not guidance, so both sample without it; a
// scale above 1 for a model without a null class is an error (pipeline.Sample), never silently ignored.
package preset
