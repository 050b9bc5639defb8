// WanI2VPipeline: Wan 2.1 image-to-video as wan/image2video.py WanI2V.generate runs it. The
// image sets the video's size (its aspect within max_area pixels, wanI2VGeometry); CLIP
// reads the image at its own size; the VAE encodes [image resized bicubically, F-1 black
// frames] into the conditioning latent, and y = [first-frame mask; that latent]; umT5
// encodes the prompt and the negative prompt (kWanI2VNegativePrompt when none is given);
// the noise comes from the seed alone (seededNoise: a CPU generator, then moved); the
// sampler named in the settings runs `steps` steps with the flow shift, the DiT called
// twice per step for classifier-free guidance (once when guidance is 1); the VAE decodes
// the last latent (tiled when the memory profile says so, or when an untiled decode ran
// out of memory) and the video is made 8-bit as wan/utils/utils.py cache_video does.
//
// Along the way: progress per step with an ETA, a latent preview image per step
// (wanLatentPreview of the predicted clean latent), cancellation at the next step, and the
// latents saved (latent_cache) after the last step, and every N steps when asked, so that a
// decode that failed is retried without denoising again.
//
//   WanI2VPipeline pipeline(components, {device, profile});
//   WanI2VResult result = pipeline.generate(imageRgb8, settings, observer, cache);
//   at::Tensor frames = result.frames;   // uint8 [F, H, W, 3]
//
// Thread-safety: one generate() at a time per pipeline (the DiT and encoders are stateful
// torch modules); the CancelToken may be set from any thread.
#pragma once

#include "core/base/cancel_token.h"
#include "core/base/progress.h"
#include "core/infer/memory/memory_profile.h"
#include "core/infer/models/wan/wan_i2v_geometry.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace storyreel::infer::wan {

class WanModel;
class WanVAE;
class UMT5Tokenizer;
class UMT5Encoder;
class ClipVisual;

// The models a run needs. The text and image encoders (and the tokenizer) may be left
// empty when the caller hands the conditioning in itself (denoise()).
struct WanI2VComponents {
    std::shared_ptr<WanModel> transformer;
    std::shared_ptr<const WanVAE> vae;
    std::shared_ptr<const UMT5Tokenizer> tokenizer;
    std::shared_ptr<UMT5Encoder> textEncoder;
    std::shared_ptr<ClipVisual> imageEncoder;
};

struct WanI2VRuntime {
    c10::Device device = c10::Device(c10::kCPU);
    MemoryProfile profile;  // text encoder placement and VAE tiling
};

struct WanI2VSettings {
    std::string prompt;
    std::string negativePrompt;  // empty: kWanI2VNegativePrompt, as the reference does
    std::int64_t maxArea = kWanMaxArea480p;
    std::int64_t frames = kWanDefaultFrames;
    std::int64_t steps = kWanDefaultI2VSteps;
    double guidance = 5.0;
    double shift = 3.0;
    std::string sampler = "unipc";  // makeSampler names
    std::uint64_t seed = 0;
};

// What the DiT sees besides the latent (image2video.py arg_c / arg_null).
struct WanI2VConditioning {
    WanI2VGeometry geometry;
    at::Tensor context;      // [L, text_dim], the prompt
    at::Tensor contextNull;  // [L', text_dim], the negative prompt (unused at guidance 1)
    at::Tensor clipFea;      // [1, N, 1280]
    at::Tensor y;            // [4 + 16, latentFrames, latentHeight, latentWidth]
};

struct WanI2VObserver {
    ProgressSink progress;  // Encoding, Denoising (step i of n, ETA), Decoding
    // uint8 [h, w, 3] at latent resolution, after every step.
    std::function<void(const at::Tensor& rgb)> preview;
    // For tests and debugging: the latent entering step i and the DiT's predictions
    // (uncond undefined when guidance is 1).
    std::function<void(std::int64_t step, const at::Tensor& latent, const at::Tensor& cond,
                       const at::Tensor& uncond)>
        modelOutputs;
    const CancelToken* cancel = nullptr;
};

// Where the latents go. An existing file whose key matches the run and holds the last
// step is decoded without denoising; intermediate saves record progress only (the
// multistep samplers' history is not saved, so a run does not resume mid-way).
struct WanLatentCache {
    std::filesystem::path file;   // empty: nothing saved
    std::int64_t everySteps = 0;  // also save every N steps; 0: after the last step only
};

struct WanI2VResult {
    WanI2VGeometry geometry;
    at::Tensor latent;  // [16, T, h, w] float32 on the CPU, the one decoded
    at::Tensor frames;  // uint8 [F, H, W, 3] on the CPU
    bool resumedFromCache = false;
    bool decodedTiled = false;
    std::int64_t transformerCalls = 0;  // DiT forward passes this run
};

class WanI2VPipeline {
public:
    WanI2VPipeline(WanI2VComponents components, WanI2VRuntime runtime);
    ~WanI2VPipeline();

    // image: uint8 [H, W, 3] RGB (or float holding 0..255). Throws UserError for bad
    // settings, Cancelled when asked to stop.
    WanI2VResult generate(const at::Tensor& image, const WanI2VSettings& settings,
                          const WanI2VObserver& observer = {}, const WanLatentCache& cache = {});

    // The stages, public so tests can check each against the reference.
    // [H, W, 3] 0..255 -> [3, H, W] float32 in [-1, 1] (TF.to_tensor, sub 0.5, div 0.5).
    static at::Tensor imageToTensor(const at::Tensor& image);
    // T5 contexts of the prompt and the negative prompt ([L, text_dim] each).
    std::vector<at::Tensor> encodePrompts(const std::string& prompt,
                                          const std::string& negative) const;
    // CLIP features of the image ([3, H, W] in [-1, 1]) at its own size: [1, N, dim].
    at::Tensor encodeImage(const at::Tensor& image) const;
    // y = [mask; vae.encode([bicubic(image, (h, w)), zeros(3, F-1, h, w)])].
    at::Tensor conditionLatent(const at::Tensor& image, const WanI2VGeometry& geometry) const;
    // The sampling loop from `noise` ([16, T, h, w]); returns the last latent (float32, CPU).
    at::Tensor denoise(const WanI2VConditioning& conditioning, const at::Tensor& noise,
                       const WanI2VSettings& settings, const WanI2VObserver& observer = {},
                       const WanLatentCache& cache = {}, const std::string& cacheKey = {});
    // [16, T, h, w] -> [3, F, H, W] float32 in [-1, 1] on the CPU; retried tiled after an
    // out-of-memory error.
    at::Tensor decode(const at::Tensor& latent, const CancelToken* cancel = nullptr,
                      bool* tiled = nullptr) const;
    // [3, F, H, W] in [-1, 1] -> uint8 [F, H, W, 3], truncating as cache_video does.
    static at::Tensor toFrames(const at::Tensor& video);

    std::int64_t transformerCalls() const { return transformerCalls_; }

private:
    WanI2VComponents components_;
    WanI2VRuntime runtime_;
    std::int64_t transformerCalls_ = 0;
};

// A key of everything that decides the latents (settings and image bytes), for the cache.
std::string wanI2VCacheKey(const at::Tensor& image, const WanI2VSettings& settings);

}  // namespace storyreel::infer::wan
