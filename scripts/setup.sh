#!/usr/bin/env bash
# Installs what gapscope needs on Debian 12, idempotently: apt packages (only
# the missing ones, so a second run is quick and offline) and the npm packages
# of resources/web (npm ci, only when the lock file changed).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  # Repeated builds (the three of the test command, CI runs on one machine).
  ccache
  libeigen3-dev nlohmann-json3-dev zlib1g-dev catch2
  # The run history (results database).
  libsqlite3-dev
  dataset-fashion-mnist fortunes
  # Vulkan: the loader and headers, Mesa's lavapipe (a software device, so the
  # GPU backend's tests run without a GPU) and glslc for the compute shaders.
  libvulkan-dev mesa-vulkan-drivers glslc
  # Qt 6.4 for the workbench and the embedded browser (QtWebEngine); a virtual
  # X display and Mesa's software GL so tfjs-webgl runs headless (xvfb-run).
  qt6-base-dev qt6-charts-dev qt6-webengine-dev qt6-webchannel-dev qt6-svg-dev qt6-qpa-plugins
  xvfb xauth libgl1-mesa-dri
  # The web harness tests also run in headless Debian chromium (the standalone
  # browser the QtWebEngine figures are compared with).
  chromium
  # PyTorch is the oracle of the correctness tests and the peer of the benchmark;
  # without OpenBLAS it falls back to the reference BLAS and the comparison is void.
  python3-torch python3-numpy libopenblas0-openmp
  # The zoo benchmark's peer architectures (tests/bench/zoo_pytorch.py).
  python3-torchvision
  # Packaging: the .deb tests validate the AppStream metainfo and .desktop entry
  # and install the package into a fresh Debian root they build (debootstrap).
  appstream desktop-file-utils debootstrap
  # The libFuzzer targets (scripts/fuzz.sh): clang with its sanitizer and fuzzer runtimes.
  clang libclang-rt-14-dev
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = "install ok installed" ] || missing+=("$pkg")
done
# Node.js may come from another source (its own nodejs package bundles npm):
# only ask Debian for it when the commands are missing.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm ci only when node_modules does not match the lock file.
web=resources/web
stamp=$web/node_modules/.gapscope-lock.sha256
want=$(sha256sum "$web/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: npm ci in $web"
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi
echo "setup: ok"
