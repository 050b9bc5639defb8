#include "core/infer/models/wan/wan_block.h"

#include <ATen/ATen.h>

#include <string>
#include <vector>

namespace storyreel::infer::wan {

WanBlock::WanBlock(const WanWeights& weights, std::int64_t index, const WanModelConfig& config)
    : dim_(config.dim) {
    const std::string prefix = "blocks." + std::to_string(index) + ".";
    const std::int64_t dim = config.dim;
    // The reference adds the modulation to e0 in float32 (it asserts float32).
    modulation_ = register_parameter(
        "modulation", weights.dense(prefix + "modulation", {1, 6, dim}, at::kFloat), false);
    norm1_ = std::make_shared<WanLayerNorm>(dim, config.eps);
    norm2_ = std::make_shared<WanLayerNorm>(dim, config.eps);
    selfAttn_ = register_module(
        "self_attn", std::make_shared<WanSelfAttention>(weights, prefix + "self_attn", config));
    if (config.crossAttnNorm) {
        norm3_ = register_module(
            "norm3", std::make_shared<WanLayerNorm>(
                         weights.dense(prefix + "norm3.weight", {dim}, at::kFloat),
                         weights.dense(prefix + "norm3.bias", {dim}, at::kFloat), config.eps));
    }
    crossAttn_ = register_module(
        "cross_attn", std::make_shared<WanCrossAttention>(weights, prefix + "cross_attn", config));
    // ffn = Sequential(Linear, GELU(tanh), Linear): children "0" and "2".
    auto ffn = register_module("ffn", std::make_shared<torch::nn::Module>("ffn"));
    ffn0_ = ffn->register_module("0", weights.linear(prefix + "ffn.0", config.ffnDim, dim));
    ffn2_ = ffn->register_module("2", weights.linear(prefix + "ffn.2", dim, config.ffnDim));
}

at::Tensor WanBlock::forward(const at::Tensor& x, const WanBlockInputs& in) const {
    const at::ScalarType dtype = in.computeDtype;
    // e[i]: [B, 1, dim] float32 = (shift_sa, scale_sa, gate_sa, shift_ff, scale_ff, gate_ff).
    const std::vector<at::Tensor> e = (modulation_.to(x.device()) + in.e0).chunk(6, 1);

    const at::Tensor selfIn = norm1_->forward(x) * (1 + e[1]) + e[0];
    const at::Tensor y = selfAttn_->forward(selfIn.to(dtype), in.seqLens, *in.rope, *in.ropeTables);
    at::Tensor out = x + y.to(at::kFloat) * e[2];

    const at::Tensor crossIn = norm3_ ? norm3_->forward(out) : out;
    out = out + crossAttn_->forward(crossIn.to(dtype), in.context, in.contextLens).to(at::kFloat);

    const at::Tensor ffnIn = (norm2_->forward(out) * (1 + e[4]) + e[3]).to(dtype);
    const at::Tensor hidden = at::gelu(ffn0_->forward(ffnIn), "tanh");
    return out + ffn2_->forward(hidden).to(at::kFloat) * e[5];
}

}  // namespace storyreel::infer::wan
