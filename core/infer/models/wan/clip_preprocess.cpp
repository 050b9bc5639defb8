#include "core/infer/models/wan/clip_preprocess.h"

#include <ATen/ATen.h>

#include <stdexcept>

namespace storyreel::infer::wan {

at::Tensor clipPreprocess(const std::vector<at::Tensor>& videos, std::int64_t size) {
    if (videos.empty()) {
        throw std::invalid_argument("clipPreprocess: no image");
    }
    std::vector<at::Tensor> frames;
    for (const at::Tensor& video : videos) {
        if (video.dim() != 4 || video.size(0) != 3) {
            throw std::invalid_argument("clipPreprocess: each input must be [3, T, H, W]");
        }
        const at::Tensor input =
            at::isFloatingType(video.scalar_type()) ? video : video.to(at::kFloat);
        // [T, 3, H, W]; with output_size given, F.interpolate passes no scale factors.
        frames.push_back(at::upsample_bicubic2d(input.transpose(0, 1), {size, size},
                                                /*align_corners=*/false, c10::nullopt,
                                                c10::nullopt));
    }
    at::Tensor pixels = at::cat(frames, 0).mul(0.5).add(0.5);
    // torchvision Normalize: (x - mean) / std with [3, 1, 1] tensors of x's dtype.
    const auto options = pixels.options();
    const at::Tensor mean = at::tensor(std::vector<double>(kClipMean.begin(), kClipMean.end()),
                                       options.dtype(at::kDouble))
                                .to(options)
                                .view({3, 1, 1});
    const at::Tensor std = at::tensor(std::vector<double>(kClipStd.begin(), kClipStd.end()),
                                      options.dtype(at::kDouble))
                               .to(options)
                               .view({3, 1, 1});
    return pixels.sub(mean).div(std);
}

}  // namespace storyreel::infer::wan
