// LlavaProjector: transformers 4.39.3 LlavaMultiModalProjector, the bridge from CLIP image
// features to the Llama embedding space: linear_1, GELU (projector_hidden_act "gelu", the
// exact erf form), linear_2, with biases, under "multi_modal_projector.".
//
//   LlavaProjector projector(weights, "multi_modal_projector.", 1024, 4096);
//   at::Tensor tokens = projector.forward(features);   // [B, 576, 1024] -> [B, 576, 4096]
//
// Thread-safety: forward() from one thread at a time (as any torch module).
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/layers/quantized_linear.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>

namespace storyreel::infer::hunyuan {

class LlavaProjector : public torch::nn::Module {
public:
    // Throws UserError naming the tensor and the file for a missing or mismatched one.
    LlavaProjector(const ModuleWeights& weights, const std::string& prefix,
                   std::int64_t visionHidden, std::int64_t textHidden);

    // features: [..., visionHidden] -> [..., textHidden] in features' dtype.
    at::Tensor forward(const at::Tensor& features) const;

private:
    std::shared_ptr<QuantizedLinear> linear1_, linear2_;
};

}  // namespace storyreel::infer::hunyuan
