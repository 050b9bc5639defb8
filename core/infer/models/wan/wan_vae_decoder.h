// Decoder3d of the Wan VAE (wan/modules/vae.py): one latent frame at a time -> video frames
// at 8x the size (the first latent frame gives 1 frame, each later one 4).
// Parameters under "decoder.": conv1, middle.{0,1,2}, upsamples.N, head.{0,2}.
//
//   Decoder3d decoder(parameters, config);
//   FeatureCache cache;
//   for (t...) { cache.beginChunk(); outs.push_back(decoder.forward(z.narrow(2, t, 1), cache)); }
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

class Decoder3d {
public:
    Decoder3d(VAEParameters& parameters, const WanVAEConfig& config);

    // chunk: [B, z_dim, 1, h, w] (after WanVAE_.conv2) -> [B, 3, 1 or 4, 8h, 8w]; the cache
    // carries the latent frames before it, in order.
    at::Tensor forward(const at::Tensor& chunk, FeatureCache& cache) const;

    // forward() in two parts, for spatial tiling: conv1 and the middle blocks at latent
    // resolution (the AttentionBlock there mixes the whole frame), then the upsampling
    // stages and head, which are local. Each part keeps its cache slots in call order, so
    // the two parts may use separate caches.
    at::Tensor forwardMiddle(const at::Tensor& chunk, FeatureCache& cache) const;
    at::Tensor forwardUpsampling(const at::Tensor& middle, FeatureCache& cache) const;
    // How far, in latent pixels, forwardUpsampling() looks around an output pixel: the
    // sum of its 3x3 convolutions' reach at their resolutions (13 when released). Exact
    // unless attention_scales put attention blocks into the upsampling stages.
    std::int64_t upsamplingReach() const { return upsamplingReach_; }

private:
    CausalConv3d conv1_;
    std::vector<std::unique_ptr<VAEBlock>> middle_;
    std::vector<std::unique_ptr<VAEBlock>> upsamples_;
    RMSNorm headNorm_;
    CausalConv3d headConv_;
    std::int64_t upsamplingReach_ = 0;
};

}  // namespace storyreel::infer::wan
