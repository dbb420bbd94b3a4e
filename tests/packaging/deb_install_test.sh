#!/usr/bin/env bash
# Installs the .deb into a fresh Debian 12 root that this test builds itself
# (debootstrap, from the mirror this machine's apt uses) with apt, so every
# dependency comes from Debian as a user's would, then runs, inside that root,
# `gapscope-native bench` and a headless `gapscope run` with tfjs-wasm. The
# root holds no source or build tree: nothing can be read from them.
# Needs root (debootstrap, chroot, mounts). Usage: deb_install_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
[ "$(id -u)" = 0 ] || { echo "FAIL: needs root (debootstrap and chroot)" >&2; exit 1; }
work=$(mktemp -d)
root="$work/root"
mounts=()
cleanup() {
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
# Lines of FILE holding every given string. Files, not `| grep -q`: under
# pipefail the writer's SIGPIPE when grep -q stops early reads as "not found".
count_lines() {
  local file=$1; shift
  awk 'BEGIN { for (i = 2; i < ARGC; i++) want[i] = ARGV[i]; n = ARGC; ARGC = 2 }
       { ok = 1; for (i = 2; i < n; i++) if (index($0, want[i]) == 0) ok = 0; c += ok }
       END { print c + 0 }' "$file" "$@"
}

cpack -G DEB -B "$work/out" --config "$build/CPackConfig.cmake" > "$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack could not build the package"; }
deb=$(ls "$work"/out/gapscope_*_amd64.deb)

# The Debian mirror this machine's apt already uses (deb822 or one-line sources).
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n 1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$mirror" ] || fail "no Debian mirror found in /etc/apt/sources.list*"
echo "debootstrap bookworm from $mirror ..."
debootstrap --variant=minbase bookworm "$root" "$mirror" > "$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log"; fail "debootstrap failed"; }

for dir in proc sys dev dev/shm; do
  mount --bind "/$dir" "$root/$dir"
  mounts+=("$root/$dir")
done
cp "$deb" "$root/tmp/"
in_root() { chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
in_root apt-get update -qq > "$work/apt.log" 2>&1 || { tail -20 "$work/apt.log"; fail "apt-get update failed in the root"; }
in_root apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$deb")" >> "$work/apt.log" 2>&1 ||
  { tail -30 "$work/apt.log"; fail "apt could not install the package in a fresh Debian 12"; }
# native-vulkan needs a driver; the package only recommends one (no-recommends above), so install it as a user would.
in_root apt-get install -y -qq mesa-vulkan-drivers >> "$work/apt.log" 2>&1 || fail "could not install mesa-vulkan-drivers"

in_root gapscope-native --version > "$work/version.txt" || fail "the installed gapscope-native --version failed"
[ "$(count_lines "$work/version.txt" "TF.js 4.22.0")" -gt 0 ] ||
  { cat "$work/version.txt"; fail "the installed gapscope-native finds no web harness"; }
in_root gapscope-native bench --preset paper-dnn --depth 1 --width 64 --runs-scale 0.05 --json > "$work/bench.jsonl" ||
  fail "the installed gapscope-native bench failed"
[ "$(count_lines "$work/bench.jsonl" '"phase":"train"')" -gt 0 ] || fail "the installed bench recorded no train phase"
in_root /usr/bin/env QT_QPA_PLATFORM=offscreen gapscope run --backends native-cpu,tfjs-wasm --preset paper-dnn \
  --depth 1 --width 32 --runs-scale 0.05 --batch 16 --json > "$work/run.jsonl" 2> "$work/run.err" ||
  { tail -20 "$work/run.err"; fail "the installed gapscope run failed"; }
for backend in native-cpu tfjs-wasm; do
  [ "$(count_lines "$work/run.jsonl" '"kind":"measurement"' "\"backend\":\"$backend\"")" -gt 0 ] ||
    { tail -20 "$work/run.err"; grep -v '"kind":"measurement"' "$work/run.jsonl" || true
      fail "the installed gapscope run measured nothing on $backend"; }
done
echo "ok: $(basename "$deb") installed with apt into a fresh Debian 12 root and ran there"
