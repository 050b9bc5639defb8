// The Wan VAE's blocks (wan/modules/vae.py): ResidualBlock, AttentionBlock and Resample,
// behind one interface so Encoder3d and Decoder3d can hold their stages as the reference's
// nn.Sequential does (downsamples.N, upsamples.N, middle.N).
//
//   ResidualBlock block(parameters, "decoder.middle.0", 384, 384);
//   x = block.forward(x, cache);          // x: [B, C, T, H, W], one chunk of frames
//
// Thread-safety: immutable after loading; forward() from any thread, each call with its
// own FeatureCache.
#pragma once

#include "core/infer/models/wan/wan_vae_layers.h"
#include "core/infer/models/wan/wan_vae_parameters.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <string>

namespace storyreel::infer::wan {

class VAEBlock {
public:
    virtual ~VAEBlock() = default;
    // x: [B, C, T, H, W], the current chunk; the block takes its cache slots in call order.
    virtual at::Tensor forward(const at::Tensor& x, FeatureCache& cache) const = 0;
};

// residual(x) + shortcut(x): residual = RMS_norm, SiLU, CausalConv3d(3), RMS_norm, SiLU,
// (Dropout), CausalConv3d(3) (PREFIX.residual.{0,2,3,6}); shortcut = a 1x1x1
// CausalConv3d (PREFIX.shortcut) when the channel count changes, else the identity.
class ResidualBlock final : public VAEBlock {
public:
    ResidualBlock(VAEParameters& parameters, const std::string& prefix, std::int64_t in,
                  std::int64_t out);
    at::Tensor forward(const at::Tensor& x, FeatureCache& cache) const override;

private:
    RMSNorm norm1_;
    CausalConv3d conv1_;
    RMSNorm norm2_;
    CausalConv3d conv2_;
    std::optional<CausalConv3d> shortcut_;
};

// Per frame, single-head self-attention over the H*W positions: q, k, v are channel
// thirds of a 1x1 to_qkv, scale 1/sqrt(C); out = x + proj(attention). Uses no cache.
class AttentionBlock final : public VAEBlock {
public:
    AttentionBlock(VAEParameters& parameters, const std::string& prefix, std::int64_t dim);
    at::Tensor forward(const at::Tensor& x, FeatureCache& cache) const override;

private:
    RMSNorm norm_;
    at::Tensor qkvWeight_, qkvBias_;    // [3C, C, 1, 1], [3C]
    at::Tensor projWeight_, projBias_;  // [C, C, 1, 1], [C]
};

enum class ResampleMode { Upsample2d, Upsample3d, Downsample2d, Downsample3d };

// Spatial x2 up (nearest, then Conv2d(dim, dim/2, 3)) or down (ZeroPad2d(0,1,0,1), then
// Conv2d(dim, dim, 3, stride 2)) on every frame (PREFIX.resample.1), plus for the *3d modes
// a temporal (3,1,1) PREFIX.time_conv: upsample3d doubles the frames of every chunk but the
// first, before the spatial step; downsample3d halves them (stride 2, the previous chunk's
// last frame in front), after it, skipping the first chunk.
class Resample final : public VAEBlock {
public:
    Resample(VAEParameters& parameters, const std::string& prefix, std::int64_t dim,
             ResampleMode mode);
    at::Tensor forward(const at::Tensor& x, FeatureCache& cache) const override;

private:
    at::Tensor upsampleInTime(const at::Tensor& x, FeatureCache& cache) const;
    at::Tensor downsampleInTime(const at::Tensor& x, FeatureCache& cache) const;
    at::Tensor resampleFrames(const at::Tensor& x) const;

    ResampleMode mode_;
    at::Tensor convWeight_, convBias_;
    std::optional<CausalConv3d> timeConv_;
};

}  // namespace storyreel::infer::wan
