// WanVAE: the Wan 2.1 VAE as the pipelines use it (wan/modules/vae.py WanVAE): latents are
// normalised per channel with the released mean and std, encode takes one video, decode
// returns one video clamped to [-1, 1]. Loads by the reference's parameter names through
// WeightLoader / InternalView, so any layout the registry maps (official .pth or
// safetensors, ComfyUI, diffusers) works.
//
//   WanVAE vae = WanVAE::open("Wan2.1_VAE.pth", WanVAEConfig::released());
//   at::Tensor latent = vae.encode(video);   // [3, 1+4k, H, W] -> [16, 1+k, H/8, W/8]
//   at::Tensor frames = vae.decode(latent);  // -> [3, 1+4k, H, W] in [-1, 1]
//
// Thread-safety: immutable after loading; encode() and decode() from any thread.
#pragma once

#include "core/infer/models/wan/wan_vae_config.h"
#include "core/infer/models/wan/wan_vae_model.h"
#include "core/infer/models/wan/wan_vae_parameters.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/weights/weight_loader.h"

#include <ATen/core/Tensor.h>

#include <array>
#include <filesystem>

namespace storyreel {
class CancelToken;
}

namespace storyreel::infer::wan {

// The WanVAE wrapper's per-channel latent statistics (z_dim 16).
inline constexpr std::array<float, 16> kWanLatentMean = {
    -0.7571f, -0.7089f, -0.9113f, 0.1075f,  -0.1745f, 0.9653f,  -0.1517f, 1.5508f,
    0.4134f,  -0.0715f, 0.5517f,  -0.3632f, -0.1922f, -0.9497f, 0.2503f,  -0.2921f};
inline constexpr std::array<float, 16> kWanLatentStd = {
    2.8184f, 1.4541f, 2.3275f, 2.6558f, 1.2196f, 1.7708f, 2.6052f, 2.0743f,
    3.2687f, 2.1526f, 2.8652f, 1.5579f, 1.6382f, 1.1253f, 2.8251f, 1.9160f};

class WanVAE {
public:
    // Builds the network from `view` (through `loader`); both may go once this returns.
    // Throws UserError naming the file and tensor for a missing or mismatched tensor, or
    // when z_dim is not 16 (the statistics exist for the Wan 2.1 VAE only).
    WanVAE(const WanVAEConfig& config, const InternalView& view, const WeightLoader& loader,
           VAEPlacement placement = {});
    // Opens `path` by content, recognises a Wan VAE (any mapped layout) and builds it.
    // Throws UserError naming the file when it is not one.
    static WanVAE open(const std::filesystem::path& path, const WanVAEConfig& config,
                       VAEPlacement placement = {});

    const WanVAEModel& model() const { return model_; }
    const WanVAEConfig& config() const { return model_.config(); }

    // video: [3, T, H, W] in [-1, 1] -> latent [16, 1 + (T-1)/4, H/8, W/8] float32,
    // (mu - mean) * (1 / std).
    at::Tensor encode(const at::Tensor& video, const CancelToken* cancel = nullptr) const;
    // latent: [16, T, h, w] -> [3, 1 + 4(T-1), 8h, 8w] float32 in [-1, 1].
    at::Tensor decode(const at::Tensor& latent, const CancelToken* cancel = nullptr) const;
    // decode() without the final clamp.
    at::Tensor decodeUnclamped(const at::Tensor& latent, const CancelToken* cancel = nullptr) const;

    // (mu - mean) * (1 / std) on [B, 16, T, h, w] or [16, T, h, w] (float32).
    at::Tensor normalise(const at::Tensor& mu) const;
    // latent / (1 / std) + mean: what the network decodes.
    at::Tensor denormalise(const at::Tensor& latent) const;

private:
    WanVAEModel model_;
    at::Tensor mean_;    // [16], float32 on the CPU
    at::Tensor invStd_;  // [16], 1 / std computed in float32 as the reference does
};

}  // namespace storyreel::infer::wan
