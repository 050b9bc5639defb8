// The modulation of HunyuanVideo's blocks (hyvideo/modules/modulate_layers.py ModulateDiT,
// modulate, apply_gate) including token_replace's second set for the first latent frame's
// tokens, and the parameter-free LayerNorm (eps 1e-6) every block modulates after. All in
// float32, as the reference keeps the residual stream and conditioning.
//
//   auto mod = std::make_shared<HunyuanModulateDiT>(weights, "double_blocks.0.img_mod", 3072, 6);
//   const HunyuanModulation m = mod->forward(vec, trVec, firstFrameTokens);
//   at::Tensor h = m.modulate(hunyuanLayerNorm(x), 0, 1);   // shift = chunk 0, scale = chunk 1
//   x = x + m.gate(f(h), 2);
//
// Thread-safety: forward() from one thread at a time per module; the rest is pure.
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/layers/quantized_linear.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace storyreel::infer::hunyuan {

// LayerNorm over the last dimension without affine parameters, eps 1e-6, in float32.
at::Tensor hunyuanLayerNorm(const at::Tensor& x);

// The chunks of one ModulateDiT call, ready to broadcast over tokens.
struct HunyuanModulation {
    std::vector<at::Tensor> chunks;            // [B, 1, hidden] float32 each
    std::vector<at::Tensor> firstFrameChunks;  // token_replace only; else empty
    std::int64_t firstFrameTokens = 0;         // tokens [0, this) use firstFrameChunks

    // modulate(): x [B, L, hidden] * (1 + chunks[scale]) + chunks[shift], the first
    // firstFrameTokens tokens with firstFrameChunks. Float32.
    at::Tensor modulate(const at::Tensor& x, std::size_t shift, std::size_t scale) const;
    // apply_gate(): x * chunks[gate], likewise split. Float32.
    at::Tensor gate(const at::Tensor& x, std::size_t gate) const;
};

// ModulateDiT: linear(SiLU(vec)) chunked into `factor` parts; `prefix`.linear.{weight,bias}.
class HunyuanModulateDiT : public torch::nn::Module {
public:
    HunyuanModulateDiT(const ModuleWeights& weights, const std::string& prefix, std::int64_t hidden,
                       std::int64_t factor);

    // vec: [B, hidden] float32. With tokenReplaceVec defined (token_replace), the second set
    // for the first `firstFrameTokens` tokens.
    HunyuanModulation forward(const at::Tensor& vec, const at::Tensor& tokenReplaceVec = {},
                              std::int64_t firstFrameTokens = 0) const;

private:
    std::int64_t factor_;
    std::shared_ptr<QuantizedLinear> linear_;
};

}  // namespace storyreel::infer::hunyuan
