// FinalLayer (hyvideo/modules/mlp_layers.py): the output layer after the blocks, on the
// image tokens: LayerNorm (no affine, eps 1e-6), modulated by (shift, scale) =
// adaLN_modulation(SiLU(vec)) (shift first), then Linear to pt*ph*pw*out_channels.
// Parameters final_layer.linear and final_layer.adaLN_modulation.1.
//
//   HunyuanFinalLayer finalLayer(weights, config);
//   at::Tensor out = finalLayer.forward(img, vec, dtype);   // [B, N, hidden] -> [B, N, 64]
//
// Thread-safety: forward() from one thread at a time.
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/hunyuan/hy_dit_config.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <memory>

namespace storyreel::infer::hunyuan {

class HunyuanFinalLayer : public torch::nn::Module {
public:
    HunyuanFinalLayer(const ModuleWeights& weights, const HunyuanDiTConfig& config);

    // x: [B, N, hidden] float32; vec: [B, hidden] float32 (the final layer ignores the
    // token_replace vector). The Linear runs in computeDtype; returns float32.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& vec,
                       at::ScalarType computeDtype = at::kFloat) const;

private:
    std::shared_ptr<QuantizedLinear> linear_, modulation_;
};

}  // namespace storyreel::infer::hunyuan
