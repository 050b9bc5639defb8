// Initial latents that depend on the seed only, not on the device: the noise is drawn on
// the CPU from a generator seeded explicitly, in float32, then moved and cast. A seed shown
// in a take therefore reproduces the take on another machine, GPU or not. (The Wan and
// HunyuanVideo reference scripts draw on the GPU, so their noise differs from ours for the
// same seed; what matters here is that ours is the same everywhere.)
//
//   at::Tensor latents = seededNoise({16, 21, 60, 104}, 42, device, at::kBFloat16);
//
// Thread-safety: any thread; each call uses its own generator (the global one is untouched).
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>
#include <c10/util/ArrayRef.h>

#include <cstdint>

namespace storyreel::infer {

// Standard normal values of `shape`, the same for the same seed on every device and in
// every dtype (float32 values rounded to `dtype`).
at::Tensor seededNoise(c10::IntArrayRef shape, std::uint64_t seed,
                       c10::Device device = c10::Device(c10::kCPU),
                       c10::ScalarType dtype = c10::kFloat);

}  // namespace storyreel::infer
