#include "core/infer/models/hunyuan/hy_single_block.h"

#include "core/infer/models/hunyuan/hy_rope.h"

#include <ATen/ATen.h>

#include <string>

namespace storyreel::infer::hunyuan {

HunyuanSingleBlock::HunyuanSingleBlock(const ModuleWeights& weights, std::int64_t index,
                                       const HunyuanDiTConfig& config)
    : hidden_(config.hiddenSize),
      mlpHidden_(config.mlpHidden()),
      heads_(config.headsNum),
      headDim_(config.headDim()) {
    const std::string prefix = "single_blocks." + std::to_string(index) + ".";
    linear1_ = register_module(
        "linear1", weights.linear(prefix + "linear1", 3 * hidden_ + mlpHidden_, hidden_));
    linear2_ = register_module("linear2",
                               weights.linear(prefix + "linear2", hidden_, hidden_ + mlpHidden_));
    if (config.qkNorm) {
        qNorm_ = register_module("q_norm", std::make_shared<HunyuanRMSNorm>(weights.dense(
                                               prefix + "q_norm.weight", {headDim_}, at::kFloat)));
        kNorm_ = register_module("k_norm", std::make_shared<HunyuanRMSNorm>(weights.dense(
                                               prefix + "k_norm.weight", {headDim_}, at::kFloat)));
    }
    modulation_ = register_module("modulation", std::make_shared<HunyuanModulateDiT>(
                                                    weights, prefix + "modulation", hidden_, 3));
}

at::Tensor HunyuanSingleBlock::forward(const at::Tensor& x, std::int64_t textTokens,
                                       const HunyuanBlockInputs& in) const {
    const at::ScalarType dtype = in.computeDtype;
    const std::int64_t b = x.size(0);
    const std::int64_t l = x.size(1);
    const std::int64_t imgLen = l - textTokens;
    // (shift, scale, gate).
    const HunyuanModulation mod =
        modulation_->forward(in.vec, in.tokenReplaceVec, in.firstFrameTokens);
    const at::Tensor projected =
        linear1_->forward(mod.modulate(hunyuanLayerNorm(x), 0, 1).to(dtype));
    const at::Tensor qkv = projected.narrow(-1, 0, 3 * hidden_).view({b, l, 3, heads_, headDim_});
    const at::Tensor mlp = projected.narrow(-1, 3 * hidden_, mlpHidden_);
    at::Tensor q = qkv.select(2, 0);
    at::Tensor k = qkv.select(2, 1);
    const at::Tensor v = qkv.select(2, 2);
    if (qNorm_) {
        q = qNorm_->forward(q).to(v.scalar_type());
        k = kNorm_->forward(k).to(v.scalar_type());
    }
    // RoPE on the image tokens only.
    q = at::cat({applyHunyuanRope(q.narrow(1, 0, imgLen), in.freqsCos, in.freqsSin),
                 q.narrow(1, imgLen, textTokens)},
                1);
    k = at::cat({applyHunyuanRope(k.narrow(1, 0, imgLen), in.freqsCos, in.freqsSin),
                 k.narrow(1, imgLen, textTokens)},
                1);
    const at::Tensor attn = hunyuanJointAttention(q, k, v.contiguous(), in.segmentLengths);
    const at::Tensor output = linear2_->forward(at::cat({attn, at::gelu(mlp, "tanh")}, 2));
    return x + mod.gate(output.to(at::kFloat), 2);
}

}  // namespace storyreel::infer::hunyuan
