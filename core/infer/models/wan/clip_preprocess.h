// clipPreprocess: what wan/modules/clip.py CLIPModel.visual does to images before the tower.
// Each input is a [3, T, H, W] clip in [-1, 1] at its own size (image2video.py passes the
// input image as [3, 1, H, W]); its frames are resized to size x size with bicubic
// interpolation (align_corners=False, no antialiasing: F.interpolate's), all inputs are
// concatenated, mapped to [0, 1] (x*0.5 + 0.5) and normalised with open-clip's OpenAI
// mean and std.
//
//   at::Tensor pixels = clipPreprocess({image});   // [1, 3, 224, 224]
//
// Thread-safety: pure function.
#pragma once

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>
#include <vector>

namespace storyreel::infer::wan {

// open-clip's OPENAI_DATASET_MEAN / _STD, the Normalize of clip_xlm_roberta_vit_h_14.
inline constexpr std::array<double, 3> kClipMean = {0.48145466, 0.4578275, 0.40821073};
inline constexpr std::array<double, 3> kClipStd = {0.26862954, 0.26130258, 0.27577711};

// videos: each [3, T, H, W] in [-1, 1]. Returns [sum of T, 3, size, size] in the inputs'
// dtype (float32 for integer inputs). Throws std::invalid_argument for other shapes.
at::Tensor clipPreprocess(const std::vector<at::Tensor>& videos, std::int64_t size = 224);

}  // namespace storyreel::infer::wan
