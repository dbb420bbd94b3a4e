#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang in build-fuzz and runs
# each for ${GAPSCOPE_FUZZ_SECONDS:-30} seconds; exits non-zero on a finding.
# Extra arguments pick targets (see tests/fuzz/run_fuzzers.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${GAPSCOPE_FUZZ_BUILD_DIR:-build-fuzz}
if [[ ! -f $build/CMakeCache.txt ]]; then
  CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DGAPSCOPE_FUZZ=ON -DGAPSCOPE_BUILD_UI=OFF
fi
cmake --build "$build"
exec tests/fuzz/run_fuzzers.sh "$build" "${GAPSCOPE_FUZZ_SECONDS:-30}" "$@"
