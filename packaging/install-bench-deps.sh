#!/usr/bin/env bash
# Installs, from Debian 12's archive, what the benchmarks that compare Storyreel with a
# reference Python implementation need: Python 3 and PyTorch (python3-torch 1.13, CPU; it
# runs on the same LibTorch as Storyreel) with NumPy. Not needed to build, run or test
# Storyreel, so install-deps.sh and CI leave it out. Idempotent: it installs only what is
# missing and says what it installs. Runs as root, or through sudo; otherwise it stops and
# lists the command to run.
#
# The reference code itself is not a package: `git clone https://github.com/Wan-Video/Wan2.1`
# and pass the clone to `storyreel-bench-infer wan-step --ref`.
set -euo pipefail

packages=(
    python3 python3-torch python3-numpy
)

source "$(dirname "$0")/install-packages.sh"
install_missing_packages install-bench-deps "${packages[@]}"
