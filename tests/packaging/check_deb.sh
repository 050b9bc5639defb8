#!/usr/bin/env bash
# Builds storyreel_VERSION_amd64.deb from BUILD_DIR, lists it, unpacks it into WORK_DIR and
# runs the unpacked programs: the CLI prints its version, the GUI opens the sample storyboard
# offscreen and saves a screenshot.
# Usage: check_deb.sh BUILD_DIR WORK_DIR VERSION
set -euo pipefail
build=$1
work=$2
version=$3
rm -rf "$work"
mkdir -p "$work"
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || {
    cat "$work/cpack.log" >&2
    echo "check_deb: cpack failed" >&2
    exit 1
}
deb="$work/out/storyreel_${version}_amd64.deb"
[ -f "$deb" ] || { echo "check_deb: $deb was not made" >&2; exit 1; }

contents=$(dpkg-deb -c "$deb")
for path in ./usr/bin/storyreel ./usr/bin/storyreel-cli \
    ./usr/share/applications/io.storyreel.Storyreel.desktop \
    ./usr/share/metainfo/io.storyreel.Storyreel.metainfo.xml \
    ./usr/share/mime/packages/io.storyreel.Storyreel.xml \
    ./usr/share/icons/hicolor/scalable/apps/io.storyreel.Storyreel.svg; do
    grep -q " $path\$" <<<"$contents" || { echo "check_deb: $path missing from the .deb" >&2; exit 1; }
done
depends=$(dpkg-deb -f "$deb" Depends)
for library in libqt6widgets6 libtorch libopencv-core libavcodec; do
    grep -q "$library" <<<"$depends" || {
        echo "check_deb: Depends lacks $library: $depends" >&2
        exit 1
    }
done

dpkg-deb -x "$deb" "$work/root"
"$work/root/usr/bin/storyreel-cli" --version | grep -q "storyreel-cli $version"
export QT_QPA_PLATFORM=offscreen XDG_DATA_HOME="$work/data" XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
"$work/root/usr/bin/storyreel" --screenshot "$work/window.png"
[ -s "$work/window.png" ] || { echo "check_deb: the GUI saved no screenshot" >&2; exit 1; }
echo "check_deb: $(basename "$deb") ($(du -h "$deb" | cut -f1)) installs and launches."
