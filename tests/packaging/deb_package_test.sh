#!/usr/bin/env bash
# Builds the .deb with CPack and checks what a user would get: the Depends
# dpkg-shlibdeps found plus the plugins named by hand, every installed file
# (executables, web harness and frameworks, .desktop, icon, metainfo), valid
# AppStream and desktop metadata, and the package's own executables working
# from an unpacked copy (native bench, headless gapscope run on tfjs-wasm),
# where the web root is found beside the binary, not in the build tree.
# Usage: deb_package_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack -G DEB -B "$work/out" --config "$build/CPackConfig.cmake" > "$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack could not build the package"; }
deb=$(ls "$work"/out/gapscope_*_amd64.deb)
depends=$(dpkg-deb -f "$deb" Depends)
for dep in qt6-qpa-plugins libqt6webenginecore6 libqt6webenginewidgets6 libqt6charts6 libqt6svgwidgets6 \
           libvulkan1 libsqlite3-0 zlib1g; do
  [[ ", $depends" == *", $dep "* || ", $depends," == *", $dep,"* ]] || fail "Depends lacks $dep: $depends"
done
[[ "$(dpkg-deb -f "$deb" Recommends)" == *mesa-vulkan-drivers* ]] || fail "Recommends lacks mesa-vulkan-drivers"

files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for f in ./usr/bin/gapscope ./usr/bin/gapscope-native ./usr/share/gapscope/web/harness/index.html \
         ./usr/share/gapscope/web/node_modules/@tensorflow/tfjs/dist/tf.min.js \
         ./usr/share/gapscope/web/node_modules/@tensorflow/tfjs/package.json \
         ./usr/share/applications/gapscope.desktop ./usr/share/icons/hicolor/scalable/apps/gapscope.svg \
         ./usr/share/metainfo/org.gapscope.workbench.metainfo.xml; do
  grep -qxF "$f" <<< "$files" || fail "the package lacks $f"
done

root="$work/root"
dpkg-deb -x "$deb" "$root"
appstreamcli validate --no-net --pedantic "$root/usr/share/metainfo/org.gapscope.workbench.metainfo.xml" ||
  fail "appstreamcli rejects the metainfo"
desktop-file-validate "$root/usr/share/applications/gapscope.desktop" || fail "desktop-file-validate rejects the entry"

# The unpacked executables, with nothing pointing them at the build tree.
unset GAPSCOPE_WEB_DIR GAPSCOPE_NATIVE DISPLAY
"$root/usr/bin/gapscope-native" --version | grep -q "TF.js 4.22.0" ||
  fail "gapscope-native --version does not find the packaged web harness"
"$root/usr/bin/gapscope-native" bench --preset paper-dnn --depth 1 --width 64 --runs-scale 0.05 --json \
  > "$work/bench.jsonl" || fail "the packaged gapscope-native bench failed"
grep -q '"phase":"train"' "$work/bench.jsonl" || fail "the packaged bench recorded no train phase"
XDG_DATA_HOME="$work/data" QT_QPA_PLATFORM=offscreen "$root/usr/bin/gapscope" run --backends native-cpu,tfjs-wasm \
  --preset paper-dnn --depth 1 --width 32 --runs-scale 0.05 --batch 16 --json > "$work/run.jsonl" ||
  fail "the packaged gapscope run failed"
for backend in native-cpu tfjs-wasm; do
  grep '"kind":"measurement"' "$work/run.jsonl" | grep -q "\"backend\":\"$backend\"" ||
    fail "the packaged gapscope run measured nothing on $backend"
done
echo "ok: $(basename "$deb"), $(wc -l <<< "$files") entries"
