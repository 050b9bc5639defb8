#include "core/infer/models/hunyuan/clip_text_encoder.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/clip_vision_layer.h"
#include "core/infer/models/hunyuan/llama_attention.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <string>
#include <utility>

namespace storyreel::infer::hunyuan {
namespace {

UserError inputError(const std::string& problem) {
    return UserError("CLIP text encoder: " + problem);
}

}  // namespace

ClipTextEncoder::ClipTextEncoder(ClipTextConfig config, const ModuleWeights& weights,
                                 std::optional<at::ScalarType> computeDtype)
    : config_(std::move(config)) {
    config_.validate();
    const at::ScalarType dtype =
        computeDtype.value_or(weights.loader().options().dtype.value_or(at::kFloat));
    const std::int64_t hidden = config_.hiddenSize;
    tokenEmbedding_ = register_buffer("token_embedding",
                                      weights.dense("text_model.embeddings.token_embedding.weight",
                                                    {config_.vocabSize, hidden}, dtype));
    positionEmbedding_ = register_buffer(
        "position_embedding", weights.dense("text_model.embeddings.position_embedding.weight",
                                            {config_.maxPositionEmbeddings, hidden}, dtype));
    const ClipLayerShape shape{hidden, config_.intermediateSize, config_.numHeads,
                               config_.layerNormEps, config_.hiddenAct};
    for (std::int64_t i = 0; i < config_.numLayers; ++i) {
        layers_.push_back(register_module(
            "layers_" + std::to_string(i),
            std::make_shared<ClipEncoderLayer>(
                weights, "text_model.encoder.layers." + std::to_string(i) + ".", shape, dtype)));
    }
    finalNormWeight_ =
        register_buffer("final_layer_norm_weight",
                        weights.dense("text_model.final_layer_norm.weight", {hidden}, dtype));
    finalNormBias_ =
        register_buffer("final_layer_norm_bias",
                        weights.dense("text_model.final_layer_norm.bias", {hidden}, dtype));
}

ClipTextEncoder::~ClipTextEncoder() = default;

at::Tensor ClipTextEncoder::lastHiddenState(const at::Tensor& ids, const at::Tensor& mask) const {
    if (ids.dim() != 2 || ids.size(0) == 0 || ids.size(1) == 0 ||
        at::isFloatingType(ids.scalar_type())) {
        throw inputError("token ids must be a [batch, length] integer tensor");
    }
    if (ids.size(1) > config_.maxPositionEmbeddings) {
        throw inputError(std::to_string(ids.size(1)) + " tokens exceed the model's " +
                         std::to_string(config_.maxPositionEmbeddings) + " positions");
    }
    if (mask.defined() && mask.sizes() != ids.sizes()) {
        throw inputError("the attention mask must have the ids' shape [batch, length]");
    }
    const at::NoGradGuard noGrad;
    const auto device = tokenEmbedding_.device();
    const at::Tensor index = ids.to(device, at::kLong);
    if (index.min().item<std::int64_t>() < 0 ||
        index.max().item<std::int64_t>() >= config_.vocabSize) {
        throw inputError("a token id is outside the vocabulary of " +
                         std::to_string(config_.vocabSize) + " ids");
    }
    const std::int64_t length = ids.size(1);
    at::Tensor x = at::embedding(tokenEmbedding_, index) +
                   positionEmbedding_.narrow(0, 0, length).unsqueeze(0);
    const at::Tensor keys = mask.defined() ? mask.to(device) : at::ones_like(index);
    const at::Tensor allowed = causalPaddingMask(keys);
    for (const auto& layer : layers_) {
        x = layer->forward(x, allowed);
    }
    return clipLayerNorm(x, finalNormWeight_, finalNormBias_, config_.layerNormEps);
}

at::Tensor ClipTextEncoder::poolFrom(const at::Tensor& lastHiddenState,
                                     const at::Tensor& ids) const {
    const at::Tensor index = ids.to(lastHiddenState.device(), at::kLong);
    // eos_token_id 2: the legacy rule (argmax of the ids: <|endoftext|> is the highest id);
    // otherwise the first eos token.
    const at::Tensor positions = config_.eosTokenId == 2
                                     ? index.argmax(1)
                                     : index.eq(config_.eosTokenId).to(at::kInt).argmax(1);
    const std::int64_t length = lastHiddenState.size(1);
    const at::Tensor flat = at::arange(index.size(0), index.options()) * length + positions;
    return lastHiddenState.reshape({-1, lastHiddenState.size(2)}).index_select(0, flat);
}

at::Tensor ClipTextEncoder::pooled(const at::Tensor& ids, const at::Tensor& mask) const {
    return poolFrom(lastHiddenState(ids, mask), ids);
}

}  // namespace storyreel::infer::hunyuan
