// LlamaBlock: one decoder layer of Llama-3 (transformers 4.39.3 modeling_llama.py
// LlamaDecoderLayer): RMSNorm, grouped-query self-attention with rotary position embeddings
// (rotate-half form) and o_proj, residual; RMSNorm, SiLU-gated MLP (down(silu(gate) * up)),
// residual. Parameters by the checkpoint's names under `prefix`
// ("language_model.model.layers.0."); the projections are QuantizedLinear layers, so GGUF
// blocks stay quantised until used.
//
//   auto block = std::make_shared<LlamaBlock>(config, weights, "language_model.model.layers.0.",
//                                             at::kHalf);
//   x = block->forward(x, cos, sin, causalPaddingMask(mask));   // [B, L, hidden]
//
// Thread-safety: forward() from one thread at a time (as any torch module).
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/hunyuan/llama_config.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <memory>
#include <string>
#include <utility>

namespace storyreel::infer::hunyuan {

class LlamaBlock : public torch::nn::Module {
public:
    // Norm weights are loaded in `dtype` (the reference casts the whole model). Throws
    // UserError naming the tensor and the file when one is missing or of another shape.
    LlamaBlock(const LlamaConfig& config, const ModuleWeights& weights, const std::string& prefix,
               at::ScalarType dtype);

    // x: [B, L, hidden]; cos, sin: [B, L, head_dim] in x's dtype (llamaRotary); allowed:
    // [B, 1, L, L] bool (causalPaddingMask). Returns [B, L, hidden].
    at::Tensor forward(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin,
                       const at::Tensor& allowed) const;

private:
    at::Tensor attention(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin,
                         const at::Tensor& allowed) const;

    std::int64_t numHeads_;
    std::int64_t numKeyValueHeads_;
    std::int64_t headDim_;
    double eps_;
    at::Tensor inputNorm_, postAttentionNorm_;
    std::shared_ptr<QuantizedLinear> qProj_, kProj_, vProj_, oProj_, gateProj_, upProj_, downProj_;
};

// LlamaRMSNorm: x * rsqrt(mean(x^2) + eps) in float32, back to x's dtype, times weight.
at::Tensor llamaRmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps);

// LlamaRotaryEmbedding: positionIds [B, L] int64 -> (cos, sin) [B, L, headDim] in `dtype`,
// angles position * theta^(-2i/headDim) computed in float32, the halves repeated
// (cat(freqs, freqs)).
std::pair<at::Tensor, at::Tensor> llamaRotary(const at::Tensor& positionIds, std::int64_t headDim,
                                              double theta, at::ScalarType dtype);

}  // namespace storyreel::infer::hunyuan
