#!/usr/bin/env bash
# Configures and builds gapscope (Release) in build/ (or $GAPSCOPE_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${GAPSCOPE_BUILD_DIR:-build}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
# Two cores and Eigen-heavy translation units: -j2 keeps memory and time in check.
cmake --build "$build" -j "${GAPSCOPE_JOBS:-2}"
