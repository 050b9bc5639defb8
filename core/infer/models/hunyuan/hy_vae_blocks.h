// The HunyuanVideo VAE's blocks (hyvideo/vae/unet_causal_3d_blocks.py): the residual block
// (ResnetBlockCausal3D without time embedding), the mid-block attention (diffusers' Attention
// with one head, GroupNorm and a residual, over all positions with a block-causal mask) and
// the mid block (resnet, attention, resnet).
//
//   VAEMidBlock mid(parameters, "decoder.mid_block", 512, 32, /*attention=*/true);
//   at::Tensor y = mid.forward(x);                           // x: [B, 512, T, H, W]
//
// Thread-safety: immutable after loading; forward() from any thread.
#pragma once

#include "core/infer/models/hunyuan/hy_vae_layers.h"
#include "core/infer/models/hunyuan/hy_vae_parameters.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <string>

namespace storyreel::infer::hunyuan {

// norm1 -> SiLU -> conv1 -> norm2 -> SiLU -> conv2, plus the input (through conv_shortcut, a
// 1x1x1 causal conv, when the channel count changes).
class VAEResnetBlock {
public:
    VAEResnetBlock(HunyuanVAEParameters& parameters, const std::string& prefix, std::int64_t in,
                   std::int64_t out, std::int64_t groups);

    at::Tensor forward(const at::Tensor& x) const;

private:
    VAEGroupNorm norm1_;
    VAECausalConv3d conv1_;
    VAEGroupNorm norm2_;
    VAECausalConv3d conv2_;
    std::optional<VAECausalConv3d> shortcut_;
};

// GroupNorm, to_q / to_k / to_v, single-head attention (scale 1/sqrt(C), softmax in float32)
// in which a position sees every position of its own frame and of the frames before it
// (prepare_causal_attention_mask), to_out.0, plus the input.
class VAEMidAttention {
public:
    VAEMidAttention(HunyuanVAEParameters& parameters, const std::string& prefix,
                    std::int64_t channels, std::int64_t groups);

    // x: [B, C, T, H, W].
    at::Tensor forward(const at::Tensor& x) const;

private:
    VAEGroupNorm norm_;
    at::Tensor qWeight_, qBias_, kWeight_, kBias_, vWeight_, vBias_, outWeight_, outBias_;
};

// UNetMidBlockCausal3D with one layer: resnets.0, attentions.0 (when added), resnets.1.
class VAEMidBlock {
public:
    VAEMidBlock(HunyuanVAEParameters& parameters, const std::string& prefix, std::int64_t channels,
                std::int64_t groups, bool attention);

    at::Tensor forward(const at::Tensor& x) const;

private:
    VAEResnetBlock first_;
    std::optional<VAEMidAttention> attention_;
    VAEResnetBlock second_;
};

}  // namespace storyreel::infer::hunyuan
