// HunyuanVAE: HunyuanVideo's 3D causal VAE as the I2V pipeline uses it
// (hyvideo/vae/autoencoder_kl_causal_3d.py AutoencoderKLCausal3D, loaded by
// hyvideo/vae/__init__.py load_vae): encode gives the posterior's mean and log-variance
// (DiagonalGaussianDistribution: logvar clamped to [-30, 20]; mode() is the mean), decode
// takes latents already divided by config().scalingFactor. With tiling on (the pipeline's
// default, --vae-tiling, and what the low-memory profiles use) both run tile by tile
// exactly as the reference does; the setting persists like enable_tiling(), so encodes of
// the conditioning image after a tiled decode are tiled too.
//
//   HunyuanVAE vae = HunyuanVAE::open("vae/pytorch_model.pt", HunyuanVAEConfig::released());
//   at::Tensor image = vae.encode(pixels).mean * vae.config().scalingFactor;  // I2V latents
//   vae.setTiling(true);
//   at::Tensor video = vae.decode(latents / vae.config().scalingFactor);     // [B,3,T,H,W]
//
// Thread-safety: encode() and decode() from any thread once loaded; setTiling() must not run
// at the same time as them.
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/models/hunyuan/hy_vae_config.h"
#include "core/infer/models/hunyuan/hy_vae_decoder.h"
#include "core/infer/models/hunyuan/hy_vae_encoder.h"
#include "core/infer/models/hunyuan/hy_vae_parameters.h"
#include "core/infer/models/hunyuan/hy_vae_tiling.h"

#include <ATen/core/Tensor.h>

#include <filesystem>

namespace storyreel {
class CancelToken;
}

namespace storyreel::infer::hunyuan {

// The posterior: mean and log-variance (clamped to [-30, 20]), each [B, latent, t, h, w],
// float32 on the model's device.
struct HunyuanLatentDist {
    at::Tensor mean;
    at::Tensor logvar;
    // DiagonalGaussianDistribution.mode(): what the pipeline uses.
    const at::Tensor& mode() const { return mean; }
};

class HunyuanVAE {
public:
    // Takes every parameter from `weights` by the reference's names (encoder.*, decoder.*,
    // quant_conv, post_quant_conv) and refuses tensors of the VAE's modules left over. Throws
    // UserError naming the file and tensor for a missing or mismatched one.
    HunyuanVAE(HunyuanVAEConfig config, const ModuleWeights& weights,
               HunyuanVAEPlacement placement = {});
    // Opens `path` by content, checks that it holds a HunyuanVideo VAE (any layout the
    // registry maps) and builds it. Throws UserError naming the file when it does not.
    static HunyuanVAE open(const std::filesystem::path& path, const HunyuanVAEConfig& config,
                           HunyuanVAEPlacement placement = {});

    const HunyuanVAEConfig& config() const { return config_; }
    const HunyuanVAEPlacement& placement() const { return placement_; }

    // video: [B, in_channels, 1 + 4k, H, W] in [-1, 1] (any device and dtype) ->
    // [B, latent, 1 + k, H/8, W/8]. Throws UserError for another rank, channel count or a
    // frame count that is not 1 + 4k (the causal VAE compresses 1 + 4k frames to 1 + k).
    HunyuanLatentDist encode(const at::Tensor& video, const CancelToken* cancel = nullptr) const;
    // z: [B, latent, t, h, w] -> [B, out_channels, 1 + 4(t - 1), 8h, 8w] float32 on the
    // model's device, not clamped. Throws UserError for another rank or channel count.
    at::Tensor decode(const at::Tensor& z, const CancelToken* cancel = nullptr) const;

    // enable_tiling() / disable_tiling(): spatial and temporal tiling together.
    void setTiling(bool enabled);
    bool tiling() const { return spatialTiling_ && temporalTiling_; }
    // enable_spatial_tiling() / enable_temporal_tiling() on their own.
    void setSpatialTiling(bool enabled) { spatialTiling_ = enabled; }
    void setTemporalTiling(bool enabled) { temporalTiling_ = enabled; }
    bool spatialTiling() const { return spatialTiling_; }
    bool temporalTiling() const { return temporalTiling_; }
    const HunyuanVAETiles& tiles() const { return tiles_; }

    // The untiled network pieces the tiled paths call: encoder + quant_conv (moments
    // [B, 2 * latent, ...]) and post_quant_conv + decoder, in the compute dtype.
    at::Tensor encodeMoments(const at::Tensor& x) const;
    at::Tensor decodeLatents(const at::Tensor& z) const;

private:
    HunyuanVAE(HunyuanVAEConfig config, HunyuanVAEParameters&& parameters);

    HunyuanVAEConfig config_;
    HunyuanVAEPlacement placement_;
    HunyuanVAEEncoder encoder_;
    HunyuanVAEDecoder decoder_;
    at::Tensor quantWeight_, quantBias_;          // quant_conv: Conv3d 2L -> 2L, 1x1x1
    at::Tensor postQuantWeight_, postQuantBias_;  // post_quant_conv: Conv3d L -> L, 1x1x1
    HunyuanVAETiles tiles_;
    bool spatialTiling_ = false;
    bool temporalTiling_ = false;
};

}  // namespace storyreel::infer::hunyuan
