// Attention in HunyuanVideo's transformer (hyvideo/modules/attenion.py, norm_layers.py):
// the joint attention of the double and single blocks, where each batch row is cut into
// two varlen segments that never see each other, [image + valid text] and [text padding]
// (flash_attn_varlen_func with get_cu_seqlens), each run through memory/attention.h (SDPA
// or the chunked kernel); the token refiner's masked self-attention; the per-head RMSNorm
// of q and k.
//
//   const std::vector<std::int64_t> lengths = hunyuanSegmentLengths(textMask, imageTokens);
//   at::Tensor out = hunyuanJointAttention(q, k, v, lengths);   // [B, S, H, D] -> [B, S, H*D]
//   auto norm = std::make_shared<HunyuanRMSNorm>(weights.dense("..._q_norm.weight", {128}));
//
// Thread-safety: pure functions; modules from one thread at a time.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <vector>

namespace storyreel::infer::hunyuan {

// Per batch row, the length of the first segment: imageTokens + the number of ones in the
// row of textMask [B, L] (get_cu_seqlens counts them; it does not look where they are).
std::vector<std::int64_t> hunyuanSegmentLengths(const at::Tensor& textMask,
                                                std::int64_t imageTokens);

// q, k, v: [B, S, H, D]; row b attends within [0, lengths[b]) and within [lengths[b], S)
// separately, scale 1/sqrt(D). Returns [B, S, H*D] in v's dtype. Throws
// std::invalid_argument for lengths outside 1..S or a count other than B.
at::Tensor hunyuanJointAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                 const std::vector<std::int64_t>& lengths);

// Softmax attention with an explicit boolean mask `allowed` [B, 1 or H, S, S] (true: may
// attend), scores and softmax in float32, scale 1/sqrt(D) (F.scaled_dot_product_attention
// with a boolean mask). q, k, v: [B, S, H, D]; returns [B, S, H*D] in v's dtype. For short
// sequences (the refiner's text): the score matrix is materialised.
at::Tensor hunyuanMaskedAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                                  const at::Tensor& allowed);

// RMSNorm(head_dim, eps 1e-6) with its weight: x * rsqrt(mean(x^2) + eps) in float32, cast
// back to x's dtype, times the weight; returned in x's dtype.
class HunyuanRMSNorm : public torch::nn::Module {
public:
    explicit HunyuanRMSNorm(const at::Tensor& weight);
    at::Tensor forward(const at::Tensor& x) const;

private:
    at::Tensor weight_;
};

}  // namespace storyreel::infer::hunyuan
