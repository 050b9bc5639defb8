// The HunyuanVideo VAE's basic layers (hyvideo/vae/unet_causal_3d_blocks.py): CausalConv3d
// with its replicate padding, GroupNorm (+ SiLU) as the blocks use it, and UpsampleCausal3D.
// A DownsampleCausal3D is a strided VAECausalConv3d.
//
//   VAECausalConv3d conv(parameters, "encoder.conv_in", 3, 128, 3);   // takes conv_in.conv.*
//   at::Tensor y = conv.forward(norm.forward(x, /*silu=*/true));       // x: [B, C, T, H, W]
//
// Thread-safety: immutable after loading; forward() from any thread.
#pragma once

#include "core/infer/models/hunyuan/hy_vae_parameters.h"

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>
#include <string>

namespace storyreel::infer::hunyuan {

using Triple = std::array<std::int64_t, 3>;  // (t, h, w)

// nn.Conv3d (kernel k, no padding) after F.pad(x, (k//2, k//2, k//2, k//2, k-1, 0),
// mode='replicate'): width and height padded with copies of the edge on both sides, time with
// k-1 copies of the first frame in front only. Takes PREFIX.conv.weight [out, in, k, k, k]
// and PREFIX.conv.bias [out].
class VAECausalConv3d {
public:
    VAECausalConv3d() = default;
    VAECausalConv3d(HunyuanVAEParameters& parameters, const std::string& prefix, std::int64_t in,
                    std::int64_t out, std::int64_t kernel, Triple stride = {1, 1, 1});

    // x: [B, in, T, H, W] in the compute dtype -> [B, out, T', H', W'].
    at::Tensor forward(const at::Tensor& x) const;

private:
    at::Tensor weight_;
    at::Tensor bias_;
    std::int64_t kernel_ = 1;
    Triple stride_{1, 1, 1};
};

// nn.GroupNorm(groups, channels, eps 1e-6, affine) computed in float32 (as autocast runs it),
// optionally followed by SiLU, returned in the input's dtype. Takes PREFIX.weight and
// PREFIX.bias [channels].
class VAEGroupNorm {
public:
    VAEGroupNorm() = default;
    VAEGroupNorm(HunyuanVAEParameters& parameters, const std::string& prefix, std::int64_t channels,
                 std::int64_t groups);

    // x: [B, channels, ...].
    at::Tensor forward(const at::Tensor& x, bool silu) const;

private:
    at::Tensor weight_;
    at::Tensor bias_;
    std::int64_t groups_ = 1;
};

// UpsampleCausal3D with use_conv: nearest upsampling by `factor`, the first frame in space
// only (so T frames become 1 + factor_t * (T - 1)), then a 3x3x3 VAECausalConv3d. Takes
// PREFIX.conv.conv.*.
class VAEUpsample {
public:
    VAEUpsample() = default;
    VAEUpsample(HunyuanVAEParameters& parameters, const std::string& prefix, std::int64_t channels,
                Triple factor);

    at::Tensor forward(const at::Tensor& x) const;

private:
    VAECausalConv3d conv_;
    Triple factor_{1, 1, 1};
};

}  // namespace storyreel::infer::hunyuan
