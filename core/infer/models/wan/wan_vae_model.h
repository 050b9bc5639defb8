// WanVAEModel: the Wan 2.1 VAE network (wan/modules/vae.py WanVAE_) with its chunked, cached
// encode and decode, on raw latents (no mean/std normalisation: WanVAE adds it). Parameters
// by the reference's names: encoder.*, conv1 (1x1x1, 2z -> 2z), conv2 (z -> z), decoder.*.
//
//   WanVAEModel model(config, parameters);   // VAEParameters over a checkpoint's view
//   at::Tensor mu = model.encode(video);      // [B, 3, 1+4k, H, W] -> [B, z, 1+k, H/8, W/8]
//   at::Tensor x = model.decode(mu);          // -> [B, 3, 1+4k, H, W], not clamped
//
// Thread-safety: immutable after loading; encode() and decode() from any thread.
#pragma once

#include "core/infer/models/wan/wan_vae_config.h"
#include "core/infer/models/wan/wan_vae_decoder.h"
#include "core/infer/models/wan/wan_vae_encoder.h"
#include "core/infer/models/wan/wan_vae_layers.h"
#include "core/infer/models/wan/wan_vae_parameters.h"

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace storyreel {
class CancelToken;
}

namespace storyreel::infer::wan {

class WanVAEModel {
public:
    // Takes every parameter from `parameters` and refuses tensors left over.
    WanVAEModel(const WanVAEConfig& config, VAEParameters& parameters);

    const WanVAEConfig& config() const { return config_; }
    const VAEPlacement& placement() const { return placement_; }

    // video: [B, 3, T, H, W] in [-1, 1] -> mu [B, z_dim, 1 + (T-1)/4, H/8, W/8], the
    // encoder's mean (log-variance dropped). Frames go through in chunks of 1, 4, 4, ...;
    // frames past the last full chunk of 4 are dropped, as in the reference. Throws
    // std::invalid_argument for another shape.
    at::Tensor encode(const at::Tensor& video, const CancelToken* cancel = nullptr) const;
    // z: [B, z_dim, T, h, w] (raw, as encode() returns) -> [B, 3, 1 + 4(T-1), 8h, 8w],
    // one latent frame at a time. Throws std::invalid_argument for another shape.
    at::Tensor decode(const at::Tensor& z, const CancelToken* cancel = nullptr) const;

    // decode() in two passes, for spatial tiling. decodeMiddle: z [B, z_dim, T, h, w] ->
    // [B, C, T, h, w] after conv2, decoder.conv1 and decoder.middle (whose attention needs
    // whole frames). decodeUpsampling: any spatial crop of that -> its video, the same
    // pixels as decode() wherever the crop extends upsamplingReach() latent pixels beyond
    // them (or to the frame's edge).
    at::Tensor decodeMiddle(const at::Tensor& z, const CancelToken* cancel = nullptr) const;
    at::Tensor decodeUpsampling(const at::Tensor& middle,
                                const CancelToken* cancel = nullptr) const;
    std::int64_t upsamplingReach() const { return decoder_.upsamplingReach(); }

private:
    WanVAEConfig config_;
    VAEPlacement placement_;
    Encoder3d encoder_;
    CausalConv3d conv1_;
    CausalConv3d conv2_;
    Decoder3d decoder_;
};

}  // namespace storyreel::infer::wan
