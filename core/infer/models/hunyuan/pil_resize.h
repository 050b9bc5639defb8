// Pillow's Image.resize for 8-bit images (src/libImaging/Resample.c ImagingResample), value
// for value: separable convolution with the filter stretched over the downscale factor
// (antialiasing), coefficients in 22-bit fixed point, a horizontal pass over the rows the
// vertical pass needs, then the vertical pass, each rounding to uint8. HunyuanVideo-I2V
// resizes its conditioning image this way (torchvision transforms.Resize on a PIL image is
// Image.resize(..., BILINEAR)); CLIPImageProcessor uses the bicubic filter.
//
//   at::Tensor small = pilResize(rgb, 540, 960, PilFilter::Bilinear);  // uint8 [540, 960, 3]
//
// Thread-safety: pure function.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace storyreel::infer::hunyuan {

enum class PilFilter { Bilinear, Bicubic };

// image: uint8 [H, W, C] (any C >= 1; float values 0..255 are rounded), any device. Returns
// uint8 [height, width, C] on the CPU; a copy when the size does not change. Throws UserError
// for another shape or a size below 1.
at::Tensor pilResize(const at::Tensor& image, std::int64_t height, std::int64_t width,
                     PilFilter filter);

}  // namespace storyreel::infer::hunyuan
