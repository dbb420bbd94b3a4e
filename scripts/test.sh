#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test:
#   1. the Release build's ctest (build/),
#   2. the whole suite under ASan + UBSan (scripts/test-sanitized.sh, build-asan/),
#   3. every libFuzzer target for GAPSCOPE_FUZZ_SECONDS each (scripts/fuzz.sh, build-fuzz/).
# All three run even when one fails; the exit code says whether any did.
# With arguments, only step 1 runs, and they go to ctest (e.g. -R vulkan).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
build=${GAPSCOPE_BUILD_DIR:-build}
if (($#)); then
  cd "$build" && exec ctest --output-on-failure -j "${GAPSCOPE_JOBS:-2}" "$@"
fi

failed=()
step() {
  local name=$1; shift
  local started=$SECONDS
  echo "=== test step: $name"
  "$@" || failed+=("$name")
  echo "=== test step: $name took $((SECONDS - started)) s"
}
step "Release ctest" bash -c "cd '$build' && ctest --output-on-failure -j '${GAPSCOPE_JOBS:-2}'"
step "ASan+UBSan ctest" scripts/test-sanitized.sh
step "fuzzing" scripts/fuzz.sh
if ((${#failed[@]})); then
  echo "FAILED test steps: ${failed[*]}" >&2
  exit 1
fi
echo "all test steps passed"
