// What the neural engines (wan_engine, hunyuan_engine) share: where a request runs (device
// and memory profile), the image as a uint8 RGB tensor, frames back from tensors, the models
// kept loaded between renders, and the out-of-memory message that names the profile that
// would fit. Private to core/render: it includes LibTorch, so no public render header
// includes it.
//
//   const NeuralPlacement placement = neuralPlacementFor(request);
//   const at::Tensor rgb = loadRgbImage(request.image);   // uint8 [H, W, 3]
//   ModelSet& models = loaded.ensure(key, progress, [&] { return ModelSet::open(...); });
//   return framesFromVideo(result.frames, request.fps);
//
// Thread-safety: pure functions (loadRgbImage reads the file); a LoadedModels belongs to
// its engine's thread.
#pragma once

#include "core/infer/memory/component_offload.h"
#include "core/infer/memory/estimate.h"
#include "core/infer/memory/memory_profile.h"
#include "core/render/engine.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>

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
// uint8 [F, H, W, 3] -> the frames of a clip at `fps`.
Frames framesFromVideo(const at::Tensor& video, double fps);

// A model set kept loaded between renders (loading takes minutes with real checkpoints),
// opened again only when what it was opened from changes: `key` names the files, device,
// profile and LoRAs. ensure() reports Loading 0/1 and 1/1 around an open.
template <class ModelSet>
class LoadedModels {
public:
    template <class Open>
    ModelSet& ensure(const std::string& key, const ProgressSink& progress, Open&& open) {
        if (!models_ || key_ != key) {
            release();  // the old set's memory first: two never fit on a small GPU
            if (progress) {
                progress({Phase::Loading, 0, 1, -1.0});
            }
            models_ = std::forward<Open>(open)();
            key_ = key;
            if (progress) {
                progress({Phase::Loading, 1, 1, -1.0});
            }
        }
        return *models_;
    }

    // The loaded set, or null.
    const ModelSet* get() const { return models_.get(); }

    // Drops the set and hands its cached GPU memory back to the driver.
    void release() {
        models_.reset();
        key_.clear();
        infer::releaseCachedDeviceMemory();
    }

private:
    std::string key_;
    std::unique_ptr<ModelSet> models_;
};

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
