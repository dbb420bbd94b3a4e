#!/usr/bin/env bash
# The main job: installs what is missing, builds Release, and runs the default
# experiment: the paper's DNN benchmark (depth {1,2,4,8} x width {64,128,256})
# on native-cpu, printed as a table and written as JSON lines to
# results/paper-dnn-native-<time>.jsonl.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build=${GAPSCOPE_BUILD_DIR:-build}
mkdir -p results
out=results/paper-dnn-native-$(date -u +%Y%m%dT%H%M%SZ).jsonl
"$build/gapscope-native" sweep --preset paper-dnn --depths 1,2,4,8 --widths 64,128,256 \
  --phases load,warmup,infer,train --rounds 2 --out "$out" "$@"
echo "records: $out"
