#include "core/infer/models/wan/clip_visual_block.h"

#include "core/infer/memory/attention.h"
#include "core/infer/models/wan/encoder_weights.h"

#include <ATen/ATen.h>

#include <cmath>

namespace storyreel::infer::wan {

ClipVisualBlock::ClipVisualBlock(const ClipVisualConfig& config, const WeightLoader& loader,
                                 const std::string& prefix)
    : numHeads_(config.numHeads),
      eps_(config.normEps),
      postNorm_(config.postNorm),
      activation_(config.activation) {
    const std::int64_t dim = config.dim;
    const auto hidden = static_cast<std::int64_t>(static_cast<double>(dim) * config.mlpRatio);
    norm1Weight_ =
        register_buffer("norm1_weight", loadChecked(loader, prefix + "norm1.weight", {dim}));
    norm1Bias_ = register_buffer("norm1_bias", loadChecked(loader, prefix + "norm1.bias", {dim}));
    norm2Weight_ =
        register_buffer("norm2_weight", loadChecked(loader, prefix + "norm2.weight", {dim}));
    norm2Bias_ = register_buffer("norm2_bias", loadChecked(loader, prefix + "norm2.bias", {dim}));
    toQkv_ = register_module(
        "to_qkv", loadLinear(loader, prefix + "attn.to_qkv", 3 * dim, dim, LinearBias::Present));
    proj_ = register_module(
        "proj", loadLinear(loader, prefix + "attn.proj", dim, dim, LinearBias::Present));
    mlp0_ = register_module("mlp_0",
                            loadLinear(loader, prefix + "mlp.0", hidden, dim, LinearBias::Present));
    mlp2_ = register_module("mlp_2",
                            loadLinear(loader, prefix + "mlp.2", dim, hidden, LinearBias::Present));
}

at::Tensor ClipVisualBlock::forward(const at::Tensor& x) const {
    if (postNorm_) {
        at::Tensor out = x + clipLayerNorm(attention(x), norm1Weight_, norm1Bias_, eps_);
        return out + clipLayerNorm(mlp(out), norm2Weight_, norm2Bias_, eps_);
    }
    at::Tensor out = x + attention(clipLayerNorm(x, norm1Weight_, norm1Bias_, eps_));
    return out + mlp(clipLayerNorm(out, norm2Weight_, norm2Bias_, eps_));
}

// SelfAttention.forward: to_qkv viewed [B, S, 3, heads, head_dim], softmax(q k^T / sqrt(d)) v
// over all tokens (no mask), proj.
at::Tensor ClipVisualBlock::attention(const at::Tensor& x) const {
    const std::int64_t batch = x.size(0);
    const std::int64_t length = x.size(1);
    const std::int64_t dim = x.size(2);
    const std::vector<at::Tensor> qkv =
        toQkv_->forward(x).view({batch, length, 3, numHeads_, dim / numHeads_}).unbind(2);
    const at::Tensor out = infer::attention(qkv[0], qkv[1], qkv[2]);  // [B, S, heads, d]
    return proj_->forward(out.reshape({batch, length, dim}));
}

at::Tensor ClipVisualBlock::mlp(const at::Tensor& x) const {
    at::Tensor hidden = mlp0_->forward(x);
    if (activation_ == ClipActivation::QuickGelu) {
        hidden = hidden * at::sigmoid(1.702 * hidden);
    } else {
        hidden = at::gelu(hidden);
    }
    return mlp2_->forward(hidden);
}

}  // namespace storyreel::infer::wan
