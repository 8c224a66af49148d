#!/usr/bin/env bash
# The GPU half of scripts/device-check: run on the GPU machine from the carried folder. Needs no network,
# no Go: the netdiffus binary beside it, a JAX install with its CUDA plugin (jax-cuda12/13-plugin and
# jax-cuda12/13-pjrt: jax_plugins/xla_cuda*/xla_cuda_plugin.so) and, for the twin, a python3 with torch.
#
#   ./run.sh             every check, under 10 minutes; the output also goes to run.log beside it
#   ./run.sh -discover   only print the environment found (plugin, library path) and exit
#
# Overrides (environment):
#   NETDIFFUS_PJRT_CUDA_PLUGIN  the PJRT CUDA plugin .so to use (skips the search)
#   NETDIFFUS_SITE_PACKAGES     ":"-separated site-packages folders to search (default: those of $NETDIFFUS_PYTHON)
#   NETDIFFUS_NVIDIA_LIBS       ":"-separated CUDA library folders put first on LD_LIBRARY_PATH
#   NETDIFFUS_PYTHON            the python with jax and torch (default python3)
#   DEVICE_CHECK_WORK           scratch folder (default ./work beside this script)
#   BENCH_STEPS, TRAIN_STEPS    training steps of the benchmark (50) and of the short training (300)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
nd="$here/netdiffus"
py="${NETDIFFUS_PYTHON:-python3}"
work="${DEVICE_CHECK_WORK:-$here/work}"
export NETDIFFUS_PYTHON="$py" GOMLX_NO_AUTO_INSTALL=1 NETDIFFUS_RESULTS="$work/results"

[ -x "$nd" ] || { echo "run.sh: no netdiffus binary beside me ($nd): build the folder with scripts/device-check" >&2; exit 1; }

# The site-packages of the python that has jax, so gpu-env finds its plugin and pip's NVIDIA libraries.
if [ -z "${NETDIFFUS_SITE_PACKAGES:-}" ] && command -v "$py" >/dev/null 2>&1; then
	NETDIFFUS_SITE_PACKAGES="$("$py" -c 'import site; print(":".join(site.getsitepackages() + [site.getusersitepackages()]))' 2>/dev/null || true)"
fi
export NETDIFFUS_SITE_PACKAGES="${NETDIFFUS_SITE_PACKAGES:-}"

# gpu-env (nblib/backend.FindGPUEnv) prints exports of GOMLX_BACKEND, NETDIFFUS_PJRT_CUDA_PLUGIN and
# LD_LIBRARY_PATH; the loader reads LD_LIBRARY_PATH when a process starts, hence eval here.
if ! env_lines="$("$nd" gpu-env)"; then
	echo "run.sh: no PJRT CUDA plugin: set NETDIFFUS_PJRT_CUDA_PLUGIN=/abs/path/xla_cuda_plugin.so or NETDIFFUS_SITE_PACKAGES" >&2
	exit 1
fi
eval "$env_lines"
if [ "${1:-}" = -discover ]; then
	printf '%s\n' "$env_lines"
	exit 0
fi
[ $# -eq 0 ] || { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }

mkdir -p "$work"
exec > >(tee "$here/run.log") 2>&1
start=$SECONDS
summary=()

# step NAME SECONDS COMMAND...: runs one check under a time limit and records its status and time.
step() {
	local name="$1" limit="$2"
	shift 2
	echo
	echo "=== $name (limit ${limit}s): $*"
	local t0=$SECONDS
	timeout --signal=INT --kill-after=10 "$limit" "$@"
	local rc=$?
	local status=ok
	[ $rc -eq 0 ] || status="FAILED rc=$rc"
	[ $rc -eq 124 ] && status="TIMED OUT after ${limit}s"
	echo "=== $name: $status in $((SECONDS - t0)) s"
	summary+=("$(printf '%-10s %-28s %4d s' "$name" "$status" $((SECONDS - t0)))")
}

echo "device-check $(cat "$here/BUILD" 2>/dev/null) on $(hostname), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
printf '%s\n' "$env_lines"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used --format=csv
"$py" -c 'import jax; print("jax", jax.__version__, jax.devices())' 2>&1 | tail -1
"$py" -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, torch.cuda.is_available())' 2>&1 | tail -1

step backend 60 "$nd" backend
step bench 200 "$nd" bench -preset full -steps "${BENCH_STEPS:-50}" -calls 5 -twin -twin-steps 10 -twin-script "$here/unet_torch.py"
# A short full-preset training (128x128, learned sigma) on the full D1 data, then sampling (the preset's
# DDIM-100) and decoding to traces; -time stops training in time (each step has a limit; together under 10 min) (the model stays resumable).
step data 20 "$nd" data generate -name d1 -variant full -out "$work/d1.npz"
step image 40 "$nd" image -in "$work/d1.npz" -out "$work/images" -size 128 -quiet
step train 150 "$nd" train -data "$work/images/d1.npz" -model "$work/full-run" -preset full -set Train.Steps="${TRAIN_STEPS:-300}" -time 80s
step generate 90 "$nd" generate -model "$work/full-run" -out "$work/synthetic" -per-class 1

echo
echo "=== summary ($((SECONDS - start)) s in all)"
printf '%s\n' "${summary[@]}"
