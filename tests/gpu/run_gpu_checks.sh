#!/usr/bin/env bash
# GPU checks for a CUDA machine (never run by ctest: there is no GPU in CI). Builds the
# `gpu` preset (core/base, core/infer, test_infer) against the CUDA LibTorch inside the
# installed PyTorch, runs every infer test, then the CUDA-only ones ([.cuda]): device probe,
# device memory and "auto", seeded noise CPU == GPU, offload to the GPU and back, and block
# swap, which prints whether swapped results are identical to all-resident ones and a
# table of peak memory for both runs.
#
#   tests/gpu/run_gpu_checks.sh            # BUILD_DIR=build/gpu by default
#
# Needs: python3 with a CUDA PyTorch, CMake >= 3.25, Ninja, a C++20 compiler, Catch2 2.13
# and the CUDA toolkit that PyTorch's CMake config asks for.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${BUILD_DIR:-build/gpu}

python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else
    "run_gpu_checks: PyTorch sees no CUDA device")'
prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
# Wheels may use the old libstdc++ string ABI; everything we link must match LibTorch.
abi=$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
python3 -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda,
    "on", torch.cuda.get_device_name(0))'

cmake --preset gpu -B "$build" -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_CXX_FLAGS="-D_GLIBCXX_USE_CXX11_ABI=$abi"
cmake --build "$build" --target test_infer

grep -q 'STORYREEL_WITH_CUDA' "$build/build.ninja" ||
    { echo "run_gpu_checks: LibTorch was found without CUDA (STORYREEL_WITH_CUDA unset)" >&2; exit 1; }

echo "== infer tests (all but the hidden ones)"
"$build/tests/core/test_infer"
echo "== CUDA-only tests: memory, noise, offload, block swap"
"$build/tests/core/test_infer" "[cuda]"
