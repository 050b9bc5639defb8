#include "core/render/hunyuan_engine.h"

#include "core/base/user_error.h"
#include "core/infer/memory/component_offload.h"
#include "core/infer/memory/device_memory.h"
#include "core/infer/memory/estimate.h"
#include "core/infer/models/hunyuan/hy_i2v_geometry.h"
#include "core/infer/models/hunyuan/hy_i2v_pipeline.h"
#include "core/infer/models/hunyuan/hy_models_folder.h"
#include "core/media/image_check.h"
#include "core/render/neural_support.h"

#include <ATen/ATen.h>

namespace storyreel::render {

namespace fs = std::filesystem;
namespace hy = infer::hunyuan;

const char* const kHunyuanLicenceNotice =
    "HunyuanVideo-I2V is released by Tencent under the Tencent Hunyuan Community License, "
    "which does not cover the European Union, the United Kingdom or South Korea";

namespace {

// The estimator's view of a DiT: the released HYVideo-T/2, or one read from a checkpoint.
infer::TransformerShape shapeOf(const hy::HunyuanDiTConfig& config) {
    if (config.hiddenSize == 3072 && config.doubleBlocks == 20 && config.singleBlocks == 40) {
        return infer::hunyuanVideoI2V();
    }
    const std::int64_t d = config.hiddenSize;
    const std::int64_t mlp = config.mlpHidden();
    // A double block: per stream qkv, proj, MLP and 6-way modulation; a single block: its
    // fused linear1/linear2 and 3-way modulation. Averaged over all blocks.
    const std::int64_t doubleBlock = 2 * (4 * d * d + 2 * d * mlp + 6 * d * d);
    const std::int64_t singleBlock = d * (3 * d + mlp) + (d + mlp) * d + 3 * d * d;
    const std::int64_t blocks = config.doubleBlocks + config.singleBlocks;
    infer::TransformerShape shape;
    shape.name = "HunyuanVideo DiT (" + config.describe() + ")";
    shape.blockCount = blocks;
    shape.blockParameters =
        blocks > 0
            ? (config.doubleBlocks * doubleBlock + config.singleBlocks * singleBlock) / blocks
            : 0;
    shape.otherParameters = config.textStatesDim * d + 8 * d * d + config.textStatesDim2 * d;
    shape.hiddenDim = d;
    shape.heads = config.headsNum;
    shape.ffnDim = mlp;
    shape.jointTokens = 256;
    return shape;
}

hy::HunyuanI2VResolution resolutionOf(const RenderRequest& request) {
    return hy::parseHunyuanI2VResolution(request.resolution);
}

std::int64_t tokensFor(const RenderRequest& request) {
    const media::ImageHeader header = media::checkImportable(request.image);
    const hy::HunyuanI2VGeometry geometry =
        hy::hunyuanI2VGeometry(header.height, header.width, resolutionOf(request), request.frames);
    return infer::hunyuanTokens(geometry.frames, geometry.height, geometry.width);
}

void requireLicence(const HunyuanEngineSettings& settings) {
    if (!settings.licenceAccepted) {
        throw UserError(std::string(kHunyuanLicenceNotice) +
                        ". Acknowledge it once before using the Fast (HunyuanVideo) preset: in "
                        "the application when you choose the preset, or with --accept-license "
                        "on the command line. Outside the licensed territory, use Fast (Wan, "
                        "distilled) instead.");
    }
}

}  // namespace

struct HunyuanEngine::State {
    LoadedModels<hy::HunyuanModelSet> models;
    std::int64_t lastTransformerCalls = 0;
    bool lastResumed = false;
    std::string lastDevice;
};

RenderRequest hunyuanPresetRequest() {
    RenderRequest request;
    request.frames = static_cast<int>(hy::kHunyuanDefaultFrames);
    request.fps = static_cast<double>(hy::kHunyuanDefaultFps);
    request.resolution = "720p";
    request.width = 1280;
    request.height = 720;
    request.steps = static_cast<int>(hy::kHunyuanDefaultSteps);
    request.guidance = hy::kHunyuanDefaultCfgScale;
    request.embeddedGuidance = hy::kHunyuanEmbeddedGuidance;
    request.stableMotion = true;
    request.shift = hy::kHunyuanShiftStable;
    request.sampler = "flow-euler";  // FlowMatchDiscreteScheduler: the only one it has
    return request;
}

HunyuanEngine::HunyuanEngine(HunyuanEngineSettings settings)
    : settings_(std::move(settings)), state_(std::make_unique<State>()) {}

HunyuanEngine::~HunyuanEngine() = default;

std::int64_t HunyuanEngine::lastTransformerCalls() const {
    return state_->lastTransformerCalls;
}

bool HunyuanEngine::lastResumedFromLatents() const {
    return state_->lastResumed;
}

std::string HunyuanEngine::lastDevice() const {
    return state_->lastDevice;
}

Estimate HunyuanEngine::estimate(const RenderRequest& request) const {
    const NeuralPlacement placement = neuralPlacementFor(request);
    // The loaded DiT, else the one in the models folder (its header only), else the 13B.
    infer::TransformerShape shape = infer::hunyuanVideoI2V();
    double stored = 2.0;
    if (const hy::HunyuanModelSet* loaded = state_->models.get()) {
        shape = shapeOf(loaded->transformerConfig());
        stored = loaded->storedBytesPerParameter();
    } else if (!settings_.modelsDir.empty()) {
        try {
            const hy::HunyuanTransformerSummary dit = hy::summarizeHunyuanTransformer(
                hy::findHunyuanModelFiles(settings_.modelsDir).transformer);
            shape = shapeOf(dit.config);
            stored = dit.storedBytesPerParameter;
        } catch (const UserError&) {
            // Files missing or unreadable: the render will say so; estimate the 13B.
        }
    }
    return neuralEstimate(shape, tokensFor(request), request.guidance > 1.0 ? 2 : 1, placement,
                          request.steps, stored);
}

Frames HunyuanEngine::render(const RenderRequest& request, const ProgressSink& progress,
                             const CancelToken& cancel) {
    return render(request, progress, {}, cancel);
}

Frames HunyuanEngine::render(const RenderRequest& request, const ProgressSink& progress,
                             const PreviewSink& preview, const CancelToken& cancel) {
    requireLicence(settings_);
    if (!request.loras.empty()) {
        throw UserError("the HunyuanVideo-I2V engine does not apply LoRAs yet");
    }
    const NeuralPlacement placement = neuralPlacementFor(request);
    hy::HunyuanI2VSettings settings;
    settings.prompt = request.prompt;
    settings.negativePrompt = request.negativePrompt;
    settings.resolution = resolutionOf(request);
    settings.frames = request.frames;
    settings.steps = request.steps;
    settings.stability = request.stableMotion;
    settings.shift = request.shift;
    settings.embeddedGuidance = request.embeddedGuidance;
    settings.cfgScale = request.guidance;
    settings.seed = static_cast<std::uint64_t>(request.seed);
    const hy::HunyuanModelFiles files = hy::findHunyuanModelFiles(settings_.modelsDir);
    const std::string key = files.transformer.string() + "|" + files.textEncoder.string() + "|" +
                            placement.device.str() + "|" + placement.profile.name;
    const at::Tensor image = loadRgbImage(request.image);
    state_->lastTransformerCalls = 0;
    state_->lastResumed = false;
    state_->lastDevice = placement.device.str();
    const hy::HunyuanI2VGeometry geometry =
        hy::hunyuanI2VGeometry(image.size(0), image.size(1), settings.resolution, settings.frames);
    try {
        hy::HunyuanModelSet& models = state_->models.ensure(key, progress, [&] {
            return hy::HunyuanModelSet::open(files, {placement.device, placement.profile, &cancel});
        });
        hy::HunyuanI2VPipeline pipeline(models.components(), {placement.device, placement.profile});
        hy::HunyuanI2VObserver observer;
        observer.progress = progress;
        if (preview) {
            observer.preview = [&preview](const at::Tensor& rgb) { preview(frameFromRgb(rgb)); };
        }
        observer.cancel = &cancel;
        const hy::HunyuanI2VResult result =
            pipeline.generate(image, settings, observer, {request.latentFile});
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
        // The model that ran out (else the released one); freed before measuring what a
        // retry could use.
        const hy::HunyuanModelSet* loaded = state_->models.get();
        const infer::TransformerShape shape =
            loaded ? shapeOf(loaded->transformerConfig()) : infer::hunyuanVideoI2V();
        const double stored = loaded ? loaded->storedBytesPerParameter() : 2.0;
        state_->models.release();
        throw UserError(outOfMemoryMessage(
            placement, shape,
            infer::hunyuanTokens(geometry.frames, geometry.height, geometry.width), stored,
            request.frames));
    }
}

}  // namespace storyreel::render
