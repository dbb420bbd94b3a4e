#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build=${GAPSCOPE_BUILD_DIR:-build}
cd "$build"
ctest --output-on-failure -j "${GAPSCOPE_JOBS:-2}" "$@"
