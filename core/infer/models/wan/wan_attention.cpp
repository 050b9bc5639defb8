#include "core/infer/models/wan/wan_attention.h"

#include "core/infer/memory/attention.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>

namespace storyreel::infer::wan {
namespace {

std::shared_ptr<WanRMSNorm> loadNorm(torch::nn::Module& parent, const WanWeights& weights,
                                     const std::string& prefix, const std::string& name,
                                     const WanModelConfig& config) {
    if (!config.qkNorm) {
        return nullptr;  // nn.Identity in the reference
    }
    return parent.register_module(
        name,
        std::make_shared<WanRMSNorm>(
            weights.dense(prefix + "." + name + ".weight", {config.dim}, at::kFloat), config.eps));
}

at::Tensor normed(const std::shared_ptr<WanRMSNorm>& norm, const at::Tensor& x) {
    return norm ? norm->forward(x) : x;
}

}  // namespace

WanSelfAttention::WanSelfAttention(const WanWeights& weights, const std::string& prefix,
                                   const WanModelConfig& config)
    : heads_(config.numHeads), headDim_(config.headDim()) {
    const std::int64_t dim = config.dim;
    q_ = register_module("q", weights.linear(prefix + ".q", dim, dim));
    k_ = register_module("k", weights.linear(prefix + ".k", dim, dim));
    v_ = register_module("v", weights.linear(prefix + ".v", dim, dim));
    o_ = register_module("o", weights.linear(prefix + ".o", dim, dim));
    normQ_ = loadNorm(*this, weights, prefix, "norm_q", config);
    normK_ = loadNorm(*this, weights, prefix, "norm_k", config);
}

at::Tensor WanSelfAttention::forward(const at::Tensor& x, const at::Tensor& seqLens,
                                     const WanRope& rope, const WanRopeTables& ropeTables) const {
    const std::int64_t b = x.size(0);
    const std::int64_t s = x.size(1);
    const at::ScalarType dtype = x.scalar_type();
    const at::Tensor q = normed(normQ_, q_->forward(x)).view({b, s, heads_, headDim_});
    const at::Tensor k = normed(normK_, k_->forward(x)).view({b, s, heads_, headDim_});
    const at::Tensor v = v_->forward(x).view({b, s, heads_, headDim_});
    // rope_apply returns float32; flash_attention then casts q and k to v's dtype. q and k
    // side by side ([B, L, 2 * heads, D]) go through RoPE's element-wise kernels once
    // instead of twice (the same values: RoPE treats every head alike).
    AttentionOptions options;
    options.keyLengths = seqLens;
    const at::Tensor rotated = rope.apply(at::cat({q, k}, 2), ropeTables).to(dtype);
    const at::Tensor out =
        attention(rotated.narrow(2, 0, heads_), rotated.narrow(2, heads_, heads_), v, options);
    return o_->forward(out.reshape({b, s, heads_ * headDim_}));
}

WanCrossAttention::WanCrossAttention(const WanWeights& weights, const std::string& prefix,
                                     const WanModelConfig& config)
    : i2v_(config.isI2V()), heads_(config.numHeads), headDim_(config.headDim()) {
    const std::int64_t dim = config.dim;
    q_ = register_module("q", weights.linear(prefix + ".q", dim, dim));
    k_ = register_module("k", weights.linear(prefix + ".k", dim, dim));
    v_ = register_module("v", weights.linear(prefix + ".v", dim, dim));
    o_ = register_module("o", weights.linear(prefix + ".o", dim, dim));
    normQ_ = loadNorm(*this, weights, prefix, "norm_q", config);
    normK_ = loadNorm(*this, weights, prefix, "norm_k", config);
    if (i2v_) {
        kImg_ = register_module("k_img", weights.linear(prefix + ".k_img", dim, dim));
        vImg_ = register_module("v_img", weights.linear(prefix + ".v_img", dim, dim));
        normKImg_ = loadNorm(*this, weights, prefix, "norm_k_img", config);
    }
}

at::Tensor WanCrossAttention::heads(const at::Tensor& projected) const {
    return projected.view({projected.size(0), projected.size(1), heads_, headDim_});
}

at::Tensor WanCrossAttention::forward(const at::Tensor& x, const at::Tensor& context,
                                      const at::Tensor& contextLens) const {
    const std::int64_t b = x.size(0);
    const std::int64_t l = x.size(1);
    at::Tensor text = context;
    at::Tensor image;
    if (i2v_) {
        // WanI2VCrossAttention: image_context_length = Lc - 512, then context[:, :that] and
        // context[:, that:] with Python's slicing (a negative length counts from the end).
        const std::int64_t rows = context.size(1);
        const std::int64_t split = kT5ContextTokens <= rows
                                       ? rows - kT5ContextTokens
                                       : std::max<std::int64_t>(0, 2 * rows - kT5ContextTokens);
        if (split == 0 || split == rows) {
            throw std::invalid_argument(
                "WanCrossAttention: an i2v context needs image tokens in front of 512 text "
                "tokens; got " +
                std::to_string(rows) + " rows");
        }
        image = context.narrow(1, 0, split);
        text = context.narrow(1, split, rows - split);
    }
    const at::Tensor q = heads(normed(normQ_, q_->forward(x)));
    const at::Tensor k = heads(normed(normK_, k_->forward(text)));
    const at::Tensor v = heads(v_->forward(text));
    AttentionOptions options;
    options.keyLengths = contextLens;
    at::Tensor out = attention(q.to(v.scalar_type()), k.to(v.scalar_type()), v, options)
                         .reshape({b, l, heads_ * headDim_});
    if (i2v_) {
        const at::Tensor kImg = heads(normed(normKImg_, kImg_->forward(image)));
        const at::Tensor vImg = heads(vImg_->forward(image));
        const at::Tensor imageOut =
            attention(q.to(vImg.scalar_type()), kImg.to(vImg.scalar_type()), vImg);
        out = out + imageOut.reshape({b, l, heads_ * headDim_});
    }
    return o_->forward(out.to(x.scalar_type()));
}

}  // namespace storyreel::infer::wan
