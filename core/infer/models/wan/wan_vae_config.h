// WanVAEConfig: the constructor arguments of the Wan 2.1 VAE (wan/modules/vae.py WanVAE_),
// read from a JSON object with the reference's own keys (the golden files' "config") or
// the released values, and the channel widths they imply for each stage.
//
//   const WanVAEConfig config = WanVAEConfig::fromJson(parseJson(text));  // or ::released()
//   std::int64_t latentChannels = config.zDim;
//   std::int64_t factor = config.spatialFactor();                         // 8
//
// Thread-safety: a value type.
#pragma once

#include "core/infer/weights/json_value.h"

#include <cstdint>
#include <string>
#include <vector>

namespace storyreel::infer::wan {

struct WanVAEConfig {
    std::int64_t dim = 96;
    std::int64_t zDim = 16;
    std::vector<std::int64_t> dimMult = {1, 2, 4, 4};
    std::int64_t numResBlocks = 2;
    // Scales (1, 1/2, 1/4, ...) at which the stages add an AttentionBlock after each
    // residual block; the released model has none (attention in the middle blocks only).
    std::vector<double> attnScales;
    // Per stage boundary: downsample3d (true) or downsample2d. The decoder uses it reversed.
    std::vector<bool> temperalDownsample = {false, true, true};

    // Wan 2.1's released VAE: dim 96, z_dim 16, dim_mult [1,2,4,4], 2 residual blocks,
    // no attention scales, temporal downsampling [false, true, true].
    static WanVAEConfig released();
    // Keys dim, z_dim, dim_mult, num_res_blocks, attn_scales, temperal_downsample (missing
    // keys keep the released value; dropout is accepted and ignored, inference has none).
    // Throws UserError naming the key for a value of the wrong type or out of range.
    static WanVAEConfig fromJson(const JsonValue& config);

    // Spatial size ratio between video and latent: 2 per stage boundary (8 when released).
    std::int64_t spatialFactor() const;
    // "dim 96, z_dim 16, dim_mult [1, 2, 4, 4], 2 residual blocks": for messages.
    std::string describe() const;
};

}  // namespace storyreel::infer::wan
