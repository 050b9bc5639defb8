#include "core/render/wan_engine.h"

#include "core/base/user_error.h"
#include "core/infer/memory/component_offload.h"
#include "core/infer/memory/device_memory.h"
#include "core/infer/memory/estimate.h"
#include "core/infer/memory/memory_profile.h"
#include "core/infer/models/wan/wan_i2v_geometry.h"
#include "core/infer/models/wan/wan_i2v_pipeline.h"
#include "core/infer/models/wan/wan_models_folder.h"
#include "core/media/image_check.h"
#include "core/render/neural_support.h"

#include <ATen/ATen.h>

#include <cstdlib>

namespace storyreel::render {

namespace fs = std::filesystem;
namespace wan = infer::wan;

namespace {

void requirePreset(const std::string& preset) {
    if (preset != "quality" && preset != "fast-wan") {
        throw UserError("the Wan 2.1 engine runs the presets quality and fast-wan, not '" + preset +
                        "'");
    }
}

// The estimator's view of a DiT: the released 14B, or one read from a config.
infer::TransformerShape shapeOf(const wan::WanModelConfig& config) {
    if (config.dim == 5120 && config.numLayers == 40 && config.isI2V()) {
        return infer::wan21I2V14B();
    }
    infer::TransformerShape shape;
    shape.name = "Wan DiT (" + config.describe() + ")";
    shape.blockCount = config.numLayers;
    const std::int64_t d = config.dim;
    shape.blockParameters =
        (config.isI2V() ? 10 : 8) * d * d + 2 * d * config.ffnDim + 6 * d + 16 * d;
    shape.otherParameters = config.textDim * d + d * d + config.freqDim * d + 7 * d * d;
    shape.hiddenDim = d;
    shape.heads = config.numHeads;
    shape.ffnDim = config.ffnDim;
    shape.contextTokens = config.textLen + (config.isI2V() ? 257 : 0);
    return shape;
}

std::int64_t tokensFor(const RenderRequest& request, const fs::path& image) {
    const media::ImageHeader header = media::checkImportable(image);
    const infer::WanI2VGeometry geometry = infer::wanI2VGeometry(
        header.height, header.width, std::int64_t{request.width} * request.height, request.frames);
    return geometry.seqLen;
}

}  // namespace

struct WanEngine::State {
    LoadedModels<wan::WanModelSet> models;
    std::int64_t lastTransformerCalls = 0;
    bool lastResumed = false;
    std::string lastDevice;
};

RenderRequest wanPresetRequest(std::string_view preset) {
    RenderRequest request;
    request.frames = static_cast<int>(infer::kWanDefaultFrames);
    request.fps = static_cast<double>(infer::kWanDefaultFps);
    request.width = 832;
    request.height = 480;
    request.sampler = "unipc";
    if (preset == "fast-wan") {
        // Step-distilled (lightx2v-style) LoRAs: 4 steps, no guidance, shift 5.
        request.steps = 4;
        request.guidance = 1.0;
        request.shift = 5.0;
    } else {
        request.steps = static_cast<int>(infer::kWanDefaultI2VSteps);
        request.guidance = 5.0;
        request.shift = infer::wanDefaultI2VShift(infer::kWanMaxArea480p);
    }
    return request;
}

fs::path modelsDirFromEnvironment() {
    const char* dir = std::getenv("STORYREEL_MODELS_DIR");
    return dir != nullptr && *dir != '\0' ? fs::path(dir) : fs::path();
}

WanEngine::WanEngine(WanEngineSettings settings)
    : settings_(std::move(settings)), state_(std::make_unique<State>()) {
    requirePreset(settings_.preset);
}

WanEngine::~WanEngine() = default;

std::int64_t WanEngine::lastTransformerCalls() const {
    return state_->lastTransformerCalls;
}

bool WanEngine::lastResumedFromLatents() const {
    return state_->lastResumed;
}

std::string WanEngine::lastDevice() const {
    return state_->lastDevice;
}

Estimate WanEngine::estimate(const RenderRequest& request) const {
    const NeuralPlacement placement = neuralPlacementFor(request);
    // The loaded DiT, else the one in the models folder (its header only), else the 14B.
    infer::TransformerShape shape = infer::wan21I2V14B();
    double stored = 2.0;
    if (const wan::WanModelSet* loaded = state_->models.get()) {
        shape = shapeOf(loaded->transformerConfig());
        stored = loaded->storedBytesPerParameter();
    } else if (!settings_.modelsDir.empty()) {
        try {
            const wan::WanTransformerSummary dit = wan::summarizeWanTransformer(
                wan::findWanModelFiles(settings_.modelsDir, settings_.preset, true).transformer);
            shape = shapeOf(dit.config);
            stored = dit.storedBytesPerParameter;
        } catch (const UserError&) {
            // Files missing or unreadable: the render will say so; estimate the 14B.
        }
    }
    return neuralEstimate(shape, tokensFor(request, request.image), request.guidance == 1.0 ? 1 : 2,
                          placement, request.steps, stored);
}

Frames WanEngine::render(const RenderRequest& request, const ProgressSink& progress,
                         const CancelToken& cancel) {
    return render(request, progress, {}, cancel);
}

Frames WanEngine::render(const RenderRequest& request, const ProgressSink& progress,
                         const PreviewSink& preview, const CancelToken& cancel) {
    const NeuralPlacement placement = neuralPlacementFor(request);
    const wan::WanModelFiles files =
        wan::findWanModelFiles(settings_.modelsDir, settings_.preset, !request.loras.empty());
    wan::WanOpenOptions options;
    options.device = placement.device;
    options.profile = placement.profile;
    options.cancel = &cancel;
    std::string key = files.transformer.string() + "|" + files.distillationLora.string() + "|" +
                      placement.device.str() + "|" + placement.profile.name;
    for (const LoraRef& lora : request.loras) {
        options.loras.push_back({lora.file, static_cast<float>(lora.strength)});
        key += "|" + lora.file.string() + ":" + std::to_string(lora.strength);
    }
    const at::Tensor image = loadRgbImage(request.image);
    state_->lastTransformerCalls = 0;
    state_->lastResumed = false;
    state_->lastDevice = placement.device.str();
    const std::int64_t tokens =
        infer::wanI2VGeometry(image.size(0), image.size(1),
                              std::int64_t{request.width} * request.height, request.frames)
            .seqLen;
    try {
        wan::WanModelSet& models = state_->models.ensure(
            key, progress, [&] { return wan::WanModelSet::open(files, options); });
        wan::WanI2VPipeline pipeline(models.components(), {placement.device, placement.profile});
        wan::WanI2VSettings settings;
        settings.prompt = request.prompt;
        settings.negativePrompt = request.negativePrompt;
        settings.maxArea = std::int64_t{request.width} * request.height;
        settings.frames = request.frames;
        settings.steps = request.steps;
        settings.guidance = request.guidance;
        settings.shift = request.shift;
        settings.sampler = request.sampler;
        settings.seed = static_cast<std::uint64_t>(request.seed);
        wan::WanI2VObserver observer;
        observer.progress = progress;
        if (preview) {
            observer.preview = [&preview](const at::Tensor& rgb) { preview(frameFromRgb(rgb)); };
        }
        observer.cancel = &cancel;
        const wan::WanI2VResult result =
            pipeline.generate(image, settings, observer, {request.latentFile, 0});
        state_->lastTransformerCalls = result.transformerCalls;
        state_->lastResumed = result.resumedFromCache;
        return framesFromVideo(result.frames, request.fps);
    } catch (const Cancelled&) {
        throw;
    } catch (const UserError&) {
        throw;
    } catch (const std::exception& error) {
        if (!infer::isOutOfMemory(error) || !placement.device.is_cuda()) {
            throw;
        }
        // The model that ran out (else the released 14B), its weights as stored (a GGUF
        // file needs far less than bf16); freed before measuring what a retry could use.
        const wan::WanModelSet* loaded = state_->models.get();
        const infer::TransformerShape shape =
            loaded ? shapeOf(loaded->transformerConfig()) : infer::wan21I2V14B();
        const double stored = loaded ? loaded->storedBytesPerParameter() : 2.0;
        state_->models.release();
        throw UserError(outOfMemoryMessage(placement, shape, tokens, stored, request.frames));
    }
}

}  // namespace storyreel::render
