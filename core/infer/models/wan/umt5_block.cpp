#include "core/infer/models/wan/umt5_block.h"

#include "core/infer/models/wan/encoder_weights.h"

#include <ATen/ATen.h>
#include <c10/util/BFloat16.h>
#include <c10/util/Half.h>

#include <cmath>
#include <limits>

namespace storyreel::infer::wan {
namespace {

constexpr double kT5NormEps = 1e-6;
constexpr std::int64_t kT5MaxDistance = 128;

// torch.finfo(dtype).min: what T5Attention writes into the bias of padded keys.
double lowestOf(at::ScalarType dtype) {
    switch (dtype) {
        case at::kHalf:
            return static_cast<double>(std::numeric_limits<c10::Half>::lowest());
        case at::kBFloat16:
            return static_cast<double>(std::numeric_limits<c10::BFloat16>::lowest());
        case at::kDouble:
            return std::numeric_limits<double>::lowest();
        default:
            return static_cast<double>(std::numeric_limits<float>::lowest());
    }
}

// t5.py fp16_clamp: float16 activations that overflowed are pulled back into range.
at::Tensor fp16Clamp(const at::Tensor& x) {
    if (x.scalar_type() == at::kHalf && at::isinf(x).any().item<bool>()) {
        const double limit = static_cast<double>(std::numeric_limits<c10::Half>::max()) - 1000.0;
        return at::clamp(x, -limit, limit);
    }
    return x;
}

}  // namespace

at::Tensor t5RelativePositionBuckets(std::int64_t lq, std::int64_t lk, std::int64_t numBuckets,
                                     bool bidirectional, std::int64_t maxDistance,
                                     const c10::Device& device) {
    const auto longs = at::TensorOptions().dtype(at::kLong).device(device);
    // relative position = key index - query index: [lq, lk]
    at::Tensor relative = at::arange(lk, longs).unsqueeze(0) - at::arange(lq, longs).unsqueeze(1);
    std::int64_t buckets = numBuckets;
    at::Tensor result;
    if (bidirectional) {
        buckets = numBuckets / 2;
        result = relative.gt(0).to(at::kLong) * buckets;
        relative = relative.abs();
    } else {
        result = at::zeros_like(relative);
        relative = -at::minimum(relative, at::zeros_like(relative));
    }
    // The same float32 operations in the same order as the reference, so that offsets on a
    // bucket boundary round the same way.
    const std::int64_t maxExact = buckets / 2;
    at::Tensor large = (at::log(relative.to(at::kFloat) / maxExact) /
                        std::log(static_cast<double>(maxDistance) / static_cast<double>(maxExact)) *
                        (buckets - maxExact))
                           .to(at::kLong) +
                       maxExact;
    large = at::minimum(large, at::full_like(large, buckets - 1));
    return result + at::where(relative.lt(maxExact), relative, large);
}

at::Tensor t5PositionBias(const at::Tensor& table, std::int64_t lq, std::int64_t lk) {
    const at::Tensor buckets =
        t5RelativePositionBuckets(lq, lk, table.size(0), true, kT5MaxDistance, table.device());
    // [lq, lk, heads] -> [1, heads, lq, lk]
    return at::embedding(table, buckets).permute({2, 0, 1}).unsqueeze(0).contiguous();
}

at::Tensor t5LayerNorm(const at::Tensor& x, const at::Tensor& weight) {
    at::Tensor normed =
        x * at::rsqrt(x.to(at::kFloat).pow(2).mean({-1}, /*keepdim=*/true) + kT5NormEps);
    if (weight.scalar_type() == at::kHalf || weight.scalar_type() == at::kBFloat16) {
        normed = normed.to(weight.scalar_type());
    }
    return weight * normed;
}

UMT5Block::UMT5Block(const UMT5EncoderConfig& config, const WeightLoader& loader,
                     const std::string& prefix, bool ownPositions)
    : numHeads_(config.numHeads) {
    const std::int64_t dim = config.dim;
    norm1_ = register_buffer("norm1", loadChecked(loader, prefix + "norm1.weight", {dim}));
    norm2_ = register_buffer("norm2", loadChecked(loader, prefix + "norm2.weight", {dim}));
    if (ownPositions) {
        positionTable_ = register_buffer(
            "pos_embedding", loadChecked(loader, prefix + "pos_embedding.embedding.weight",
                                         {config.numBuckets, config.numHeads}));
    }
    const std::string attn = prefix + "attn.";
    q_ =
        register_module("q", loadLinear(loader, attn + "q", config.dimAttn, dim, LinearBias::None));
    k_ =
        register_module("k", loadLinear(loader, attn + "k", config.dimAttn, dim, LinearBias::None));
    v_ =
        register_module("v", loadLinear(loader, attn + "v", config.dimAttn, dim, LinearBias::None));
    o_ =
        register_module("o", loadLinear(loader, attn + "o", dim, config.dimAttn, LinearBias::None));
    const std::string ffn = prefix + "ffn.";
    gate_ = register_module(
        "gate", loadLinear(loader, ffn + "gate.0", config.dimFfn, dim, LinearBias::None));
    fc1_ = register_module("fc1",
                           loadLinear(loader, ffn + "fc1", config.dimFfn, dim, LinearBias::None));
    fc2_ = register_module("fc2",
                           loadLinear(loader, ffn + "fc2", dim, config.dimFfn, LinearBias::None));
}

at::Tensor UMT5Block::forward(const at::Tensor& x, const at::Tensor& keyMask,
                              const at::Tensor& sharedBias) const {
    const at::Tensor bias = positionTable_.defined()
                                ? t5PositionBias(positionTable_, x.size(1), x.size(1))
                                : sharedBias;
    at::Tensor out = fp16Clamp(x + attention(t5LayerNorm(x, norm1_), keyMask, bias));
    return fp16Clamp(out + feedForward(t5LayerNorm(out, norm2_)));
}

// T5Attention.forward for self-attention: scores q k^T (T5 does not scale them) plus the
// position bias, finfo.min on padded keys, softmax in float32.
at::Tensor UMT5Block::attention(const at::Tensor& x, const at::Tensor& keyMask,
                                const at::Tensor& positionBias) const {
    const std::int64_t batch = x.size(0);
    const std::int64_t length = x.size(1);
    // [B, L, dim_attn] -> [B, heads, L, head_dim]
    const auto heads = [&](const at::Tensor& t) {
        return t.view({batch, length, numHeads_, -1}).transpose(1, 2);
    };
    const at::Tensor q = heads(q_->forward(x));
    const at::Tensor k = heads(k_->forward(x));
    const at::Tensor v = heads(v_->forward(x));

    at::Tensor bias = at::zeros({batch, numHeads_, length, length}, x.options());
    if (positionBias.defined()) {
        bias += positionBias.to(x.scalar_type());
    }
    if (keyMask.defined()) {
        bias.masked_fill_(keyMask.logical_not().view({batch, 1, 1, length}),
                          lowestOf(x.scalar_type()));
    }
    const at::Tensor scores = at::matmul(q, k.transpose(-1, -2)) + bias;  // [B, heads, L, L]
    const at::Tensor weights = at::softmax(scores.to(at::kFloat), -1).to(scores.scalar_type());
    // [B, heads, L, head_dim] -> [B, L, dim_attn]
    const at::Tensor out = at::matmul(weights, v).transpose(1, 2).reshape({batch, length, -1});
    return o_->forward(out);
}

// T5FeedForward: fc2(fc1(x) * GELU_tanh(gate.0(x))).
at::Tensor UMT5Block::feedForward(const at::Tensor& x) const {
    return fc2_->forward(fc1_->forward(x) * at::gelu(gate_->forward(x), "tanh"));
}

}  // namespace storyreel::infer::wan
