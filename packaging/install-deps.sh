#!/usr/bin/env bash
# Installs, from Debian 12's archive, every package Storyreel needs to build, run and test.
# Idempotent: it installs only what is missing and says what it installs. Runs as root, or
# through sudo; otherwise it stops and lists the command to run.
set -euo pipefail

packages=(
    # toolchain
    g++ cmake ninja-build ccache pkg-config clang-format-14 dpkg-dev file
    # Qt 6: widgets, svg icons, lupdate/lrelease, Qt's own French strings
    qt6-base-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools
    qt6-translations-l10n libgl-dev
    # inference, media, data
    libtorch-dev libopencv-dev libwebp-dev libavcodec-dev libavformat-dev libavutil-dev libswscale-dev
    libsentencepiece-dev libpcre2-dev nlohmann-json3-dev
    # an optimised BLAS: without it LibTorch 1.13 uses the reference one (~100x slower matmul)
    libopenblas0-pthread
    # tests: Catch2, the ffmpeg/ffprobe/melt programs that check outputs, a font for
    # offscreen screenshots, desktop-file and AppStream validators, Xvfb for looking
    catch2 ffmpeg melt fonts-dejavu-core desktop-file-utils appstream libxml2-utils xvfb xauth
    clang-14 libclang-rt-14-dev  # libFuzzer for tests/fuzz/run_fuzzers.sh (not run by ctest)
)

source "$(dirname "$0")/install-packages.sh"
install_missing_packages install-deps "${packages[@]}"
