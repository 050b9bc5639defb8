// The Fast preset's engine: HunyuanVideo-I2V (core/infer/models/hunyuan) run from the files
// in a models folder, with the released I2V defaults (hunyuanPresetRequest: 50 steps,
// embedded guidance 6, no classifier-free guidance, the stable mode's shift 7, 24 fps) at
// the 360p, 540p or 720p bucket closest to the image's shape. HunyuanVideo's licence does
// not cover the European Union, the United Kingdom or South Korea: the engine refuses to
// run until the user has acknowledged it (the app asks once and remembers; the CLI takes
// --accept-license). The models stay loaded between renders with the same files, device and
// memory profile. Torch-free: the UI and the CLI use it through this header.
//
//   HunyuanEngine engine({.modelsDir = "/data/models", .licenceAccepted = true});
//   RenderRequest request = hunyuanPresetRequest();
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

namespace storyreel::render {

struct HunyuanEngineSettings {
    std::filesystem::path modelsDir;
    bool licenceAccepted = false;  // the user acknowledged the Tencent Hunyuan licence
};

// The released I2V defaults (sample_image2video.py with run_sample_image2video_stability.sh):
// 129 frames at 24 fps, 720p, 50 steps, embedded guidance 6, cfg 1, shift 7 (stable mode).
RenderRequest hunyuanPresetRequest();

// The licence text the refusal quotes, for the CLI and tests.
extern const char* const kHunyuanLicenceNotice;

class HunyuanEngine : public Engine {
public:
    explicit HunyuanEngine(HunyuanEngineSettings settings);
    ~HunyuanEngine() override;

    // From the request's bucket and frames and this device's measured speed; peakGpuBytes
    // is 0 on the CPU. Throws UserError for a bad image, resolution or memory profile.
    Estimate estimate(const RenderRequest& request) const override;
    // request.resolution picks the bucket ("360p", "540p", "720p"); width and height are
    // not used. Frames are 4n+1. Throws UserError before loading anything when the licence
    // has not been accepted.
    Frames render(const RenderRequest& request, const ProgressSink& progress,
                  const CancelToken& cancel) override;
    Frames render(const RenderRequest& request, const ProgressSink& progress,
                  const PreviewSink& preview, const CancelToken& cancel);

    std::int64_t lastTransformerCalls() const;
    bool lastResumedFromLatents() const;
    std::string lastDevice() const;

private:
    struct State;
    HunyuanEngineSettings settings_;
    std::unique_ptr<State> state_;
};

}  // namespace storyreel::render
