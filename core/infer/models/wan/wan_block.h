// WanAttentionBlock (wan/modules/model.py): self-attention, cross-attention and feed-forward,
// with the 6-way modulation from the timestep. A torch module holding its parameters under
// the reference names (modulation, self_attn.*, norm3.*, cross_attn.*, ffn.0.*, ffn.2.*),
// so BlockSwapRunner can move it as one unit.
//
//   auto block = std::make_shared<WanBlock>(weights, 0, config);
//   x = block->forward(x, inputs);   // x: [B, L, dim] float32 residual stream
//
// Thread-safety: forward() from one thread at a time per block.
#pragma once

#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/wan/wan_attention.h"
#include "core/infer/models/wan/wan_config.h"
#include "core/infer/models/wan/wan_norm.h"
#include "core/infer/models/wan/wan_rope.h"
#include "core/infer/models/wan/wan_weights.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>

namespace storyreel::infer::wan {

// What every block of one forward pass shares.
struct WanBlockInputs {
    at::Tensor e0;       // [B or 1, 6, dim] float32: time_projection(e), unflattened
    at::Tensor seqLens;  // [B] int64: real tokens per item
    const WanRope* rope = nullptr;
    const WanRopeTables* ropeTables = nullptr;  // for each item's (F, H, W) grid
    at::Tensor context;      // [B, Lc, dim] in the compute dtype (i2v: image tokens first)
    at::Tensor contextLens;  // optional [B]; undefined in WanModel (all rows attended)
    at::ScalarType computeDtype = at::kFloat;  // what the linear layers and attention run in
};

class WanBlock : public torch::nn::Module {
public:
    // Loads blocks.`index`.* from `weights`.
    WanBlock(const WanWeights& weights, std::int64_t index, const WanModelConfig& config);

    // x: [B, L, dim] float32 (the residual stream stays float32, as the reference's
    // float32 modulation makes it). Returns the stream after this block.
    at::Tensor forward(const at::Tensor& x, const WanBlockInputs& in) const;

private:
    std::int64_t dim_;
    at::Tensor modulation_;                                // [1, 6, dim] float32
    std::shared_ptr<WanLayerNorm> norm1_, norm2_, norm3_;  // norm3 null without cross_attn_norm
    std::shared_ptr<WanSelfAttention> selfAttn_;
    std::shared_ptr<WanCrossAttention> crossAttn_;
    std::shared_ptr<QuantizedLinear> ffn0_, ffn2_;
};

}  // namespace storyreel::infer::wan
