// LibTorch version checks. Debian ships LibTorch 1.13 (CPU); users run 2.x with CUDA.
// Guard 2.x-only calls (fused attention, newer dtypes) with STORYREEL_TORCH_AT_LEAST.
//
//   #if STORYREEL_TORCH_AT_LEAST(2, 0)
//       out = at::scaled_dot_product_attention(q, k, v);
//   #endif
//
// Thread-safety: macros only.
#pragma once

#include <torch/version.h>

#define STORYREEL_TORCH_AT_LEAST(major, minor) \
    (TORCH_VERSION_MAJOR > (major) ||          \
     (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))
