// The Engine interface every preset implements (Animatic, Fast, Quality). Torch-free: the UI
// and the CLI reach the neural engines only through this header.
//
//   std::unique_ptr<Engine> engine = ...;
//   Frames frames = engine->render(request, [](const Progress& p) { ... }, cancel);
//
// Thread-safety: one render() at a time per engine; run it on the worker that owns the GPU.
// The progress sink is called on that thread; the CancelToken may be set from any thread.
#pragma once

#include "core/base/cancel_token.h"
#include "core/base/progress.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace storyreel::render {

struct LoraRef {
    std::filesystem::path file;
    double strength = 1.0;
};

// How much GPU memory an engine may use and how it trades speed for it.
enum class MemoryProfile { Auto, HighVram, LowVram, MinimalVram };

struct RenderRequest {
    std::filesystem::path image;
    std::string prompt;
    std::string negativePrompt;
    std::int64_t seed = 0;
    int frames = 81;
    double fps = 16.0;
    int width = 832;
    int height = 480;
    int steps = 30;
    double guidance = 5.0;
    double shift = 5.0;
    std::vector<LoraRef> loras;
    MemoryProfile memory = MemoryProfile::Auto;
    std::string device = "auto";  // "auto", "cpu", "cuda", "cuda:N"
    // Neural engines: a named memory profile ("auto", "8gb" ... "80gb", "cpu"), which takes
    // precedence over `memory` when set; the sampler ("unipc", "dpm++", "euler"); and where
    // the final latents are saved before decoding (empty: not saved), so that a failed
    // decode is retried without denoising again.
    std::string memoryProfile;
    std::string sampler = "unipc";
    std::filesystem::path latentFile;
    // HunyuanVideo-I2V: the resolution bucket ("360p", "540p", "720p"; it replaces width x
    // height), the embedded guidance (`guidance` is then the classifier-free scale, 1 = none)
    // and the mode: stable (--i2v-stability, shift 7 by default) or dynamic (shift 17).
    std::string resolution = "720p";
    double embeddedGuidance = 6.0;
    bool stableMotion = true;
};

// One RGB frame, 8 bits a channel, rows packed.
struct Frame {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> rgb;
};

struct Frames {
    double fps = 0.0;
    std::vector<Frame> frames;
};

// A cheap picture of the work in progress (neural engines: the latent seen through a
// linear map, at 1/8 of the video's size), sent after every denoising step.
using PreviewSink = std::function<void(const Frame&)>;

struct Estimate {
    std::int64_t peakGpuBytes = 0;  // 0 when the render runs on the CPU
    double seconds = 0.0;
    std::string device;             // where it would run: "cpu", "cuda:0"
    std::int64_t freeGpuBytes = 0;  // that GPU's free memory now (0 on the CPU)
    // Whether peakGpuBytes (with the driver's reserve) fits freeGpuBytes; always on the CPU.
    bool fits = true;
    // When it does not fit: the memory profile that would ("8gb" ...), or empty when none
    // does (then fewer frames or a smaller size are needed).
    std::string suggestedProfile;
};

class Engine {
public:
    virtual ~Engine() = default;

    // Checked before a job starts, so the queue can refuse what cannot fit.
    virtual Estimate estimate(const RenderRequest& request) const = 0;

    // Throws UserError for bad input and Cancelled when the token is set.
    virtual Frames render(const RenderRequest& request, const ProgressSink& progress,
                          const CancelToken& cancel) = 0;
};

}  // namespace storyreel::render
