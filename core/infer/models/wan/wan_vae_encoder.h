// Encoder3d of the Wan VAE (wan/modules/vae.py): video chunk -> 2*z_dim channels at 1/8 of
// the size (time: the first chunk of 1 frame gives 1, each later chunk of 4 gives 1).
// Parameters under "encoder.": conv1, downsamples.N, middle.{0,1,2}, head.{0,2}.
//
//   Encoder3d encoder(parameters, config);
//   FeatureCache cache;
//   for (chunk : chunks) { cache.beginChunk(); outs.push_back(encoder.forward(chunk, cache)); }
//
// Thread-safety: immutable after loading; forward() from any thread, each call with its
// own FeatureCache.
#pragma once

#include "core/infer/models/wan/wan_vae_blocks.h"
#include "core/infer/models/wan/wan_vae_config.h"
#include "core/infer/models/wan/wan_vae_layers.h"
#include "core/infer/models/wan/wan_vae_parameters.h"

#include <ATen/core/Tensor.h>

#include <memory>
#include <vector>

namespace storyreel::infer::wan {

class Encoder3d {
public:
    Encoder3d(VAEParameters& parameters, const WanVAEConfig& config);

    // chunk: [B, 3, T, H, W] -> [B, 2*z_dim, T', H/8, W/8]; the cache carries the chunks
    // before it (it must be used for every chunk of one video, in order).
    at::Tensor forward(const at::Tensor& chunk, FeatureCache& cache) const;

private:
    CausalConv3d conv1_;
    std::vector<std::unique_ptr<VAEBlock>> downsamples_;
    std::vector<std::unique_ptr<VAEBlock>> middle_;
    RMSNorm headNorm_;
    CausalConv3d headConv_;
};

}  // namespace storyreel::infer::wan
