// The Quality and Fast (Wan) presets' engine: Wan 2.1 I2V 14B (core/infer/models/wan) run
// from the files in a models folder. "quality" runs the model as released (40 steps,
// guidance 5); "fast-wan" adds the step-distillation LoRA found in the folder and runs 4
// steps at guidance 1 (one transformer pass per step). The models stay loaded between
// renders with the same files, LoRAs, device and memory profile. Torch-free: the UI and the
// CLI use it through this header.
//
//   WanEngine engine({.modelsDir = "/data/models", .preset = "fast-wan"});
//   RenderRequest request = wanPresetRequest("fast-wan", image, prompt);
//   Frames frames = engine.render(request, progress, preview, cancel);
//
// A GPU that runs out of memory ends the render with a UserError naming the memory
// profile that would fit (or saying that fewer frames or a smaller size are needed).
//
// Thread-safety: one render() at a time per engine, on the worker that owns the GPU; the
// CancelToken may be set from any thread.
#pragma once

#include "core/render/engine.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace storyreel::render {

struct WanEngineSettings {
    std::filesystem::path modelsDir;
    std::string preset = "quality";  // "quality" or "fast-wan"
};

// A preset's defaults (generate.py's for "quality"; the distilled LoRA's for "fast-wan"):
// steps, guidance, shift (3 at 480p, 5 above for "quality"), the sampler and 81 frames at
// 16 fps, 832x480 as the pixel budget.
RenderRequest wanPresetRequest(std::string_view preset);

class WanEngine : public Engine {
public:
    // Throws UserError for a preset other than "quality" or "fast-wan".
    explicit WanEngine(WanEngineSettings settings);
    ~WanEngine() override;

    // From the request's size and frames and this device's measured speed; peakGpuBytes is
    // 0 on the CPU. Throws UserError for a bad image or memory profile.
    Estimate estimate(const RenderRequest& request) const override;
    // request.width x request.height is the pixel budget (max_area): the video keeps the
    // image's aspect ratio within it. Frames are 4n+1.
    Frames render(const RenderRequest& request, const ProgressSink& progress,
                  const CancelToken& cancel) override;
    Frames render(const RenderRequest& request, const ProgressSink& progress,
                  const PreviewSink& preview, const CancelToken& cancel);

    // Of the last render: the transformer's forward passes and whether the latents came
    // from request.latentFile instead of being denoised.
    std::int64_t lastTransformerCalls() const;
    bool lastResumedFromLatents() const;
    // The device of the last render ("cpu", "cuda:0").
    std::string lastDevice() const;

private:
    struct State;
    WanEngineSettings settings_;
    std::unique_ptr<State> state_;
};

// The models folder the caller did not name: $STORYREEL_MODELS_DIR, or empty.
std::filesystem::path modelsDirFromEnvironment();

}  // namespace storyreel::render
