#!/usr/bin/env bash
# The main job: installs what is missing, builds Release, and runs the default
# experiment headless, writing reports:
#  1. the paper's DNN (depth 2, width 128) with the same weights on every
#     backend — native-cpu, native-vulkan and, inside the embedded QtWebEngine,
#     TF.js cpu/wasm/webgl, ConvNetJS, brain.js, synaptic — side by side, then
#     its report (results/paper-dnn-backends-<time>.{jsonl,html,pdf});
#  2. `gapscope reproduce paper --quick`: the paper's experiments at a size
#     that takes a few minutes, with its findings marked confirmed or not on
#     this machine (results/reproduce-<time>/report.{html,pdf}).
# Every run also lands in the run history results/history.sqlite
# (`build/gapscope history --db results/history.sqlite`).
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
history=results/history.sqlite
# A backend that fails gets a failure row; the job goes on.
"${display[@]}" "$build/gapscope" run --preset paper-dnn --depth 2 --width 128 --out "$backends_out" \
  --db "$history" "$@" || true
run_id=$(head -n 1 "$backends_out" | grep -o '"run_id":"[^"]*"' | cut -d'"' -f4)
"${display[@]}" "$build/gapscope" report "$run_id" --db "$history" \
  --html "results/paper-dnn-backends-$stamp.html" --pdf "results/paper-dnn-backends-$stamp.pdf"

"${display[@]}" "$build/gapscope" reproduce paper --quick --db "$history" --out "results/reproduce-$stamp"
