// ClipVisualBlock: one transformer block of Wan's CLIP image tower (wan/modules/clip.py
// AttentionBlock with SelfAttention): pre-norm (or post-norm) residual attention with a
// fused to_qkv projection viewed [B, S, 3, heads, head_dim] and scale 1/sqrt(head_dim), then
// an MLP Linear, GELU (or QuickGELU), Linear.
//
//   auto block = std::make_shared<ClipVisualBlock>(config, loader, "visual.transformer.0.");
//   x = block->forward(x);   // [B, S, dim]
//
// Thread-safety: forward() from one thread at a time (as any torch module).
#pragma once

#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/wan/clip_visual.h"
#include "core/infer/weights/weight_loader.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <memory>
#include <string>

namespace storyreel::infer::wan {

class ClipVisualBlock : public torch::nn::Module {
public:
    ClipVisualBlock(const ClipVisualConfig& config, const WeightLoader& loader,
                    const std::string& prefix);

    at::Tensor forward(const at::Tensor& x) const;

private:
    at::Tensor attention(const at::Tensor& x) const;
    at::Tensor mlp(const at::Tensor& x) const;

    std::int64_t numHeads_;
    double eps_;
    bool postNorm_;
    ClipActivation activation_;
    at::Tensor norm1Weight_, norm1Bias_, norm2Weight_, norm2Bias_;
    std::shared_ptr<QuantizedLinear> toQkv_, proj_, mlp0_, mlp2_;
};

}  // namespace storyreel::infer::wan
