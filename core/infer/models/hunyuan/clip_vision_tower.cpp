#include "core/infer/models/hunyuan/clip_vision_tower.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/clip_vision_layer.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

namespace storyreel::infer::hunyuan {

ClipVisionTower::ClipVisionTower(const ClipVisionConfig& config, const ModuleWeights& weights,
                                 const std::string& prefix, std::int64_t featureLayer,
                                 at::ScalarType dtype)
    : config_(config) {
    config.validate();
    const std::int64_t states = config.numLayers + 1;
    const std::int64_t index = featureLayer < 0 ? states + featureLayer : featureLayer;
    if (index < 0 || index >= states) {
        throw UserError("CLIP vision tower: vision_feature_layer " + std::to_string(featureLayer) +
                        " does not index the " + std::to_string(states) + " hidden states of a " +
                        std::to_string(config.numLayers) + "-layer tower");
    }
    const std::int64_t hidden = config.hiddenSize;
    const std::string embeddings = prefix + "embeddings.";
    patchWeight_ = register_buffer(
        "patch_embedding",
        weights.dense(embeddings + "patch_embedding.weight",
                      {hidden, config.numChannels, config.patchSize, config.patchSize}, dtype));
    classEmbedding_ = register_buffer(
        "class_embedding", weights.dense(embeddings + "class_embedding", {hidden}, dtype));
    positions_ = register_buffer("position_embedding",
                                 weights.dense(embeddings + "position_embedding.weight",
                                               {1 + config.numPatches(), hidden}, dtype));
    preNormWeight_ = register_buffer(
        "pre_layrnorm_weight", weights.dense(prefix + "pre_layrnorm.weight", {hidden}, dtype));
    preNormBias_ = register_buffer("pre_layrnorm_bias",
                                   weights.dense(prefix + "pre_layrnorm.bias", {hidden}, dtype));
    const ClipLayerShape shape{hidden, config.intermediateSize, config.numHeads,
                               config.layerNormEps, config.hiddenAct};
    for (std::int64_t i = 0; i < index; ++i) {
        layers_.push_back(register_module(
            "layers_" + std::to_string(i),
            std::make_shared<ClipEncoderLayer>(
                weights, prefix + "encoder.layers." + std::to_string(i) + ".", shape, dtype)));
    }
}

at::Tensor ClipVisionTower::forward(const at::Tensor& pixels) const {
    const std::int64_t size = config_.imageSize;
    if (pixels.dim() != 4 || pixels.size(1) != config_.numChannels || pixels.size(2) != size ||
        pixels.size(3) != size) {
        throw UserError("CLIP vision tower: pixel values must be [B, " +
                        std::to_string(config_.numChannels) + ", " + std::to_string(size) + ", " +
                        std::to_string(size) + "]");
    }
    const at::NoGradGuard noGrad;
    const std::int64_t batch = pixels.size(0);
    const at::Tensor input = pixels.to(patchWeight_.device(), patchWeight_.scalar_type());
    // [B, hidden, grid, grid] -> [B, grid*grid, hidden], patches in row-major order
    const at::Tensor patches =
        at::conv2d(input, patchWeight_, {}, {config_.patchSize, config_.patchSize})
            .flatten(2)
            .transpose(1, 2);
    at::Tensor x = at::cat({classEmbedding_.view({1, 1, -1}).expand({batch, 1, -1}), patches}, 1) +
                   positions_.unsqueeze(0);
    x = clipLayerNorm(x, preNormWeight_, preNormBias_, config_.layerNormEps);
    for (const auto& layer : layers_) {
        x = layer->forward(x);
    }
    return x;
}

}  // namespace storyreel::infer::hunyuan
