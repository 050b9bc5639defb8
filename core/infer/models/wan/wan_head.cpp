#include "core/infer/models/wan/wan_head.h"

#include <ATen/ATen.h>

#include <vector>

namespace storyreel::infer::wan {

WanHead::WanHead(const WanWeights& weights, const WanModelConfig& config) {
    modulation_ = register_parameter(
        "modulation", weights.dense("head.modulation", {1, 2, config.dim}, at::kFloat), false);
    norm_ = std::make_shared<WanLayerNorm>(config.dim, config.eps);
    head_ =
        register_module("head", weights.linear("head.head", config.headOutFeatures(), config.dim));
}

at::Tensor WanHead::forward(const at::Tensor& x, const at::Tensor& e) const {
    // (shift, scale), each [B, 1, dim].
    const std::vector<at::Tensor> m = (modulation_.to(x.device()) + e.unsqueeze(1)).chunk(2, 1);
    return head_->forward(norm_->forward(x) * (1 + m[1]) + m[0]);
}

}  // namespace storyreel::infer::wan
