#include "core/infer/models/wan/wan_embeddings.h"

#include "core/infer/models/wan/wan_rope.h"

#include <ATen/ATen.h>

namespace storyreel::infer::wan {

WanPatchEmbedding::WanPatchEmbedding(const WanWeights& weights, const WanModelConfig& config)
    : patch_(config.patchSize), inDim_(config.inDim) {
    weight_ = register_parameter(
        "weight",
        weights.dense("patch_embedding.weight",
                      {config.dim, config.inDim, patch_[0], patch_[1], patch_[2]}),
        false);
    bias_ = register_parameter("bias", weights.dense("patch_embedding.bias", {config.dim}), false);
}

at::Tensor WanPatchEmbedding::forward(const at::Tensor& video, at::ScalarType dtype,
                                      std::array<std::int64_t, 3>& grid) const {
    if (video.dim() != 4 || video.size(0) != inDim_) {
        throw std::invalid_argument("WanPatchEmbedding: the input must be [" +
                                    std::to_string(inDim_) + ", F, H, W]");
    }
    for (int axis = 0; axis < 3; ++axis) {
        grid[axis] = video.size(axis + 1) / patch_[axis];
        if (grid[axis] == 0) {
            throw std::invalid_argument("WanPatchEmbedding: the input is smaller than a patch");
        }
    }
    const auto [pt, ph, pw] = patch_;
    const auto [f, h, w] = grid;
    // [C, F, H, W] cropped to whole patches -> [f, h, w, C, pt, ph, pw] -> [f*h*w, C*pt*ph*pw]:
    // the order of the Conv3d weight's [dim, C, pt, ph, pw].
    const at::Tensor patches = video.narrow(1, 0, f * pt)
                                   .narrow(2, 0, h * ph)
                                   .narrow(3, 0, w * pw)
                                   .reshape({inDim_, f, pt, h, ph, w, pw})
                                   .permute({1, 3, 5, 0, 2, 4, 6})
                                   .reshape({f * h * w, inDim_ * pt * ph * pw})
                                   .to(dtype);
    const at::Tensor weight = weight_.to(video.device(), dtype).reshape({weight_.size(0), -1});
    return at::linear(patches, weight, bias_.to(video.device(), dtype));
}

WanTextEmbedding::WanTextEmbedding(const WanWeights& weights, const WanModelConfig& config) {
    linear0_ = register_module("0", weights.linear("text_embedding.0", config.dim, config.textDim));
    linear2_ = register_module("2", weights.linear("text_embedding.2", config.dim, config.dim));
}

at::Tensor WanTextEmbedding::forward(const at::Tensor& context) const {
    return linear2_->forward(at::gelu(linear0_->forward(context), "tanh"));
}

WanTimeEmbedding::WanTimeEmbedding(const WanWeights& weights, const WanModelConfig& config)
    : freqDim_(config.freqDim) {
    linear0_ = register_module("0", weights.linear("time_embedding.0", config.dim, config.freqDim));
    linear2_ = register_module("2", weights.linear("time_embedding.2", config.dim, config.dim));
}

at::Tensor WanTimeEmbedding::forward(const at::Tensor& t, const c10::Device& device) const {
    const at::Tensor sinusoid = sinusoidalEmbedding1d(freqDim_, t).to(device, at::kFloat);
    return linear2_->forward(at::silu(linear0_->forward(sinusoid)));
}

WanTimeProjection::WanTimeProjection(const WanWeights& weights, const WanModelConfig& config)
    : dim_(config.dim) {
    linear1_ =
        register_module("1", weights.linear("time_projection.1", 6 * config.dim, config.dim));
}

at::Tensor WanTimeProjection::forward(const at::Tensor& e) const {
    return linear1_->forward(at::silu(e)).view({e.size(0), 6, dim_});
}

WanImageEmbedding::WanImageEmbedding(const WanWeights& weights, const WanModelConfig& config) {
    // torch.nn.LayerNorm's default eps.
    constexpr double kEps = 1e-5;
    const std::int64_t dim = config.dim;
    auto proj = register_module("proj", std::make_shared<torch::nn::Module>("proj"));
    norm0_ = proj->register_module(
        "0", std::make_shared<WanLayerNorm>(
                 weights.dense("img_emb.proj.0.weight", {kClipDim}, at::kFloat),
                 weights.dense("img_emb.proj.0.bias", {kClipDim}, at::kFloat), kEps));
    linear1_ = proj->register_module("1", weights.linear("img_emb.proj.1", kClipDim, kClipDim));
    linear3_ = proj->register_module("3", weights.linear("img_emb.proj.3", dim, kClipDim));
    norm4_ = proj->register_module(
        "4", std::make_shared<WanLayerNorm>(
                 weights.dense("img_emb.proj.4.weight", {dim}, at::kFloat),
                 weights.dense("img_emb.proj.4.bias", {dim}, at::kFloat), kEps));
}

at::Tensor WanImageEmbedding::forward(const at::Tensor& clipFea, at::ScalarType dtype) const {
    if (clipFea.dim() != 3 || clipFea.size(2) != kClipDim) {
        throw std::invalid_argument("WanImageEmbedding: CLIP features must be [B, N, 1280]");
    }
    const at::Tensor normed = norm0_->forward(clipFea).to(dtype);
    const at::Tensor hidden = at::gelu(linear1_->forward(normed));
    return norm4_->forward(linear3_->forward(hidden)).to(dtype);
}

}  // namespace storyreel::infer::wan
