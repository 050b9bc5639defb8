// A cheap preview of a HunyuanVideo latent while it is denoised: each latent pixel becomes
// one RGB pixel through a fixed linear map of the 16 channels (no VAE). The factors are the
// ones ComfyUI uses for HunyuanVideo (comfy/latent_formats.py, class HunyuanVideo:
// latent_rgb_factors and latent_rgb_factors_bias), fitted on latents scaled by 0.476986 as
// ComfyUI holds them internally (process_in), which is how the pipeline holds its latents
// (img_latents = vae.encode(x).mode() * scaling_factor); the result is mapped from [-1, 1]
// to [0, 255] and rounded, as ComfyUI's preview_to_image does.
//
//   at::Tensor rgb = hunyuanLatentPreview(x0);   // [1, 16, T, h, w] -> uint8 [h, w, 3]
//
// Thread-safety: pure functions and constants.
#pragma once

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>

namespace storyreel::infer::hunyuan {

// [channel][R, G, B] and the bias, as comfy/latent_formats.py HunyuanVideo lists them.
extern const std::array<std::array<float, 3>, 16> kHunyuanLatentRgbFactors;
extern const std::array<float, 3> kHunyuanLatentRgbBias;

// latent: [16, T, h, w] or [1, 16, T, h, w] (any device and floating dtype). Returns uint8
// [h, w, 3] on the CPU of latent frame `frame` (negative: the middle one; under
// token_replace frame 0 is the image itself). Throws UserError for another shape.
at::Tensor hunyuanLatentPreview(const at::Tensor& latent, std::int64_t frame = -1);

}  // namespace storyreel::infer::hunyuan
