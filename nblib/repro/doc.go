// Package repro holds one function per figure and table of the NetDiffus paper: each takes a Config
// (quick or full), computes or loads a cached result, and returns it for the notebook to plot.
//
// # Run modes
//
// Quick runs on a 2-core CPU in minutes (small images, short training, few repeats); CI and the notebook
// smoke run use it. Full is the paper's scale and wants a GPU. The mode comes from $NETDIFFUS_MODE
// (ModeFromEnv), which scripts/run-notebooks sets.
//
// # Cache
//
// Results are JSON files under ResultsDir() ($NETDIFFUS_RESULTS, else results/ of the repository), one per
// experiment and configuration: the file name carries a hash of the configuration, so changing any
// setting recomputes, and re-running a notebook re-renders its figure without retraining. Force (or
// $NETDIFFUS_FORCE=1) recomputes anyway. Files are written atomically (temporary file, then rename), so an
// interrupted run never leaves a half-written result.
package repro
