// ClipEncoderLayer: one layer of transformers' CLIPEncoder (4.39.3 modeling_clip.py
// CLIPEncoderLayer), shared by the vision tower of the LLaVA encoder and the CLIP-L text
// encoder: LayerNorm, multi-head self-attention (q/k/v/out_proj with biases, optional
// mask), residual; LayerNorm, fc1, quick_gelu, fc2, residual. Parameters under `prefix`
// ("vision_tower.vision_model.encoder.layers.0.", "text_model.encoder.layers.0.").
//
//   ClipEncoderLayer layer(weights, prefix, {hidden, mlp, heads, eps, act}, at::kFloat);
//   x = layer.forward(x, allowed);   // [B, L, hidden]; allowed [B, 1, L, L] bool or undefined
//
// Thread-safety: forward() from one thread at a time (as any torch module).
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/hunyuan/clip_vision_config.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>

namespace storyreel::infer::hunyuan {

struct ClipLayerShape {
    std::int64_t hiddenSize = 0;
    std::int64_t intermediateSize = 0;
    std::int64_t numHeads = 0;
    double layerNormEps = 1e-5;
    ClipHiddenAct hiddenAct = ClipHiddenAct::QuickGelu;
};

class ClipEncoderLayer : public torch::nn::Module {
public:
    // Throws UserError naming the tensor and the file for a missing or mismatched one.
    ClipEncoderLayer(const ModuleWeights& weights, const std::string& prefix,
                     const ClipLayerShape& shape, at::ScalarType dtype);

    at::Tensor forward(const at::Tensor& x, const at::Tensor& allowed = {}) const;

private:
    at::Tensor attention(const at::Tensor& x, const at::Tensor& allowed) const;

    ClipLayerShape shape_;
    at::Tensor norm1Weight_, norm1Bias_, norm2Weight_, norm2Bias_;
    std::shared_ptr<QuantizedLinear> qProj_, kProj_, vProj_, outProj_, fc1_, fc2_;
};

// nn.LayerNorm over the last dimension, computed in float32 (the CUDA kernels accumulate in
// float32 for half types too; LibTorch 1.13 has no half LayerNorm on the CPU), back to x's
// dtype.
at::Tensor clipLayerNorm(const at::Tensor& x, const at::Tensor& weight, const at::Tensor& bias,
                         double eps);

}  // namespace storyreel::infer::hunyuan
