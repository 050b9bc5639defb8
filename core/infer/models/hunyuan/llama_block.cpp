#include "core/infer/models/hunyuan/llama_block.h"

#include "core/infer/models/hunyuan/llama_attention.h"

#include <ATen/ATen.h>

namespace storyreel::infer::hunyuan {
namespace {

// rotate_half: [x1, x2] -> [-x2, x1] over the last dimension's halves.
at::Tensor rotateHalf(const at::Tensor& x) {
    const std::int64_t half = x.size(-1) / 2;
    return at::cat({x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)}, -1);
}

}  // namespace

at::Tensor llamaRmsNorm(const at::Tensor& x, const at::Tensor& weight, double eps) {
    const at::Tensor wide = x.to(at::kFloat);
    const at::Tensor normed = wide * at::rsqrt(wide.pow(2).mean({-1}, true) + eps);
    return weight * normed.to(x.scalar_type());
}

std::pair<at::Tensor, at::Tensor> llamaRotary(const at::Tensor& positionIds, std::int64_t headDim,
                                              double theta, at::ScalarType dtype) {
    const at::Tensor exponent =
        at::arange(0, headDim, 2, positionIds.options().dtype(at::kLong)).to(at::kFloat) /
        static_cast<double>(headDim);
    const at::Tensor invFreq = at::pow(c10::Scalar(theta), exponent).reciprocal();
    // [B, L, 1] * [headDim/2] -> [B, L, headDim/2]
    const at::Tensor freqs = positionIds.to(at::kFloat).unsqueeze(-1) * invFreq;
    const at::Tensor angles = at::cat({freqs, freqs}, -1);
    return {angles.cos().to(dtype), angles.sin().to(dtype)};
}

LlamaBlock::LlamaBlock(const LlamaConfig& config, const ModuleWeights& weights,
                       const std::string& prefix, at::ScalarType dtype)
    : numHeads_(config.numHeads),
      numKeyValueHeads_(config.numKeyValueHeads),
      headDim_(config.headDim()),
      eps_(config.rmsNormEps) {
    const std::int64_t hidden = config.hiddenSize;
    const std::int64_t kvDim = config.numKeyValueHeads * config.headDim();
    const std::int64_t mlp = config.intermediateSize;
    inputNorm_ = register_buffer("input_layernorm",
                                 weights.dense(prefix + "input_layernorm.weight", {hidden}, dtype));
    postAttentionNorm_ =
        register_buffer("post_attention_layernorm",
                        weights.dense(prefix + "post_attention_layernorm.weight", {hidden}, dtype));
    qProj_ = register_module("q_proj",
                             weights.linear(prefix + "self_attn.q_proj", hidden, hidden, false));
    kProj_ = register_module("k_proj",
                             weights.linear(prefix + "self_attn.k_proj", kvDim, hidden, false));
    vProj_ = register_module("v_proj",
                             weights.linear(prefix + "self_attn.v_proj", kvDim, hidden, false));
    oProj_ = register_module("o_proj",
                             weights.linear(prefix + "self_attn.o_proj", hidden, hidden, false));
    gateProj_ =
        register_module("gate_proj", weights.linear(prefix + "mlp.gate_proj", mlp, hidden, false));
    upProj_ =
        register_module("up_proj", weights.linear(prefix + "mlp.up_proj", mlp, hidden, false));
    downProj_ =
        register_module("down_proj", weights.linear(prefix + "mlp.down_proj", hidden, mlp, false));
}

at::Tensor LlamaBlock::forward(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin,
                               const at::Tensor& allowed) const {
    at::Tensor out = x + attention(llamaRmsNorm(x, inputNorm_, eps_), cos, sin, allowed);
    const at::Tensor normed = llamaRmsNorm(out, postAttentionNorm_, eps_);
    return out +
           downProj_->forward(at::silu(gateProj_->forward(normed)) * upProj_->forward(normed));
}

// LlamaAttention.forward (eager): heads first, RoPE on q and k, each key/value head shared
// by num_heads / num_kv_heads consecutive query heads (repeat_kv).
at::Tensor LlamaBlock::attention(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin,
                                 const at::Tensor& allowed) const {
    const std::int64_t batch = x.size(0);
    const std::int64_t length = x.size(1);
    const at::Tensor c = cos.unsqueeze(1);  // [B, 1, L, D]
    const at::Tensor s = sin.unsqueeze(1);
    at::Tensor q = qProj_->forward(x).view({batch, length, numHeads_, headDim_}).transpose(1, 2);
    at::Tensor k =
        kProj_->forward(x).view({batch, length, numKeyValueHeads_, headDim_}).transpose(1, 2);
    at::Tensor v =
        vProj_->forward(x).view({batch, length, numKeyValueHeads_, headDim_}).transpose(1, 2);
    q = q * c + rotateHalf(q) * s;
    k = k * c + rotateHalf(k) * s;
    const std::int64_t groups = numHeads_ / numKeyValueHeads_;
    if (groups > 1) {
        k = k.repeat_interleave(groups, 1);
        v = v.repeat_interleave(groups, 1);
    }
    const at::Tensor out = maskedAttention(q, k, v, allowed);  // [B, H, L, D]
    return oProj_->forward(out.transpose(1, 2).reshape({batch, length, numHeads_ * headDim_}));
}

}  // namespace storyreel::infer::hunyuan
