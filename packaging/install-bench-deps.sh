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

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "install-bench-deps: all ${#packages[@]} packages are installed."
    exit 0
fi

echo "install-bench-deps: installing ${#missing[@]} missing package(s): ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
else
    echo "install-bench-deps: error: installing packages needs root. Run:" >&2
    echo "  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ! "${as_root[@]}" apt-get update -qq; then
    echo "install-bench-deps: error: 'apt-get update' failed; check the network and apt sources." >&2
    exit 1
fi
if ! "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    echo "install-bench-deps: error: 'apt-get install' failed for: ${missing[*]}" >&2
    exit 1
fi
echo "install-bench-deps: done."
