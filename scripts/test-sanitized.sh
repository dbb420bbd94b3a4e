#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer:
# builds everything with -DGAPSCOPE_SANITIZE=ON in build-asan (or
# $GAPSCOPE_ASAN_BUILD_DIR) and runs ctest there. Any ASan or UBSan report
# fails its test. The only suppressions are the leak reports of libraries we
# do not build, listed with their reasons in tests/sanitizers/lsan.supp.
# Left out, as they run none of our C++ under the sanitizers' eyes or would take
# the CI's whole budget: the packaging tests (they package and install the
# Release build; an ASan .deb is not what a user installs), web_harness (node
# and chromium only) and "paper-rnn gets below 2.0 nats" (two epochs of LSTM
# training for a quality bar: 70 s in Release, 14 min under ASan; the same
# LSTM, corpus and training code runs here in the shorter rnn tests).
# Extra arguments go to ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${GAPSCOPE_ASAN_BUILD_DIR:-build-asan}
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGAPSCOPE_SANITIZE=ON >/dev/null
cmake --build "$build" -j "${GAPSCOPE_JOBS:-2}"
# halt_on_error: a report ends the process (its test fails) instead of scrolling by.
# new_delete_type_mismatch=0: QtWebEngine's Chromium deletes objects through a
# base class with sized delete (reported at the first page load, in
# libQt6WebEngineCore, not in our code), and ASan cannot suppress that check
# per library.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:new_delete_type_mismatch=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
# Vulkan tests get lavapipe's driver alone, so the loader loads no other
# installed driver (each one more library whose start-up may keep memory in
# globals); gpu/vulkan/driver_pinning.h keeps the drivers it loads mapped.
lavapipe=/usr/share/vulkan/icd.d/lvp_icd.x86_64.json
if [ -z "${VK_DRIVER_FILES:-}${VK_ICD_FILENAMES:-}" ] && [ -f "$lavapipe" ]; then
  export VK_DRIVER_FILES=$lavapipe VK_ICD_FILENAMES=$lavapipe
fi
cd "$build"
ctest --output-on-failure -j "${GAPSCOPE_JOBS:-2}" -E '^(packaging_|web_harness$|paper-rnn gets below 2\.0 nats)' "$@"
