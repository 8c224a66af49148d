// Package interactive draws NetDiffus-Go's figures as interactive ECharts charts (through go-echarts) that
// work offline, in a live GoNB notebook, in the HTML that `jupyter nbconvert --to html` makes of an executed
// notebook, and as standalone HTML files written by command-line programs.
//
// # Inputs
//
// Every chart takes plain slices and small structs (XY, Bars, Hist, Trace), never result types of other
// packages, so figure code anywhere can call it:
//   - Lines: y against x (loss curves; accuracy against trace count or length, Fig. 4, 6, 8), optional
//     log y axis;
//   - AccuracyBars: grouped bars with error bars (mean ± std over seeds) per category and group, e.g.
//     classifiers × scenarios (Fig. 3, Table 1);
//   - ClassFID: per-class FID bars with a horizontal floor line (the real-vs-real FID: what a perfect
//     generator would reach with the same number of images);
//   - Histograms: pixel-value histograms, one line per set (Fig. 1a, Fig. 7);
//   - Traces: 1-D series on one time axis with a zoom slider (original beside decoded-from-synthetic);
//   - Heatmap: a GASF image with the pixel value shown on hover; images above MaxHeatmapSide are
//     area-averaged down (the mean of each block, as INTER_AREA) to keep outputs small.
//
// Built on those: GASFSteps draws every stage of gasf.Pipeline for the tutorial (normalise, arccos,
// cos(phi_i+phi_j), gamma, area resize, 8 bit, inverse) and GammaSizeCharts one gamma/size setting;
// ExploreSet.ViewCharts shows a real and a synthetic image of a class, their decoded diagonals beside the real
// series (at block centres (k+1/2)L/S - 1/2) and their pixel histograms; GroupScores turns flat
// (classifier, scenario, mean, std) rows into AccuracyBars' inputs.
//
// Every chart has a plain-text fallback (Chart.Text: title, axes, each series' size and range) that is
// sent beside its HTML, so an untrusted notebook, GitHub or nbviewer still shows the numbers.
//
// # Controls without a waiting kernel
//
// Switch puts HTML controls (a slider that shows its value, a select) above one area and draws every
// combination of their values in advance; the browser switches between them. The cell ends at once, so
// Run All finishes, and the controls keep working in the saved notebook and its HTML export, where no
// kernel answers. (GoNB runs each cell as a process that ends with the cell, so widgets that call back
// into Go would keep the cell running until stopped.) GammaSizeExplorer (gamma slider, size select,
// starting at the paper's 0.25 and 32x32) and ExploreSet.Explorer (class select, sample slider) are
// built on it; MaxSwitchViews bounds the combinations, since each one is embedded.
//
// # The ECharts script
//
// The script is the dist/echarts.min.js of the npm package echarts@ECharts (Version), fetched by
// scripts/setup into .tools/echarts (never from a CDN; $NETDIFFUS_ECHARTS names another copy). A chart
// shown in a notebook is a <div> plus a short <script> that waits for the global `echarts` and draws into
// the div; the first chart shown in a kernel session also emits the whole ECharts script once, inline, in
// its own output (about 1 MB), so the executed notebook and its HTML export carry it exactly once and need
// no file or network. GoNB runs every cell as a new process, so "already loaded" is remembered by a marker
// file in the kernel's $GONB_TMP_DIR. A standalone file written by Save refers to a copy of the script
// placed once beside it in the figure folder, by a relative path.
//
// # Notebook or not
//
// Show writes the standalone HTML file (Dir()/name.html) and, only inside a GoNB notebook
// (gonbui.IsNotebook), displays the chart; outside a notebook the display part does nothing, so the
// same calls work from tests and command-line programs. TrainingView updates one output area in place
// (GoNB's display update by id) at most every Interval; outside a notebook it does nothing. Its time left
// is the remaining steps at the rate measured since the first report, which pays for compiling the model:
// until a second report it says it is estimating. Package
// livetrain feeds it from a U-Net's progress hook (livetrain.Observer) and trains a tiny demonstration
// model.
//
// # Checked in a browser
//
// Every chart div carries data-chart (its name), data-drawn="1" once setOption ran, and data-ink, the
// number of non-transparent canvas pixels on a sparse grid after ECharts' "finished" event, so
// scripts/browsercheck can tell a drawn chart from an empty one in headless Chromium's dumped DOM.
package interactive
