// Package backend picks the GoMLX compute backend for NetDiffus-Go and says why, in one line a notebook
// can print.
//
// # Order of choice
//
//  1. An explicit GOMLX_BACKEND ("go", "onnx[:<libonnxruntime.so>]", "xla:<plugin name or .so path>").
//     It is validated before use: a missing library or plugin is an error that lists what was looked for.
//  2. XLA on CUDA, when an NVIDIA driver is present and a PJRT CUDA plugin is found: $NETDIFFUS_PJRT_CUDA_PLUGIN,
//     pjrt_c_api_cuda_plugin.so in go-xla's standard folders (or $PJRT_PLUGIN_LIBRARY_PATH), or the
//     xla_cuda_plugin.so shipped inside an installed jax CUDA package (jax_plugins/xla_cuda*) under any
//     site-packages folder ($NETDIFFUS_SITE_PACKAGES first, then $VIRTUAL_ENV's, the system's and the user's).
//  3. ONNX Runtime on CPU, when libonnxruntime is found: $ONNXRUNTIME_SHARED_LIBRARY_PATH, the project's own
//     .tools/onnxruntime/ (written by scripts/setup), or ~/.local/lib/onnxruntime/.
//  4. The pure Go backend: always available, slow; fine for unit tests of graph code.
//
// A candidate found on disk that fails to open (a plugin for another CUDA version, say) is skipped with its
// error recorded in the reason, and the next candidate is tried; an explicit choice that fails is an error.
//
// # A GPU machine with JAX
//
// The plugin that pip's jax-cuda12/13-plugin installs loads the CUDA libraries of pip's nvidia-*
// packages (site-packages/nvidia/*/lib), which the dynamic loader finds only through LD_LIBRARY_PATH,
// read when a process starts. FindGPUEnv finds the plugin and those folders; `netdiffus gpu-env` prints
// them as shell exports, which scripts/device-check's run script evaluates before starting netdiffus.
//
// # No downloads
//
// The package never starts a download: it does not link go-xla's auto-installer, it always hands ONNX
// Runtime an explicit library path, and at init it sets GOMLX_NO_AUTO_INSTALL=1 unless the user set it.
//
// # No telemetry
//
// ONNX Runtime's Linux builds carry Microsoft's 1DS telemetry client: with it on, every process that
// loads the library writes a device id and an SQLite event queue (session and process events, which
// include executable paths) under $XDG_CACHE_HOME/Microsoft/DeveloperTools/.onnxruntime (~/.cache when
// XDG_CACHE_HOME is unset) and tries to upload them to mobile.events.data.microsoft.com. Users of this
// project handle sensitive traffic, so at init the package sets ORT_DISABLE_TELEMETRY=1 (unless the user
// set the variable), before any ONNX Runtime library is loaded; with it, ONNX Runtime creates neither the
// store nor the uploader. compute-onnx does not expose the C API's DisableTelemetryEvents, so the
// environment variable is the switch. A program that opens ONNX Runtime without importing this package
// must set ORT_DISABLE_TELEMETRY=1 itself. TestNoTelemetryStore trains on ONNX Runtime with HOME and
// XDG_CACHE_HOME pointed at empty folders and checks that nothing appears there (and that a control run
// with ORT_DISABLE_TELEMETRY=0 does create the store).
//
// # Why ONNX Runtime on CPU
//
// On the project's 2-core reference machine a small 5-block conv U-Net training step (batch 32, 32x32) took
// 0.34 s on ONNX Runtime and 19 s on the pure Go backend (see docs/backends.md).
package backend
