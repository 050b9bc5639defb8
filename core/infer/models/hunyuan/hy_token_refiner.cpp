#include "core/infer/models/hunyuan/hy_token_refiner.h"

#include "core/infer/models/hunyuan/hy_attention.h"

#include <ATen/ATen.h>

#include <stdexcept>

namespace storyreel::infer::hunyuan {
namespace {

constexpr double kNormEps = 1e-6;

std::string join(const std::string& prefix, const std::string& name) {
    return prefix.empty() ? name : prefix + "." + name;
}

}  // namespace

HunyuanTokenRefinerBlock::HunyuanTokenRefinerBlock(const ModuleWeights& weights,
                                                   const std::string& prefix, std::int64_t hidden,
                                                   std::int64_t heads, double mlpWidthRatio)
    : hidden_(hidden), heads_(heads) {
    const auto mlp = static_cast<std::int64_t>(static_cast<double>(hidden) * mlpWidthRatio);
    const auto norm = [&](const std::string& name, at::Tensor& weight, at::Tensor& bias) {
        auto module = register_module(name, std::make_shared<torch::nn::Module>(name));
        weight = module->register_parameter(
            "weight", weights.dense(prefix + "." + name + ".weight", {hidden}, at::kFloat), false);
        bias = module->register_parameter(
            "bias", weights.dense(prefix + "." + name + ".bias", {hidden}, at::kFloat), false);
    };
    norm("norm1", norm1Weight_, norm1Bias_);
    qkv_ = register_module("self_attn_qkv",
                           weights.linear(prefix + ".self_attn_qkv", 3 * hidden, hidden));
    proj_ = register_module("self_attn_proj",
                            weights.linear(prefix + ".self_attn_proj", hidden, hidden));
    norm("norm2", norm2Weight_, norm2Bias_);
    auto mlpModule = register_module("mlp", std::make_shared<torch::nn::Module>("mlp"));
    fc1_ = mlpModule->register_module("fc1", weights.linear(prefix + ".mlp.fc1", mlp, hidden));
    fc2_ = mlpModule->register_module("fc2", weights.linear(prefix + ".mlp.fc2", hidden, mlp));
    auto adaLN = register_module("adaLN_modulation", std::make_shared<torch::nn::Module>("adaLN"));
    modulation_ = adaLN->register_module(
        "1", weights.linear(prefix + ".adaLN_modulation.1", 2 * hidden, hidden));
}

at::Tensor HunyuanTokenRefinerBlock::forward(const at::Tensor& x, const at::Tensor& c,
                                             const at::Tensor& allowed,
                                             at::ScalarType computeDtype) const {
    // (gate_msa, gate_mlp), each [B, 1, hidden].
    const std::vector<at::Tensor> gates =
        modulation_->forward(at::silu(c)).to(at::kFloat).unsqueeze(1).chunk(2, -1);
    const std::int64_t b = x.size(0);
    const std::int64_t l = x.size(1);
    const auto layerNorm = [&](const at::Tensor& input, const at::Tensor& weight,
                               const at::Tensor& bias) {
        return at::layer_norm(input, {hidden_}, weight.to(input.device()), bias.to(input.device()),
                              kNormEps);
    };
    const at::Tensor normed = layerNorm(x, norm1Weight_, norm1Bias_).to(computeDtype);
    // "B L (K H D) -> K B L H D"; no q/k norm in the refiner (qk_norm=False).
    const at::Tensor qkv = qkv_->forward(normed).view({b, l, 3, heads_, hidden_ / heads_});
    at::Tensor attn;
    const at::Tensor q = qkv.select(2, 0);
    const at::Tensor k = qkv.select(2, 1);
    const at::Tensor v = qkv.select(2, 2);
    if (allowed.defined()) {
        attn = hunyuanMaskedAttention(q, k, v, allowed);
    } else {
        attn = hunyuanMaskedAttention(q, k, v, at::ones({b, 1, l, l}, at::kBool));
    }
    at::Tensor out = x + proj_->forward(attn).to(at::kFloat) * gates[0];
    const at::Tensor mlpIn = layerNorm(out, norm2Weight_, norm2Bias_).to(computeDtype);
    return out + fc2_->forward(at::silu(fc1_->forward(mlpIn))).to(at::kFloat) * gates[1];
}

HunyuanTokenRefiner::HunyuanTokenRefiner(const ModuleWeights& weights, const std::string& prefix,
                                         std::int64_t inChannels, std::int64_t hidden,
                                         std::int64_t heads, std::int64_t depth,
                                         double mlpWidthRatio)
    : inChannels_(inChannels) {
    inputEmbedder_ = register_module(
        "input_embedder", weights.linear(join(prefix, "input_embedder"), hidden, inChannels));
    tEmbedder_ = register_module("t_embedder", std::make_shared<HunyuanTimestepEmbedder>(
                                                   weights, join(prefix, "t_embedder"), hidden));
    cEmbedder_ = register_module("c_embedder", std::make_shared<HunyuanTwoLayerEmbedder>(
                                                   weights, join(prefix, "c_embedder"), "linear_1",
                                                   "linear_2", inChannels, hidden));
    auto refiner =
        register_module("individual_token_refiner", std::make_shared<torch::nn::Module>("refiner"));
    auto blocks = refiner->register_module("blocks", std::make_shared<torch::nn::Module>("blocks"));
    for (std::int64_t i = 0; i < depth; ++i) {
        blocks_.push_back(blocks->register_module(
            std::to_string(i),
            std::make_shared<HunyuanTokenRefinerBlock>(
                weights, join(prefix, "individual_token_refiner.blocks." + std::to_string(i)),
                hidden, heads, mlpWidthRatio)));
    }
}

at::Tensor HunyuanTokenRefiner::forward(const at::Tensor& x, const at::Tensor& t,
                                        const at::Tensor& mask, at::ScalarType computeDtype) const {
    if (x.dim() != 3 || x.size(2) != inChannels_ || x.size(1) == 0) {
        throw std::invalid_argument("HunyuanTokenRefiner: the text states must be [B, L > 0, " +
                                    std::to_string(inChannels_) + "]");
    }
    const std::int64_t b = x.size(0);
    const std::int64_t l = x.size(1);
    if (t.numel() != b) {
        throw std::invalid_argument("HunyuanTokenRefiner: one timestep per batch row");
    }
    const c10::Device device = inputEmbedder_->bias().device();
    const at::Tensor xf = x.to(device, at::kFloat);
    at::Tensor pooled;
    at::Tensor allowed;
    if (mask.defined()) {
        if (mask.dim() != 2 || mask.size(0) != b || mask.size(1) != l) {
            throw std::invalid_argument("HunyuanTokenRefiner: the mask must be [B, L]");
        }
        const at::Tensor valid = mask.to(device) != 0;  // [B, L]
        const at::Tensor weights = valid.to(at::kFloat).unsqueeze(-1);
        const at::Tensor counts = weights.sum(1);  // [B, 1]
        if (counts.min().item<float>() == 0.0f) {
            throw std::invalid_argument(
                "HunyuanTokenRefiner: a mask row has no valid token (empty prompt)");
        }
        pooled = (xf * weights).sum(1) / counts;
        // mask_i & mask_j, and key 0 always allowed so that padded rows stay finite.
        allowed = (valid.unsqueeze(1) & valid.unsqueeze(2)).unsqueeze(1).clone();
        allowed.select(3, 0).fill_(true);
    } else {
        pooled = xf.mean(1);
    }
    const at::Tensor c = tEmbedder_->forward(t) + cEmbedder_->forward(pooled);
    at::Tensor out = inputEmbedder_->forward(xf.to(computeDtype)).to(at::kFloat);
    for (const auto& block : blocks_) {
        out = block->forward(out, c, allowed, computeDtype);
    }
    return out;
}

}  // namespace storyreel::infer::hunyuan
