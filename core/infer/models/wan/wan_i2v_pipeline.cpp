#include "core/infer/models/wan/wan_i2v_pipeline.h"

#include "core/base/log.h"
#include "core/base/sha256.h"
#include "core/base/user_error.h"
#include "core/infer/memory/component_offload.h"
#include "core/infer/memory/device_memory.h"
#include "core/infer/memory/latent_cache.h"
#include "core/infer/memory/seeded_noise.h"
#include "core/infer/models/wan/clip_preprocess.h"
#include "core/infer/models/wan/clip_visual.h"
#include "core/infer/models/wan/umt5_encoder.h"
#include "core/infer/models/wan/umt5_tokenizer.h"
#include "core/infer/models/wan/wan_latent_preview.h"
#include "core/infer/models/wan/wan_model.h"
#include "core/infer/models/wan/wan_vae.h"
#include "core/infer/models/wan/wan_vae_tiling.h"
#include "core/infer/samplers/classifier_free_guidance.h"
#include "core/infer/samplers/sampler.h"

#include <ATen/ATen.h>
#include <c10/util/Exception.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace storyreel::infer::wan {

namespace {

using Clock = std::chrono::steady_clock;

void report(const WanI2VObserver& observer, Phase phase, int step, int steps, double eta = -1.0) {
    if (observer.progress) {
        observer.progress({phase, step, steps, eta});
    }
}

void checkCancel(const CancelToken* cancel) {
    if (cancel != nullptr) {
        cancel->throwIfCancelled();
    }
}

void requireComponent(const void* component, const char* what) {
    if (component == nullptr) {
        throw std::logic_error(std::string("WanI2VPipeline: no ") + what + " was given");
    }
}

void validate(const WanI2VSettings& settings) {
    if (settings.steps < 1 || settings.steps > 1000) {
        throw UserError("the number of steps must be between 1 and 1000, not " +
                        std::to_string(settings.steps));
    }
    if (!(settings.guidance >= 0.0) || settings.guidance > 100.0) {
        throw UserError("guidance must be between 0 and 100");
    }
    if (!(settings.shift > 0.0) || settings.shift > 100.0) {
        throw UserError("the flow shift must be above 0 and at most 100");
    }
}

std::unique_ptr<Sampler> samplerFor(const WanI2VSettings& settings) {
    try {
        return makeSampler(settings.sampler);
    } catch (const std::invalid_argument& error) {
        throw UserError(error.what());
    }
}

// image2video.py keeps a model on the device for its call when offloading; the profile's
// text-encoder placement decides for both encoders (CLIP is small beside umT5).
c10::Device encoderDevice(const WanI2VRuntime& runtime) {
    return runtime.profile.textEncoder == TextEncoderPlacement::Cpu ? c10::Device(c10::kCPU)
                                                                    : runtime.device;
}

}  // namespace

std::string wanI2VCacheKey(const at::Tensor& image, const WanI2VSettings& settings) {
    std::ostringstream text;
    text.precision(17);
    text << "wan-i2v\n"
         << settings.prompt << '\n'
         << settings.negativePrompt << '\n'
         << settings.maxArea << ' ' << settings.frames << ' ' << settings.steps << ' '
         << settings.guidance << ' ' << settings.shift << ' ' << settings.sampler << ' '
         << settings.seed << '\n';
    const at::Tensor bytes = image.to(at::kCPU, at::kFloat).contiguous();
    text << bytes.sizes() << '\n';
    text.write(static_cast<const char*>(bytes.data_ptr()),
               static_cast<std::streamsize>(bytes.numel() * bytes.element_size()));
    return sha256Hex(text.str());
}

WanI2VPipeline::WanI2VPipeline(WanI2VComponents components, WanI2VRuntime runtime)
    : components_(std::move(components)), runtime_(std::move(runtime)) {
    requireComponent(components_.transformer.get(), "transformer");
    requireComponent(components_.vae.get(), "VAE");
}

WanI2VPipeline::~WanI2VPipeline() = default;

at::Tensor WanI2VPipeline::imageToTensor(const at::Tensor& image) {
    if (image.dim() != 3 || image.size(2) != 3) {
        throw std::invalid_argument("WanI2VPipeline: the image must be [H, W, 3] RGB");
    }
    // TF.to_tensor: [H, W, C] 0..255 -> [C, H, W] / 255; then .sub_(0.5).div_(0.5)
    return image.to(at::kCPU, at::kFloat).permute({2, 0, 1}).div(255.0).sub(0.5).div(0.5);
}

std::vector<at::Tensor> WanI2VPipeline::encodePrompts(const std::string& prompt,
                                                      const std::string& negative) const {
    requireComponent(components_.tokenizer.get(), "tokenizer");
    requireComponent(components_.textEncoder.get(), "text encoder");
    const at::NoGradGuard noGrad;
    const c10::Device device = encoderDevice(runtime_);
    return withComponentOn(
        components_.textEncoder, device, offloadPolicyFor(runtime_.profile.textEncoder), [&] {
            std::vector<at::Tensor> contexts;
            for (const std::string* text : {&prompt, &negative}) {
                const TokenizedPrompts tokens = components_.tokenizer->tokenize({*text});
                const at::Tensor hidden = components_.textEncoder->forward(tokens.ids, tokens.mask);
                contexts.push_back(
                    contextsFromHidden(hidden, tokens.mask.to(hidden.device())).front());
            }
            return contexts;
        });
}

at::Tensor WanI2VPipeline::encodeImage(const at::Tensor& image) const {
    requireComponent(components_.imageEncoder.get(), "image encoder");
    const at::NoGradGuard noGrad;
    const c10::Device device = encoderDevice(runtime_);
    return withComponentOn(
        components_.imageEncoder, device, offloadPolicyFor(runtime_.profile.textEncoder), [&] {
            // clip.visual([img[:, None, :, :]]): the image at its own size
            const at::Tensor pixels =
                clipPreprocess({image.unsqueeze(1)}, components_.imageEncoder->config().imageSize);
            return components_.imageEncoder->forward(pixels);
        });
}

at::Tensor WanI2VPipeline::conditionLatent(const at::Tensor& image,
                                           const WanI2VGeometry& geometry) const {
    const at::NoGradGuard noGrad;
    const std::int64_t h = geometry.height;
    const std::int64_t w = geometry.width;
    // F.interpolate(img[None].cpu(), size=(h, w), mode='bicubic').transpose(0, 1): [3, 1, h, w]
    const at::Tensor resized =
        at::upsample_bicubic2d(image.to(at::kCPU, at::kFloat).unsqueeze(0), {h, w}, false)
            .transpose(0, 1);
    const at::Tensor video =
        at::cat({resized, at::zeros({3, geometry.frames - 1, h, w}, resized.options())}, 1);
    const VAEPlacement& placement = components_.vae->model().placement();
    const at::Tensor latent =
        components_.vae->encode(video.to(placement.device, placement.dtype)).to(runtime_.device);
    return at::cat({wanFirstFrameMask(geometry, runtime_.device), latent});
}

at::Tensor WanI2VPipeline::denoise(const WanI2VConditioning& conditioning, const at::Tensor& noise,
                                   const WanI2VSettings& settings, const WanI2VObserver& observer,
                                   const WanLatentCache& cache, const std::string& cacheKey) {
    validate(settings);
    const at::NoGradGuard noGrad;
    const std::unique_ptr<Sampler> sampler = samplerFor(settings);
    sampler->setTimesteps(settings.steps, settings.shift);
    const c10::Device device = runtime_.device;
    const bool guided = needsUnconditionalPass(settings.guidance);
    const std::vector<at::Tensor> context = {conditioning.context.to(device)};
    const std::vector<at::Tensor> contextNull = {guided ? conditioning.contextNull.to(device)
                                                        : at::Tensor()};
    const at::Tensor clipFea = conditioning.clipFea.to(device);
    const std::vector<at::Tensor> y = {conditioning.y.to(device)};
    const std::int64_t seqLen = conditioning.geometry.seqLen;
    WanModel& dit = *components_.transformer;

    const auto save = [&](const at::Tensor& latent, std::int64_t step) {
        if (cache.file.empty()) {
            return;
        }
        saveLatents(cache.file, {latent.to(at::kCPU),
                                 step,
                                 {{"key", cacheKey},
                                  {"steps", std::to_string(settings.steps)},
                                  {"seed", std::to_string(settings.seed)},
                                  {"engine", "wan2.1-i2v"}}});
    };

    at::Tensor latent = noise.to(device, at::kFloat);
    const std::int64_t steps = settings.steps;
    const auto started = Clock::now();
    report(observer, Phase::Denoising, 0, static_cast<int>(steps));
    for (std::int64_t i = 0; i < steps; ++i) {
        checkCancel(observer.cancel);
        const at::Tensor t = sampler->timesteps()[i];
        const at::Tensor timestep = t.reshape({1}).to(device);
        const std::vector<at::Tensor> input = {latent};
        const at::Tensor cond =
            dit.forward(input, timestep, context, seqLen, clipFea, y, observer.cancel).front();
        ++transformerCalls_;
        at::Tensor uncond;
        at::Tensor prediction = cond;
        if (guided) {
            uncond = dit.forward(input, timestep, contextNull, seqLen, clipFea, y, observer.cancel)
                         .front();
            ++transformerCalls_;
            prediction = classifierFreeGuidance(cond, uncond, settings.guidance);
        }
        if (observer.modelOutputs) {
            observer.modelOutputs(i, latent, cond, uncond);
        }
        const double sigma = sampler->sigmas()[i].item<double>();
        const at::Tensor next = sampler->step(prediction, t, latent);
        if (observer.preview) {
            // The flow predicts noise - x0, so the clean latent it implies is x - sigma * v.
            observer.preview(wanLatentPreview(latent - sigma * prediction));
        }
        latent = next;
        const std::int64_t done = i + 1;
        const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
        report(observer, Phase::Denoising, static_cast<int>(done), static_cast<int>(steps),
               elapsed / static_cast<double>(done) * static_cast<double>(steps - done));
        if (done == steps || (cache.everySteps > 0 && done % cache.everySteps == 0)) {
            save(latent, done);
        }
    }
    return latent.to(at::kCPU);
}

at::Tensor WanI2VPipeline::decode(const at::Tensor& latent, const CancelToken* cancel,
                                  bool* tiled) const {
    const WanVAE& vae = *components_.vae;
    const std::optional<VAETiles> tiles =
        vaeTilesFromProfile(runtime_.profile.vaeTiling, vae.config().spatialFactor());
    if (tiled != nullptr) {
        *tiled = tiles.has_value();
    }
    try {
        return (tiles ? decodeTiled(vae, latent, *tiles, cancel) : vae.decode(latent, cancel))
            .to(at::kCPU);
    } catch (const Cancelled&) {
        throw;
    } catch (const std::exception& error) {
        if (!isOutOfMemory(error)) {
            throw;
        }
        storyreel::log(LogLevel::Warning, std::string("Wan VAE decode ran out of memory (") +
                                              error.what() + "); retrying tile by tile");
    }
    releaseCachedDeviceMemory();
    VAETiles smaller;
    if (tiles) {
        smaller.tile = std::max<std::int64_t>(16, tiles->tile / 2);
        smaller.overlap = std::min(tiles->overlap, smaller.tile / 4);
    }
    if (tiled != nullptr) {
        *tiled = true;
    }
    return decodeTiled(vae, latent, smaller, cancel).to(at::kCPU);
}

at::Tensor WanI2VPipeline::toFrames(const at::Tensor& video) {
    if (video.dim() != 4 || video.size(0) != 3) {
        throw std::invalid_argument("WanI2VPipeline::toFrames: expected a [3, F, H, W] video");
    }
    // cache_video: clamp to value_range (-1, 1), make_grid's normalize (sub low, div range),
    // * 255 and a cast to uint8 (truncation).
    const at::Tensor unit = video.to(at::kCPU, at::kFloat).clamp(-1.0, 1.0).add(1.0).div(2.0);
    return unit.mul(255.0).to(at::kByte).permute({1, 2, 3, 0}).contiguous();
}

WanI2VResult WanI2VPipeline::generate(const at::Tensor& image, const WanI2VSettings& settings,
                                      const WanI2VObserver& observer, const WanLatentCache& cache) {
    validate(settings);
    transformerCalls_ = 0;
    const at::Tensor pixels = imageToTensor(image);
    WanI2VResult result;
    result.geometry =
        wanI2VGeometry(pixels.size(1), pixels.size(2), settings.maxArea, settings.frames);
    const std::string key = cache.file.empty() ? std::string() : wanI2VCacheKey(image, settings);
    if (!cache.file.empty()) {
        result.latent = loadFinishedLatents(cache.file, key, settings.steps);
        result.resumedFromCache = result.latent.defined();
    }
    if (!result.resumedFromCache) {
        const std::string negative = settings.negativePrompt.empty()
                                         ? std::string(kWanI2VNegativePrompt)
                                         : settings.negativePrompt;
        WanI2VConditioning conditioning;
        conditioning.geometry = result.geometry;
        report(observer, Phase::Encoding, 0, 3);
        const std::vector<at::Tensor> contexts = encodePrompts(settings.prompt, negative);
        conditioning.context = contexts[0];
        conditioning.contextNull = contexts[1];
        checkCancel(observer.cancel);
        report(observer, Phase::Encoding, 1, 3);
        conditioning.clipFea = encodeImage(pixels);
        checkCancel(observer.cancel);
        report(observer, Phase::Encoding, 2, 3);
        conditioning.y = conditionLatent(pixels, result.geometry);
        report(observer, Phase::Encoding, 3, 3);
        const WanI2VGeometry& g = result.geometry;
        const at::Tensor noise = seededNoise({16, g.latentFrames, g.latentHeight, g.latentWidth},
                                             settings.seed, runtime_.device);
        result.latent = denoise(conditioning, noise, settings, observer, cache, key);
    }
    checkCancel(observer.cancel);
    report(observer, Phase::Decoding, 0, 1);
    const at::Tensor video = decode(result.latent, observer.cancel, &result.decodedTiled);
    result.frames = toFrames(video);
    report(observer, Phase::Decoding, 1, 1);
    result.transformerCalls = transformerCalls_;
    return result;
}

}  // namespace storyreel::infer::wan
