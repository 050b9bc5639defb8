// What the neural engines (wan_engine, hunyuan_engine) share: where a request runs (device
// and memory profile), the image as a uint8 RGB tensor, frames back from tensors, and the
// out-of-memory message that names the profile that would fit. Private to core/render: it
// includes LibTorch, so no public render header includes it.
//
//   const NeuralPlacement placement = neuralPlacementFor(request);
//   const at::Tensor rgb = loadRgbImage(request.image);   // uint8 [H, W, 3]
//   frames.frames.push_back(frameFromRgb(result.frames[i]));
//
// Thread-safety: pure functions (loadRgbImage reads the file).
#pragma once

#include "core/infer/memory/estimate.h"
#include "core/infer/memory/memory_profile.h"
#include "core/render/engine.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <string>

namespace storyreel::render {

struct NeuralPlacement {
    c10::Device device = c10::Device(c10::kCPU);
    infer::MemoryProfile profile;
};

// The request's named memory profile, else the one its MemoryProfile enum stands for.
std::string memoryProfileName(const RenderRequest& request);
// The device the request names and its profile ("auto": the one fitting its free memory).
NeuralPlacement neuralPlacementFor(const RenderRequest& request);

// uint8 [H, W, 3] RGB, as PIL's convert('RGB') gives it to the reference scripts.
at::Tensor loadRgbImage(const std::filesystem::path& file);
// uint8 [H, W, 3] -> Frame.
Frame frameFromRgb(const at::Tensor& rgb);

// The estimator's verdict for `steps` steps of `passesPerStep` DiT passes over `tokens` on
// this placement: time, and on a GPU the peak memory against the free memory with the
// profile that would fit.
Estimate neuralEstimate(const infer::TransformerShape& shape, std::int64_t tokens,
                        int passesPerStep, const NeuralPlacement& placement, int steps,
                        double storedBytesPerParameter);

// The UserError text for a GPU that ran out of memory: the profile used, the free memory
// now, and the profile that should fit `tokens` of `shape` (or that none does).
std::string outOfMemoryMessage(const NeuralPlacement& placement,
                               const infer::TransformerShape& shape, std::int64_t tokens,
                               double storedBytesPerParameter, int frames);

}  // namespace storyreel::render
