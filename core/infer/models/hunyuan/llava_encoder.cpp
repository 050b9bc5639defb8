#include "core/infer/models/hunyuan/llava_encoder.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/clip_vision_tower.h"
#include "core/infer/models/hunyuan/llama_decoder.h"
#include "core/infer/models/hunyuan/llava_projector.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <utility>
#include <vector>

namespace storyreel::infer::hunyuan {
namespace {

constexpr const char* kModel = "LLaVA text encoder";

UserError inputError(const std::string& problem) {
    return UserError(std::string(kModel) + ": " + problem);
}

}  // namespace

LlavaTextEncoder::LlavaTextEncoder(LlavaEncoderConfig config, const ModuleWeights& weights,
                                   std::optional<at::ScalarType> computeDtype)
    : LlavaTextEncoder(std::move(config), weights, weights, computeDtype) {}

LlavaTextEncoder::LlavaTextEncoder(LlavaEncoderConfig config, const ModuleWeights& language,
                                   const ModuleWeights& vision,
                                   std::optional<at::ScalarType> computeDtype)
    : config_(std::move(config)) {
    const at::ScalarType dtype =
        computeDtype.value_or(language.loader().options().dtype.value_or(at::kFloat));
    tower_ = register_module(
        "vision_tower",
        std::make_shared<ClipVisionTower>(config_.vision, vision, "vision_tower.vision_model.",
                                          config_.visionFeatureLayer, dtype));
    projector_ = register_module(
        "multi_modal_projector",
        std::make_shared<LlavaProjector>(vision, "multi_modal_projector.",
                                         config_.vision.hiddenSize, config_.text.hiddenSize));
    llama_ = register_module("language_model", std::make_shared<LlamaDecoder>(
                                                   config_.text, language, "language_model.model.",
                                                   config_.hiddenStateSkipLayer, dtype));
}

LlavaTextEncoder::~LlavaTextEncoder() = default;

BlockSwapRunner::Blocks LlavaTextEncoder::languageBlocks() const {
    return llama_->blocks();
}

void LlavaTextEncoder::enableBlockSwap(const c10::Device& device, std::int64_t residentLayers) {
    tower_->to(device);
    projector_->to(device);
    llama_->enableBlockSwap(device, residentLayers);
}

const BlockSwapRunner* LlavaTextEncoder::blockSwap() const {
    return llama_->blockSwap();
}

void LlavaTextEncoder::checkInputs(const at::Tensor& inputIds, const at::Tensor& attentionMask,
                                   const at::Tensor& pixelValues) const {
    if (inputIds.dim() != 2 || inputIds.size(0) == 0 ||
        at::isFloatingType(inputIds.scalar_type())) {
        throw inputError("input ids must be a [batch, length] integer tensor");
    }
    if (attentionMask.sizes() != inputIds.sizes()) {
        throw inputError("the attention mask must have the input ids' shape [batch, length]");
    }
    if (pixelValues.dim() != 4 ||
        (pixelValues.size(0) != 1 && pixelValues.size(0) != inputIds.size(0))) {
        throw inputError("pixel values must be [1 or batch, 3, size, size] (clipImagePixels)");
    }
    const at::Tensor images = inputIds.eq(config_.imageTokenIndex).sum(1);
    if (!images.eq(1).all().item<bool>()) {
        throw inputError("each row of input ids must hold exactly one <image> token (id " +
                         std::to_string(config_.imageTokenIndex) +
                         "); the prompt was not made from the I2V template");
    }
}

// LlavaForConditionalGeneration.forward with _merge_input_ids_with_image_features (one image
// per row): the projected patch tokens take the <image> token's place, the mask is 1 over
// them, <pad> tokens' embeddings are zeroed, positions count the mask's ones (padding at 1).
at::Tensor LlavaTextEncoder::mergedStates(const at::Tensor& inputIds,
                                          const at::Tensor& attentionMask,
                                          const at::Tensor& pixelValues) const {
    checkInputs(inputIds, attentionMask, pixelValues);
    const at::NoGradGuard noGrad;
    const auto device = llama_->device();
    const at::Tensor ids = inputIds.to(device, at::kLong);
    const at::Tensor mask = attentionMask.to(device, at::kLong);
    at::Tensor features = tower_->forward(pixelValues);  // [P, 1 + n, C_vision]
    if (config_.dropClassToken) {
        features = features.narrow(1, 1, features.size(1) - 1);
    }
    features = projector_->forward(features);  // [P, n, hidden]
    const std::int64_t tokens = features.size(1);
    at::Tensor embeds = llama_->embed(ids);
    if (config_.padTokenId >= 0) {
        embeds = embeds.masked_fill(ids.eq(config_.padTokenId).unsqueeze(-1), 0);
    }
    const at::Tensor imagePositions = ids.eq(config_.imageTokenIndex).to(at::kLong).argmax(1);
    std::vector<at::Tensor> rows, masks;
    for (std::int64_t b = 0; b < ids.size(0); ++b) {
        const std::int64_t p = imagePositions[b].item<std::int64_t>();
        const std::int64_t length = ids.size(1);
        const at::Tensor image = features[features.size(0) == 1 ? 0 : b];
        rows.push_back(at::cat(
            {embeds[b].narrow(0, 0, p), image, embeds[b].narrow(0, p + 1, length - p - 1)}, 0));
        masks.push_back(at::cat({mask[b].narrow(0, 0, p), at::ones({tokens}, mask.options()),
                                 mask[b].narrow(0, p + 1, length - p - 1)},
                                0));
    }
    const at::Tensor merged = at::stack(rows);
    const at::Tensor mergedMask = at::stack(masks);
    const at::Tensor positions = mergedMask.cumsum(1).sub(1).masked_fill(mergedMask.eq(0), 1);
    return llama_->forward(merged, positions, mergedMask);
}

HunyuanTextStates LlavaTextEncoder::encode(const at::Tensor& inputIds,
                                           const at::Tensor& attentionMask,
                                           const at::Tensor& pixelValues) const {
    checkInputs(inputIds, attentionMask, pixelValues);
    const std::int64_t tokens = config_.vision.numPatches() + (config_.dropClassToken ? 0 : 1);
    if (tokens != config_.prompt.imageEmbLen) {
        throw inputError("the image gives " + std::to_string(tokens) +
                         " tokens but the prompt template's image_emb_len is " +
                         std::to_string(config_.prompt.imageEmbLen) +
                         "; the template does not belong to this vision tower");
    }
    const at::Tensor hidden = mergedStates(inputIds, attentionMask, pixelValues);
    std::vector<at::Tensor> states, masks;
    for (std::int64_t b = 0; b < hidden.size(0); ++b) {
        HunyuanTextStates row = cropPromptRow(hidden[b], inputIds[b].cpu(), attentionMask[b],
                                              config_.prompt, config_.imageEmbedInterleave);
        states.push_back(std::move(row.states));
        masks.push_back(std::move(row.mask));
    }
    for (const at::Tensor& row : states) {
        if (row.size(1) != states.front().size(1)) {
            throw inputError("the rows crop to different lengths; encode them one by one");
        }
    }
    return {at::cat(states, 0), at::cat(masks, 0)};
}

}  // namespace storyreel::infer::hunyuan
