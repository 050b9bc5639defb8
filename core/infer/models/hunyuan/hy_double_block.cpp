#include "core/infer/models/hunyuan/hy_double_block.h"

#include "core/infer/models/hunyuan/hy_rope.h"

#include <ATen/ATen.h>

namespace storyreel::infer::hunyuan {
namespace {

struct QKV {
    at::Tensor q, k, v;  // [B, L, H, D] in the compute dtype
};

// qkv Linear, "B L (K H D) -> K B L H D", RMS norms (then .to(v) as the reference).
QKV projectQkv(const HunyuanDoubleStream& stream, const at::Tensor& modulated, std::int64_t heads,
               std::int64_t headDim) {
    const std::int64_t b = modulated.size(0);
    const std::int64_t l = modulated.size(1);
    const at::Tensor qkv = stream.qkv->forward(modulated).view({b, l, 3, heads, headDim});
    QKV out{qkv.select(2, 0), qkv.select(2, 1), qkv.select(2, 2)};
    if (stream.qNorm) {
        out.q = stream.qNorm->forward(out.q).to(out.v.scalar_type());
        out.k = stream.kNorm->forward(out.k).to(out.v.scalar_type());
    }
    return out;
}

at::Tensor mlp(const HunyuanDoubleStream& stream, const at::Tensor& x) {
    return stream.fc2->forward(at::gelu(stream.fc1->forward(x), "tanh"));
}

}  // namespace

HunyuanDoubleStream::HunyuanDoubleStream(const ModuleWeights& weights, const std::string& prefix,
                                         const HunyuanDiTConfig& config) {
    const std::int64_t h = config.hiddenSize;
    mod = register_module("mod",
                          std::make_shared<HunyuanModulateDiT>(weights, prefix + "_mod", h, 6));
    qkv =
        register_module("attn_qkv", weights.linear(prefix + "_attn_qkv", 3 * h, h, config.qkvBias));
    if (config.qkNorm) {
        qNorm = register_module(
            "attn_q_norm", std::make_shared<HunyuanRMSNorm>(weights.dense(
                               prefix + "_attn_q_norm.weight", {config.headDim()}, at::kFloat)));
        kNorm = register_module(
            "attn_k_norm", std::make_shared<HunyuanRMSNorm>(weights.dense(
                               prefix + "_attn_k_norm.weight", {config.headDim()}, at::kFloat)));
    }
    proj =
        register_module("attn_proj", weights.linear(prefix + "_attn_proj", h, h, config.qkvBias));
    auto mlpModule = register_module("mlp", std::make_shared<torch::nn::Module>("mlp"));
    fc1 = mlpModule->register_module("fc1",
                                     weights.linear(prefix + "_mlp.fc1", config.mlpHidden(), h));
    fc2 = mlpModule->register_module("fc2",
                                     weights.linear(prefix + "_mlp.fc2", h, config.mlpHidden()));
}

HunyuanDoubleBlock::HunyuanDoubleBlock(const ModuleWeights& weights, std::int64_t index,
                                       const HunyuanDiTConfig& config)
    : heads_(config.headsNum), headDim_(config.headDim()) {
    const std::string prefix = "double_blocks." + std::to_string(index) + ".";
    img_ = register_module("img",
                           std::make_shared<HunyuanDoubleStream>(weights, prefix + "img", config));
    txt_ = register_module("txt",
                           std::make_shared<HunyuanDoubleStream>(weights, prefix + "txt", config));
}

std::pair<at::Tensor, at::Tensor> HunyuanDoubleBlock::forward(const at::Tensor& img,
                                                              const at::Tensor& txt,
                                                              const HunyuanBlockInputs& in) const {
    const at::ScalarType dtype = in.computeDtype;
    // (shift1, scale1, gate1, shift2, scale2, gate2); the text stream never uses the
    // token_replace set.
    const HunyuanModulation imgMod =
        img_->mod->forward(in.vec, in.tokenReplaceVec, in.firstFrameTokens);
    const HunyuanModulation txtMod = txt_->mod->forward(in.vec);

    QKV imgQkv =
        projectQkv(*img_, imgMod.modulate(hunyuanLayerNorm(img), 0, 1).to(dtype), heads_, headDim_);
    imgQkv.q = applyHunyuanRope(imgQkv.q, in.freqsCos, in.freqsSin);
    imgQkv.k = applyHunyuanRope(imgQkv.k, in.freqsCos, in.freqsSin);
    const QKV txtQkv =
        projectQkv(*txt_, txtMod.modulate(hunyuanLayerNorm(txt), 0, 1).to(dtype), heads_, headDim_);

    const at::Tensor attn =
        hunyuanJointAttention(at::cat({imgQkv.q, txtQkv.q}, 1), at::cat({imgQkv.k, txtQkv.k}, 1),
                              at::cat({imgQkv.v, txtQkv.v}, 1), in.segmentLengths);
    const std::int64_t imgLen = img.size(1);
    const at::Tensor imgAttn = attn.narrow(1, 0, imgLen);
    const at::Tensor txtAttn = attn.narrow(1, imgLen, attn.size(1) - imgLen);

    at::Tensor imgOut = img + imgMod.gate(img_->proj->forward(imgAttn).to(at::kFloat), 2);
    imgOut =
        imgOut +
        imgMod.gate(
            mlp(*img_, imgMod.modulate(hunyuanLayerNorm(imgOut), 3, 4).to(dtype)).to(at::kFloat),
            5);
    at::Tensor txtOut = txt + txtMod.gate(txt_->proj->forward(txtAttn).to(at::kFloat), 2);
    txtOut =
        txtOut +
        txtMod.gate(
            mlp(*txt_, txtMod.modulate(hunyuanLayerNorm(txtOut), 3, 4).to(dtype)).to(at::kFloat),
            5);
    return {imgOut, txtOut};
}

}  // namespace storyreel::infer::hunyuan
