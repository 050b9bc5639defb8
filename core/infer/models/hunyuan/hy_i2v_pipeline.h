// HunyuanI2VPipeline: HunyuanVideo-I2V image-to-video as hyvideo/inference.py
// HunyuanVideoSampler.predict and HunyuanVideoPipeline.__call__ run it. The image picks the
// video's bucket (hunyuanI2VGeometry: 360p/540p/720p); LLaVA reads the stripped prompt in the
// video I2V template together with the image (CLIPImageProcessor pixels), CLIP-L the bare
// prompt for the pooled vector; under CFG (cfg scale > 1) the negative prompt
// (NEGATIVE_PROMPT_I2V when none is given) is read with a black image of the image's size;
// the VAE encodes the preprocessed image (untiled, as the released script's single run does)
// into the image latents (mode() * 0.476986); hunyuanDenoise runs the flow-matching loop with
// the DiT and the RoPE tables of the video's size; the VAE decodes latents / 0.476986 tiled
// (--vae-tiling, on in every script), (x / 2 + 0.5).clamp(0, 1), latent_concat drops its
// first 4 frames, and frames are made 8-bit as save_videos_grid does (x * 255, truncated).
//
//   HunyuanI2VPipeline pipeline(components, {device, profile});
//   HunyuanI2VResult result = pipeline.generate(imageRgb8, settings, observer, cache);
//   at::Tensor frames = result.frames;   // uint8 [F, H, W, 3]
//
// Along the way: progress (encoding, step i of n with an ETA, decoding), a latent preview
// per step, cancellation at the next step, and the final latents saved (latent_cache) so
// that a decode that failed is retried without denoising again.
//
// Thread-safety: one generate() at a time per pipeline (the models are stateful torch
// modules); the CancelToken may be set from any thread.
#pragma once

#include "core/base/cancel_token.h"
#include "core/base/progress.h"
#include "core/infer/memory/memory_profile.h"
#include "core/infer/models/hunyuan/hy_constants.h"
#include "core/infer/models/hunyuan/hy_denoise.h"
#include "core/infer/models/hunyuan/hy_i2v_geometry.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace storyreel::infer {
class HunyuanPromptTokenizer;
}

namespace storyreel::infer::hunyuan {

class HunyuanDiT;
class HunyuanVAE;
class LlavaTextEncoder;
class ClipTextEncoder;

// The models a run needs. The tokenizer and text encoders may be left empty when the
// caller hands the text conditioning in itself (denoise()).
struct HunyuanI2VComponents {
    std::shared_ptr<HunyuanDiT> transformer;
    std::shared_ptr<HunyuanVAE> vae;
    std::shared_ptr<const HunyuanPromptTokenizer> tokenizer;
    std::shared_ptr<LlavaTextEncoder> textEncoder;
    std::shared_ptr<ClipTextEncoder> clipEncoder;
};

struct HunyuanI2VRuntime {
    c10::Device device = c10::Device(c10::kCPU);
    MemoryProfile profile;  // where the text encoders run
};

struct HunyuanI2VSettings {
    std::string prompt;
    std::string negativePrompt;  // empty: kHunyuanNegativePromptI2V (used only under CFG)
    HunyuanI2VResolution resolution = HunyuanI2VResolution::P720;
    std::int64_t frames = kHunyuanDefaultFrames;
    std::int64_t steps = kHunyuanDefaultSteps;
    bool stability = true;        // --i2v-stability ("stable" mode); false: "dynamic"
    std::optional<double> shift;  // empty: 7 stable, 17 dynamic
    double embeddedGuidance = kHunyuanEmbeddedGuidance;
    double cfgScale = kHunyuanDefaultCfgScale;
    std::uint64_t seed = 0;

    double effectiveShift() const { return shift.value_or(hunyuanDefaultShift(stability)); }
};

struct HunyuanI2VObserver {
    ProgressSink progress;  // Encoding, Denoising (step i of n, ETA), Decoding
    std::function<void(const at::Tensor& rgb)> preview;  // uint8 [h, w, 3] after each step
    // For tests and debugging: the DiT's input and output at each call, and the latents
    // after each step.
    std::function<void(std::int64_t step, const at::Tensor& x, const at::Tensor& out)> modelCall;
    std::function<void(std::int64_t step, const at::Tensor& latents)> afterStep;
    const CancelToken* cancel = nullptr;
};

// Where the final latents go (see WanLatentCache): a file whose key matches the run is
// decoded without denoising.
struct HunyuanLatentCache {
    std::filesystem::path file;  // empty: nothing saved
};

struct HunyuanI2VResult {
    HunyuanI2VGeometry geometry;
    at::Tensor latent;  // [1, 16, T, h, w] float32 on the CPU, the one decoded
    at::Tensor frames;  // uint8 [F, H, W, 3] on the CPU
    bool resumedFromCache = false;
    std::int64_t transformerCalls = 0;  // DiT forward passes this run
};

class HunyuanI2VPipeline {
public:
    HunyuanI2VPipeline(HunyuanI2VComponents components, HunyuanI2VRuntime runtime);
    ~HunyuanI2VPipeline();

    // image: uint8 [H, W, 3] RGB. Throws UserError for bad settings, Cancelled when asked
    // to stop.
    HunyuanI2VResult generate(const at::Tensor& image, const HunyuanI2VSettings& settings,
                              const HunyuanI2VObserver& observer = {},
                              const HunyuanLatentCache& cache = {});

    // The stages, public so tests can check each against the reference.
    // LLaVA (prompt + image) and CLIP-L pooled of one prompt, batch 1, on the run's device.
    HunyuanTextConditioning encodePrompt(const std::string& prompt, const at::Tensor& image) const;
    // vae.encode(pixels).mode() * scaling_factor, untiled: pixels [1, 3, 1, H, W] in [-1, 1].
    at::Tensor imageLatents(const at::Tensor& pixels) const;
    // hunyuanDenoise with the DiT and the RoPE tables of the geometry's video.
    at::Tensor denoise(const HunyuanDenoiseInputs& inputs, const HunyuanI2VGeometry& geometry,
                       const HunyuanI2VSettings& settings, const HunyuanI2VObserver& observer = {});
    // (vae.decode(latents / scaling_factor) / 2 + 0.5).clamp(0, 1), tiled: [1, 3, F, H, W]
    // float32 on the CPU, latent_concat's first 4 frames dropped.
    at::Tensor decode(const at::Tensor& latents, const CancelToken* cancel = nullptr) const;
    // [1, 3, F, H, W] in [0, 1] -> uint8 [F, H, W, 3] (x * 255 truncated).
    static at::Tensor toFrames(const at::Tensor& video);

    std::int64_t transformerCalls() const { return transformerCalls_; }

private:
    HunyuanI2VComponents components_;
    HunyuanI2VRuntime runtime_;
    std::int64_t transformerCalls_ = 0;
};

// A key of everything that decides the latents (settings and image bytes), for the cache.
std::string hunyuanI2VCacheKey(const at::Tensor& image, const HunyuanI2VSettings& settings);

}  // namespace storyreel::infer::hunyuan
