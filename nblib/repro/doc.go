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
package repro
