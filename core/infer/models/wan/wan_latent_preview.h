// A cheap preview of a Wan 2.1 latent while it is denoised: each latent pixel becomes one
// RGB pixel through a fixed linear map of the 16 channels (no VAE), so a preview of a
// 480p video is a 104x60 image computed in microseconds. The factors are the ones ComfyUI
// uses for Wan 2.1 latents (comfy/latent_formats.py, class Wan21: latent_rgb_factors and
// latent_rgb_factors_bias), fitted by its authors on latents normalised as WanVAE.encode
// returns them, which is how the pipeline holds its latents; the result is mapped from
// [-1, 1] to [0, 255] as ComfyUI's Latent2RGBPreviewer does.
//
//   at::Tensor rgb = wanLatentPreview(x0);   // [16, T, h, w] -> uint8 [h, w, 3] (middle frame)
//
// Thread-safety: pure functions and constants.
#pragma once

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>

namespace storyreel::infer::wan {

// [channel][R, G, B] and the bias, as comfy/latent_formats.py Wan21 lists them.
extern const std::array<std::array<float, 3>, 16> kWan21LatentRgbFactors;
extern const std::array<float, 3> kWan21LatentRgbBias;

// latent: [16, T, h, w] (any device and floating dtype). Returns uint8 [h, w, 3] on the CPU
// of latent frame `frame` (negative: the middle one). Throws std::invalid_argument for
// another shape.
at::Tensor wanLatentPreview(const at::Tensor& latent, std::int64_t frame = -1);

}  // namespace storyreel::infer::wan
