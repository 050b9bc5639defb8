// clipImagePixels: what transformers 4.39.3 CLIPImageProcessor (image_processing_clip.py)
// makes of the reference image HunyuanVideo-I2V gives its LLaVA encoder: resize so the
// shortest edge is `shortestEdge` (the long edge int(size * long / short)) with PIL's
// bicubic filter on the 8-bit image, center crop (top/left = floor of half the excess),
// rescale by 1/255, normalize with CLIP's mean and std. PIL's resize is reproduced exactly
// (pil_resize.h, the bicubic filter). Wan's clipPreprocess is F.interpolate's bicubic (no
// antialiasing, float) and shares nothing with it.
//
//   const at::Tensor pixels = clipImagePixels(rgb, ClipImageProcessorConfig::released());
//   // rgb: [H, W, 3] uint8 -> [1, 3, 336, 336] float32
//
// Thread-safety: pure functions.
#pragma once

#include "core/infer/weights/json_value.h"

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>

namespace storyreel::infer::hunyuan {

struct ClipImageProcessorConfig {
    std::int64_t shortestEdge = 336;
    std::int64_t cropHeight = 336;
    std::int64_t cropWidth = 336;
    double rescaleFactor = 1.0 / 255.0;
    std::array<double, 3> mean = {0.48145466, 0.4578275, 0.40821073};
    std::array<double, 3> std = {0.26862954, 0.26130258, 0.27577711};

    // A CLIPImageProcessor preprocessor_config.json ({"size": {"shortest_edge": 336},
    // "crop_size": {"height": 336, "width": 336} | 336 | [336, 336], "rescale_factor" or
    // "rescale", "image_mean", "image_std", "resample": 3 or "bicubic"}). Throws UserError for
    // another resample filter, a disabled step, or values of the wrong type.
    static ClipImageProcessorConfig fromJson(const JsonValue& json);
    // openai/clip-vit-large-patch14-336's (xtuner/llava-llama-3-8b-v1_1-transformers).
    static ClipImageProcessorConfig released() { return {}; }
};

// rgb: [H, W, 3], uint8 or any type holding integers 0..255, on any device. Returns
// [1, 3, cropHeight, cropWidth] float32 on rgb's device. Throws UserError for another shape,
// values outside 0..255 or not whole, or a crop larger than the resized image.
at::Tensor clipImagePixels(const at::Tensor& rgb, const ClipImageProcessorConfig& config);

}  // namespace storyreel::infer::hunyuan
