// UMT5Block: one layer of the umT5 encoder (wan/modules/t5.py T5SelfAttention) and the
// pieces T5 builds it from: the RMS "layer norm" without mean or bias (T5LayerNorm), the
// bidirectional relative position buckets (T5RelativeEmbedding), attention WITHOUT the
// 1/sqrt(d) scaling and with padded keys masked (T5Attention), and the gated-GELU(tanh)
// feed-forward fc2(fc1(x) * gelu(gate.0(x))) (T5FeedForward).
//
//   auto block = std::make_shared<UMT5Block>(config, loader, "blocks.0.", HasOwnPositions);
//   x = block->forward(x, keyMask, sharedBias);   // x: [B, L, dim]
//
// Thread-safety: forward() from one thread at a time (as any torch module).
#pragma once

#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/wan/umt5_encoder.h"
#include "core/infer/weights/weight_loader.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>

namespace storyreel::infer::wan {

// T5RelativeEmbedding._relative_position_bucket of (key position - query position) as
// [lq, lk] int64 on `device`. Bidirectional: half the buckets per direction, keys after
// the query in the upper half; offsets below half of that are exact, larger ones
// log-spaced up to maxDistance and clamped to the last bucket of the half.
at::Tensor t5RelativePositionBuckets(std::int64_t lq, std::int64_t lk, std::int64_t numBuckets,
                                     bool bidirectional, std::int64_t maxDistance,
                                     const c10::Device& device);

// T5RelativeEmbedding.forward: the [1, heads, lq, lk] attention bias from a [buckets, heads]
// table (bidirectional, max distance 128 as the encoder builds it).
at::Tensor t5PositionBias(const at::Tensor& table, std::int64_t lq, std::int64_t lk);

// T5LayerNorm: x * rsqrt(mean(x^2) + 1e-6) in float32, back to the weight's dtype when that
// is half or bfloat16, times the weight.
at::Tensor t5LayerNorm(const at::Tensor& x, const at::Tensor& weight);

class UMT5Block : public torch::nn::Module {
public:
    // prefix: "blocks.3."; ownPositions: the block holds pos_embedding.embedding.weight
    // (umT5), otherwise forward() receives the shared bias.
    UMT5Block(const UMT5EncoderConfig& config, const WeightLoader& loader,
              const std::string& prefix, bool ownPositions);

    // x: [B, L, dim]; keyMask: [B, L] bool, true for keys that count; sharedBias: the
    // encoder's [1, heads, L, L] bias when positions are shared, else undefined.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& keyMask,
                       const at::Tensor& sharedBias) const;

private:
    at::Tensor attention(const at::Tensor& x, const at::Tensor& keyMask,
                         const at::Tensor& positionBias) const;
    at::Tensor feedForward(const at::Tensor& x) const;

    std::int64_t numHeads_;
    at::Tensor norm1_;          // blocks.i.norm1.weight [dim]
    at::Tensor norm2_;          // blocks.i.norm2.weight [dim]
    at::Tensor positionTable_;  // blocks.i.pos_embedding.embedding.weight [buckets, heads]
    std::shared_ptr<QuantizedLinear> q_, k_, v_, o_;     // blocks.i.attn.{q,k,v,o}
    std::shared_ptr<QuantizedLinear> gate_, fc1_, fc2_;  // blocks.i.ffn.{gate.0,fc1,fc2}
};

}  // namespace storyreel::infer::wan
