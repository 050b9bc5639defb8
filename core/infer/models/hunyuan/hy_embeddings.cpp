#include "core/infer/models/hunyuan/hy_embeddings.h"

#include <ATen/ATen.h>

#include <cmath>
#include <stdexcept>

namespace storyreel::infer::hunyuan {

at::Tensor hunyuanTimestepSinusoid(const at::Tensor& t, std::int64_t dim) {
    constexpr double kMaxPeriod = 10000.0;
    const std::int64_t half = dim / 2;
    const auto options = at::TensorOptions().dtype(at::kFloat).device(t.device());
    const at::Tensor freqs =
        at::exp(-std::log(kMaxPeriod) * at::arange(0, half, options) / static_cast<double>(half));
    const at::Tensor args = t.reshape({-1, 1}).to(at::kFloat) * freqs.unsqueeze(0);
    at::Tensor embedding = at::cat({at::cos(args), at::sin(args)}, -1);
    if (dim % 2 != 0) {
        embedding = at::cat({embedding, at::zeros_like(embedding.narrow(1, 0, 1))}, -1);
    }
    return embedding;
}

HunyuanTimestepEmbedder::HunyuanTimestepEmbedder(const ModuleWeights& weights,
                                                 const std::string& prefix, std::int64_t hidden) {
    auto mlp = register_module("mlp", std::make_shared<torch::nn::Module>("mlp"));
    linear0_ = mlp->register_module("0", weights.linear(prefix + ".mlp.0", hidden, kFrequencyDim));
    linear2_ = mlp->register_module("2", weights.linear(prefix + ".mlp.2", hidden, hidden));
}

at::Tensor HunyuanTimestepEmbedder::forward(const at::Tensor& t) const {
    const c10::Device device = linear2_->bias().defined() ? linear2_->bias().device() : t.device();
    const at::Tensor sinusoid = hunyuanTimestepSinusoid(t.to(device), kFrequencyDim);
    return linear2_->forward(at::silu(linear0_->forward(sinusoid)));
}

HunyuanTwoLayerEmbedder::HunyuanTwoLayerEmbedder(const ModuleWeights& weights,
                                                 const std::string& prefix,
                                                 const std::string& first,
                                                 const std::string& second, std::int64_t inDim,
                                                 std::int64_t hidden) {
    first_ = register_module(first, weights.linear(prefix + "." + first, hidden, inDim));
    second_ = register_module(second, weights.linear(prefix + "." + second, hidden, hidden));
}

at::Tensor HunyuanTwoLayerEmbedder::forward(const at::Tensor& x) const {
    return second_->forward(at::silu(first_->forward(x)));
}

HunyuanPatchEmbed::HunyuanPatchEmbed(const ModuleWeights& weights, const HunyuanDiTConfig& config)
    : patch_(config.patchSize), inChannels_(config.inChannels) {
    auto proj = register_module("proj", std::make_shared<torch::nn::Module>("proj"));
    weight_ = proj->register_parameter(
        "weight",
        weights.dense("img_in.proj.weight",
                      {config.hiddenSize, config.inChannels, patch_[0], patch_[1], patch_[2]}),
        false);
    bias_ = proj->register_parameter("bias", weights.dense("img_in.proj.bias", {config.hiddenSize}),
                                     false);
}

at::Tensor HunyuanPatchEmbed::forward(const at::Tensor& x, at::ScalarType dtype) const {
    if (x.dim() != 5 || x.size(1) != inChannels_) {
        throw std::invalid_argument("HunyuanPatchEmbed: the input must be [B, " +
                                    std::to_string(inChannels_) + ", T, H, W]");
    }
    std::array<std::int64_t, 3> grid{};
    for (int axis = 0; axis < 3; ++axis) {
        grid[axis] = x.size(axis + 2) / patch_[axis];
        if (grid[axis] == 0) {
            throw std::invalid_argument("HunyuanPatchEmbed: the input is smaller than a patch");
        }
    }
    const auto [pt, ph, pw] = patch_;
    const auto [t, h, w] = grid;
    const std::int64_t b = x.size(0);
    const std::int64_t c = inChannels_;
    // [B, C, T, H, W] cropped to whole patches -> [B, t, h, w, C, pt, ph, pw]: the order of
    // the Conv3d weight's [hidden, C, pt, ph, pw], so the convolution is one matrix product.
    const at::Tensor patches = x.narrow(2, 0, t * pt)
                                   .narrow(3, 0, h * ph)
                                   .narrow(4, 0, w * pw)
                                   .reshape({b, c, t, pt, h, ph, w, pw})
                                   .permute({0, 2, 4, 6, 1, 3, 5, 7})
                                   .reshape({b, t * h * w, c * pt * ph * pw})
                                   .to(dtype);
    const at::Tensor weight = weight_.to(x.device(), dtype).reshape({weight_.size(0), -1});
    return at::linear(patches, weight, bias_.to(x.device(), dtype));
}

}  // namespace storyreel::infer::hunyuan
