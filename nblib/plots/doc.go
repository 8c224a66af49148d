// Package plots draws NetDiffus-Go's figures with gonum/plot and shows them in GoNB notebooks.
//
// Every figure function returns a *plot.Plot; Show writes it as PNG and SVG into the figure folder (Dir:
// $NETDIFFUS_OUT, set by scripts/run-notebooks, else out/figures of the repository) and, when running inside
// a GoNB notebook, displays the PNG inline. Outside a notebook Show only writes files, so the same code runs
// in tests and command-line programs.
//
// Figures are for a paper: Lines, Histograms and Bars refuse an empty title or axis name (name the unit
// too), heat maps carry named axes and a colour key, and example grids name their rows and columns.
//
// The kinds of figure the paper uses:
//   - Heatmap: a GASF image (Fig. 1b), from any plotter.GridXYZ, with a colour key (HeatmapLabelled names
//     the axes and the key);
//   - ExampleGrid: real and synthetic images side by side, one column per class, rows named real and
//     synthetic (ExampleGridSize sizes the figure);
//   - Histograms: overlaid, normalised histograms of pixel values, original vs synthetic (Fig. 1a, Fig. 7);
//   - Lines: accuracy against a swept quantity (Fig. 4, 6, 8), training loss curves;
//   - Bars: grouped bars, one group per category (Fig. 2, Fig. 3, Table 1);
//   - Table: a small table shown as Markdown in a notebook (with the same text as its plain-text
//     fallback) and saved as CSV.
package plots
