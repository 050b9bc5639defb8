#include "core/infer/models/hunyuan/hy_i2v_pipeline.h"

#include "core/base/sha256.h"
#include "core/base/user_error.h"
#include "core/infer/memory/component_offload.h"
#include "core/infer/memory/latent_cache.h"
#include "core/infer/models/hunyuan/clip_image_processor.h"
#include "core/infer/models/hunyuan/clip_text_encoder.h"
#include "core/infer/models/hunyuan/hy_dit_model.h"
#include "core/infer/models/hunyuan/hy_rope.h"
#include "core/infer/models/hunyuan/hy_vae_model.h"
#include "core/infer/models/hunyuan/llava_encoder.h"
#include "core/infer/tokenizers/hunyuan_prompt_tokens.h"

#include <ATen/ATen.h>

#include <sstream>
#include <stdexcept>
#include <utility>

namespace storyreel::infer::hunyuan {

namespace {

void report(const HunyuanI2VObserver& observer, Phase phase, int step, int steps) {
    if (observer.progress) {
        observer.progress({phase, step, steps, -1.0});
    }
}

void checkCancel(const CancelToken* cancel) {
    if (cancel != nullptr) {
        cancel->throwIfCancelled();
    }
}

void requireComponent(const void* component, const char* name) {
    if (component == nullptr) {
        throw std::logic_error(std::string("HunyuanI2VPipeline: no ") + name + " was given");
    }
}

void validate(const HunyuanI2VSettings& settings) {
    if (settings.steps < 1 || settings.steps > 1000) {
        throw UserError("the number of steps must be between 1 and 1000");
    }
    if (settings.cfgScale < 0.0 || settings.cfgScale > 100.0) {
        throw UserError("the guidance (cfg scale) must be between 0 and 100");
    }
    if (settings.embeddedGuidance < 0.0 || settings.embeddedGuidance > 100.0) {
        throw UserError("the embedded guidance must be between 0 and 100");
    }
    const double shift = settings.effectiveShift();
    if (!(shift > 0.0) || shift > 100.0) {
        throw UserError("the flow shift must be above 0 and at most 100");
    }
}

// predict(): prompt.strip() (Python's whitespace).
std::string stripped(const std::string& text) {
    const char* space = " \t\n\r\f\v";
    const std::size_t first = text.find_first_not_of(space);
    if (first == std::string::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(space) - first + 1);
}

at::Tensor idsTensor(const std::vector<std::int64_t>& values) {
    return at::tensor(values, at::TensorOptions().dtype(at::kLong)).unsqueeze(0);
}

// The text encoders run where the profile says (the CPU profile: on the CPU).
c10::Device encoderDevice(const HunyuanI2VRuntime& runtime) {
    return runtime.profile.textEncoder == TextEncoderPlacement::Cpu ? c10::Device(c10::kCPU)
                                                                    : runtime.device;
}

}  // namespace

std::string hunyuanI2VCacheKey(const at::Tensor& image, const HunyuanI2VSettings& settings) {
    std::ostringstream text;
    text.precision(17);
    text << "hunyuan-i2v\n"
         << settings.prompt << '\n'
         << settings.negativePrompt << '\n'
         << hunyuanI2VResolutionName(settings.resolution) << ' ' << settings.frames << ' '
         << settings.steps << ' ' << settings.stability << ' ' << settings.effectiveShift() << ' '
         << settings.embeddedGuidance << ' ' << settings.cfgScale << ' ' << settings.seed << '\n';
    const at::Tensor bytes = image.to(at::kCPU, at::kFloat).contiguous();
    text << bytes.sizes() << '\n';
    text.write(static_cast<const char*>(bytes.data_ptr()),
               static_cast<std::streamsize>(bytes.numel() * bytes.element_size()));
    return sha256Hex(text.str());
}

HunyuanI2VPipeline::HunyuanI2VPipeline(HunyuanI2VComponents components, HunyuanI2VRuntime runtime)
    : components_(std::move(components)), runtime_(std::move(runtime)) {
    requireComponent(components_.transformer.get(), "transformer");
    requireComponent(components_.vae.get(), "VAE");
}

HunyuanI2VPipeline::~HunyuanI2VPipeline() = default;

HunyuanTextConditioning HunyuanI2VPipeline::encodePrompt(const std::string& prompt,
                                                         const at::Tensor& image) const {
    requireComponent(components_.tokenizer.get(), "tokenizer");
    requireComponent(components_.textEncoder.get(), "text encoder");
    requireComponent(components_.clipEncoder.get(), "CLIP text encoder");
    const at::NoGradGuard noGrad;
    const c10::Device device = encoderDevice(runtime_);
    const OffloadPolicy policy = offloadPolicyFor(runtime_.profile.textEncoder);
    const HunyuanPromptTokens tokens = components_.tokenizer->tokenize(prompt);
    HunyuanTextConditioning text;
    const HunyuanTextStates llava = withComponentOn(components_.textEncoder, device, policy, [&] {
        const at::Tensor pixels =
            clipImagePixels(image, components_.textEncoder->config().imageProcessor);
        return components_.textEncoder->encode(idsTensor(tokens.llm.ids).to(device),
                                               idsTensor(tokens.llm.mask).to(device),
                                               pixels.to(device));
    });
    text.states = llava.states.to(runtime_.device, at::kFloat);
    text.mask = llava.mask.to(runtime_.device);
    text.states2 =
        withComponentOn(components_.clipEncoder, device, policy, [&] {
            return components_.clipEncoder->pooled(idsTensor(tokens.clip.ids).to(device),
                                                   idsTensor(tokens.clip.mask).to(device));
        }).to(runtime_.device, at::kFloat);
    return text;
}

at::Tensor HunyuanI2VPipeline::imageLatents(const at::Tensor& pixels) const {
    const at::NoGradGuard noGrad;
    HunyuanVAE& vae = *components_.vae;
    // The released script encodes once per process, before any tiled decode: untiled.
    vae.setTiling(false);
    return vae.encode(pixels).mode().mul(vae.config().scalingFactor).to(runtime_.device);
}

at::Tensor HunyuanI2VPipeline::denoise(const HunyuanDenoiseInputs& inputs,
                                       const HunyuanI2VGeometry& geometry,
                                       const HunyuanI2VSettings& settings,
                                       const HunyuanI2VObserver& observer) {
    validate(settings);
    HunyuanDiT& dit = *components_.transformer;
    const HunyuanRotaryTables rope =
        hunyuanRotaryTables(dit.config(), geometry.frames, geometry.height, geometry.width);
    const at::Tensor freqsCos = rope.cos.to(runtime_.device);
    const at::Tensor freqsSin = rope.sin.to(runtime_.device);
    const HunyuanDenoiseModel model = [&](const HunyuanDenoiseCall& call) {
        ++transformerCalls_;
        at::Tensor out = dit.forward({call.x, call.t, call.textStates, call.textMask,
                                      call.textStates2, call.guidance, freqsCos, freqsSin},
                                     observer.cancel);
        if (observer.modelCall) {
            observer.modelCall(call.step, call.x, out);
        }
        return out;
    };
    HunyuanDenoiseSettings denoise;
    denoise.frames = geometry.frames;
    denoise.steps = settings.steps;
    denoise.shift = settings.effectiveShift();
    denoise.embeddedGuidance = dit.config().guidanceEmbed
                                   ? std::optional<double>(settings.embeddedGuidance)
                                   : std::nullopt;
    denoise.cfgScale = settings.cfgScale;
    denoise.condition = dit.config().condition;
    denoise.stability = settings.stability;
    denoise.seed = settings.seed;
    denoise.modelDtype = dit.computeDtype();
    HunyuanDenoiseObserver denoiseObserver;
    denoiseObserver.progress = observer.progress;
    denoiseObserver.preview = observer.preview;
    denoiseObserver.afterStep = observer.afterStep;
    denoiseObserver.cancel = observer.cancel;
    return hunyuanDenoise(model, inputs, denoise, denoiseObserver);
}

at::Tensor HunyuanI2VPipeline::decode(const at::Tensor& latents, const CancelToken* cancel) const {
    const at::NoGradGuard noGrad;
    HunyuanVAE& vae = *components_.vae;
    vae.setTiling(true);  // enable_tiling: --vae-tiling, on in every released script
    const at::Tensor decoded = vae.decode(latents.div(vae.config().scalingFactor), cancel);
    at::Tensor video = decoded.div(2.0).add(0.5).clamp(0.0, 1.0).to(at::kCPU, at::kFloat);
    const std::int64_t dropped =
        hunyuanDroppedLeadingFrames(components_.transformer->config().condition);
    return dropped > 0 ? video.slice(2, dropped) : video;
}

at::Tensor HunyuanI2VPipeline::toFrames(const at::Tensor& video) {
    if (video.dim() != 5 || video.size(0) != 1 || video.size(1) != 3) {
        throw std::invalid_argument(
            "HunyuanI2VPipeline::toFrames: the video must be [1, 3, F, H, W]");
    }
    // save_videos_grid: clamp(0, 1), (x * 255).numpy().astype(np.uint8)
    return video[0].clamp(0.0, 1.0).mul(255.0).to(at::kByte).permute({1, 2, 3, 0}).contiguous();
}

HunyuanI2VResult HunyuanI2VPipeline::generate(const at::Tensor& image,
                                              const HunyuanI2VSettings& settings,
                                              const HunyuanI2VObserver& observer,
                                              const HunyuanLatentCache& cache) {
    validate(settings);
    if (image.dim() != 3 || image.size(2) != 3) {
        throw std::invalid_argument("HunyuanI2VPipeline: the image must be [H, W, 3] RGB");
    }
    transformerCalls_ = 0;
    const at::Tensor rgb = image.to(at::kCPU).to(at::kByte);
    HunyuanI2VResult result;
    result.geometry =
        hunyuanI2VGeometry(rgb.size(0), rgb.size(1), settings.resolution, settings.frames);
    const std::string key = cache.file.empty() ? std::string() : hunyuanI2VCacheKey(rgb, settings);
    if (!cache.file.empty()) {
        result.latent = loadFinishedLatents(cache.file, key, settings.steps);
        result.resumedFromCache = result.latent.defined();
    }
    if (!result.resumedFromCache) {
        const bool guided = settings.cfgScale > 1.0;
        report(observer, Phase::Encoding, 0, guided ? 3 : 2);
        HunyuanDenoiseInputs inputs;
        inputs.positive = encodePrompt(stripped(settings.prompt), rgb);
        checkCancel(observer.cancel);
        if (guided) {
            // predict(): the default negative prompt when none is given; encode_prompt reads
            // it with a black image of the image's size.
            const std::string negative =
                stripped(settings.negativePrompt.empty() ? std::string(kHunyuanNegativePromptI2V)
                                                         : settings.negativePrompt);
            report(observer, Phase::Encoding, 1, 3);
            inputs.negative = encodePrompt(negative, hunyuanNegativeImage(rgb));
            checkCancel(observer.cancel);
        }
        report(observer, Phase::Encoding, guided ? 2 : 1, guided ? 3 : 2);
        inputs.imageLatents = imageLatents(hunyuanPreprocessImage(rgb, result.geometry));
        report(observer, Phase::Encoding, guided ? 3 : 2, guided ? 3 : 2);
        result.latent = denoise(inputs, result.geometry, settings, observer).to(at::kCPU);
        if (!cache.file.empty()) {
            saveLatents(cache.file, {result.latent,
                                     settings.steps,
                                     {{"key", key},
                                      {"steps", std::to_string(settings.steps)},
                                      {"seed", std::to_string(settings.seed)},
                                      {"engine", "hunyuanvideo-i2v"}}});
        }
    }
    checkCancel(observer.cancel);
    report(observer, Phase::Decoding, 0, 1);
    result.frames = toFrames(decode(result.latent.to(runtime_.device), observer.cancel));
    report(observer, Phase::Decoding, 1, 1);
    result.transformerCalls = transformerCalls_;
    return result;
}

}  // namespace storyreel::infer::hunyuan
