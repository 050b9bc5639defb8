// The attention layers of a Wan 2.1 block (wan/modules/model.py WanSelfAttention,
// WanT2VCrossAttention, WanI2VCrossAttention), running on memory/attention.h. Linear layers
// are QuantizedLinear under the reference names (q, k, v, o, k_img, v_img) and the q/k
// RMS norms are WanRMSNorm (norm_q, norm_k, norm_k_img), so a block's parameters are the
// checkpoint's.
//
//   auto self = std::make_shared<WanSelfAttention>(weights, "blocks.0.self_attn", config);
//   at::Tensor y = self->forward(x, seqLens, rope, rope.prepare(gridSizes, device));
//   auto cross = std::make_shared<WanCrossAttention>(weights, "blocks.0.cross_attn", config);
//   at::Tensor z = cross->forward(x, context, {});               // context [B, Lc, dim]
//
// Thread-safety: forward() from one thread at a time per module.
#pragma once

#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/wan/wan_config.h"
#include "core/infer/models/wan/wan_norm.h"
#include "core/infer/models/wan/wan_rope.h"
#include "core/infer/models/wan/wan_weights.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>

namespace storyreel::infer::wan {

// The number of text tokens the i2v cross-attention splits off the END of its context
// (T5_CONTEXT_TOKEN_NUMBER): hard-coded in the reference, independent of text_len.
inline constexpr std::int64_t kT5ContextTokens = 512;

class WanSelfAttention : public torch::nn::Module {
public:
    // Loads `prefix`.{q,k,v,o}.{weight,bias} and, with qk_norm, `prefix`.norm_{q,k}.weight.
    WanSelfAttention(const WanWeights& weights, const std::string& prefix,
                     const WanModelConfig& config);

    // x: [B, L, dim] in the compute dtype; seqLens [B]: real tokens per item (the rest is
    // padding, masked as keys); ropeTables: for each item's (F, H, W) grid.
    // Returns [B, L, dim] in x's dtype.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& seqLens, const WanRope& rope,
                       const WanRopeTables& ropeTables) const;

private:
    std::int64_t heads_;
    std::int64_t headDim_;
    std::shared_ptr<QuantizedLinear> q_, k_, v_, o_;
    std::shared_ptr<WanRMSNorm> normQ_, normK_;  // null without qk_norm
};

class WanCrossAttention : public torch::nn::Module {
public:
    // t2v: `prefix`.{q,k,v,o}, norm_{q,k}; i2v also k_img, v_img, norm_k_img.
    WanCrossAttention(const WanWeights& weights, const std::string& prefix,
                      const WanModelConfig& config);

    // x: [B, L, dim]; context: [B, Lc, dim] (i2v: the image tokens, then the last 512 rows
    // are the text); contextLens: optional [B] lengths of the text part (undefined: all
    // rows count, as WanModel passes). Returns [B, L, dim] in x's dtype.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& context,
                       const at::Tensor& contextLens) const;

private:
    at::Tensor heads(const at::Tensor& projected) const;  // [B, L, dim] -> [B, L, n, d]

    bool i2v_;
    std::int64_t heads_;
    std::int64_t headDim_;
    std::shared_ptr<QuantizedLinear> q_, k_, v_, o_, kImg_, vImg_;
    std::shared_ptr<WanRMSNorm> normQ_, normK_, normKImg_;
};

}  // namespace storyreel::infer::wan
