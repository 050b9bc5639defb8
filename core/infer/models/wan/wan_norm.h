// The normalisations of Wan 2.1's transformer (wan/modules/model.py): WanRMSNorm (q/k
// normalisation over the whole dim, before the split into heads) and WanLayerNorm (layer
// norm in float32, learnt gain and bias only for norm3). Both are torch modules holding
// their parameters under the reference names ("weight", "bias") so that block swapping
// moves them with their block.
//
//   auto norm = std::make_shared<WanRMSNorm>(loader.dense("blocks.0.self_attn.norm_q.weight"));
//   at::Tensor q = norm->forward(qProjected);             // [..., dim], q's dtype
//
// Thread-safety: forward() is const; one thread at a time per module, as torch modules.
#pragma once

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

namespace storyreel::infer::wan {

class WanRMSNorm : public torch::nn::Module {
public:
    // weight: [dim].
    WanRMSNorm(const at::Tensor& weight, double eps);

    // x * rsqrt(mean(x^2) + eps) over the last dimension, in float32, back to x's dtype,
    // times the weight (WanRMSNorm.forward), returned in x's dtype.
    at::Tensor forward(const at::Tensor& x) const;

private:
    at::Tensor weight_;
    double eps_;
};

class WanLayerNorm : public torch::nn::Module {
public:
    // Without affine parameters (norm1, norm2, head.norm).
    WanLayerNorm(std::int64_t dim, double eps);
    // With gain and bias [dim] (norm3 when cross_attn_norm).
    WanLayerNorm(const at::Tensor& weight, const at::Tensor& bias, double eps);

    // layer_norm over the last dimension computed in float32; returns float32 (callers
    // modulate in float32 and cast where the reference's autocast would).
    at::Tensor forward(const at::Tensor& x) const;

private:
    std::int64_t dim_;
    at::Tensor weight_;
    at::Tensor bias_;
    double eps_;
};

}  // namespace storyreel::infer::wan
