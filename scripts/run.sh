#!/usr/bin/env bash
# The main job: installs what is missing, builds Release, and runs the default
# experiment headless:
#  1. the paper's DNN (depth 2, width 128) with the same weights on every
#     backend — native-cpu and, inside the embedded QtWebEngine, TF.js
#     cpu/wasm/webgl, ConvNetJS, brain.js, synaptic — side by side
#     (results/paper-dnn-backends-<time>.jsonl);
#  2. the paper's DNN grid (depth {1,2,4,8} x width {64,128,256}) on native-cpu
#     (results/paper-dnn-native-<time>.jsonl).
# Without a display it starts a virtual one (xvfb-run), so WebGL runs too.
# Extra arguments go to step 1 (`build/gapscope run --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build=${GAPSCOPE_BUILD_DIR:-build}
mkdir -p results
stamp=$(date -u +%Y%m%dT%H%M%SZ)

display=()
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  display=(xvfb-run -a -s "-screen 0 1280x1024x24")
fi
backends_out=results/paper-dnn-backends-$stamp.jsonl
# A backend that fails gets a failure row; the job goes on with the sweep.
"${display[@]}" "$build/gapscope" run --preset paper-dnn --depth 2 --width 128 --out "$backends_out" "$@" || true
echo "records: $backends_out"

native_out=results/paper-dnn-native-$stamp.jsonl
"$build/gapscope-native" sweep --preset paper-dnn --depths 1,2,4,8 --widths 64,128,256 \
  --phases load,warmup,infer,train --rounds 2 --out "$native_out"
echo "records: $native_out"
