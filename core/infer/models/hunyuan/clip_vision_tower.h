// ClipVisionTower: the CLIP ViT image tower of HunyuanVideo-I2V's LLaVA encoder
// (transformers 4.39.3 CLIPVisionModel's vision_model: patch convolution without bias, class
// embedding in front, learned positions, pre_layrnorm, encoder layers), returning the hidden
// state LLaVA selects (vision_feature_layer -2: the residual stream after all layers but
// the last, class token included). Layers past the selected one, post_layernorm and the
// head are never loaded or run.
//
//   ClipVisionTower tower(config, weights, "vision_tower.vision_model.", -2, at::kHalf);
//   at::Tensor features = tower.forward(pixels);   // [B, 3, 336, 336] -> [B, 577, 1024]
//
// Thread-safety: forward() from one thread at a time (as any torch module).
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/models/hunyuan/clip_vision_config.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace storyreel::infer::hunyuan {

class ClipEncoderLayer;

class ClipVisionTower : public torch::nn::Module {
public:
    // featureLayer indexes CLIPEncoder's hidden_states (0: the pre_layrnorm output, i: after
    // layer i; negative counts from the end, -1 being the last layer). Throws UserError for
    // an index outside them, or naming the tensor and the file for a missing or mismatched
    // parameter.
    ClipVisionTower(const ClipVisionConfig& config, const ModuleWeights& weights,
                    const std::string& prefix, std::int64_t featureLayer, at::ScalarType dtype);

    const ClipVisionConfig& config() const { return config_; }

    // pixels: [B, 3, image_size, image_size] (clipImagePixels). Returns
    // [B, 1 + num_patches, hidden] in the weights' dtype, on the weights' device. Throws
    // UserError for another shape.
    at::Tensor forward(const at::Tensor& pixels) const;

private:
    ClipVisionConfig config_;
    at::Tensor patchWeight_;     // [hidden, channels, patch, patch]
    at::Tensor classEmbedding_;  // [hidden]
    at::Tensor positions_;       // [1 + patches, hidden]
    at::Tensor preNormWeight_, preNormBias_;
    std::vector<std::shared_ptr<ClipEncoderLayer>> layers_;
};

}  // namespace storyreel::infer::hunyuan
