#include "core/infer/models/hunyuan/hy_latent_preview.h"

#include "core/base/user_error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <sstream>

namespace storyreel::infer::hunyuan {

const std::array<std::array<float, 3>, 16> kHunyuanLatentRgbFactors = {{
    {-0.0395f, -0.0331f, 0.0445f},
    {0.0696f, 0.0795f, 0.0518f},
    {0.0135f, -0.0945f, -0.0282f},
    {0.0108f, -0.0250f, -0.0765f},
    {-0.0209f, 0.0032f, 0.0224f},
    {-0.0804f, -0.0254f, -0.0639f},
    {-0.0991f, 0.0271f, -0.0669f},
    {-0.0646f, -0.0422f, -0.0400f},
    {-0.0696f, -0.0595f, -0.0894f},
    {-0.0799f, -0.0208f, -0.0375f},
    {0.1166f, 0.1627f, 0.0962f},
    {0.1165f, 0.0432f, 0.0407f},
    {-0.2315f, -0.1920f, -0.1355f},
    {-0.0270f, 0.0401f, -0.0821f},
    {-0.0616f, -0.0997f, -0.0727f},
    {0.0249f, -0.0469f, -0.1703f},
}};

const std::array<float, 3> kHunyuanLatentRgbBias = {0.0259f, -0.0192f, -0.0761f};

at::Tensor hunyuanLatentPreview(const at::Tensor& latent, std::int64_t frame) {
    at::Tensor x = latent;
    if (x.defined() && x.dim() == 5 && x.size(0) == 1) {
        x = x.select(0, 0);
    }
    if (!x.defined() || x.dim() != 4 || x.size(0) != 16 || x.size(1) < 1) {
        std::ostringstream message;
        message << "hunyuanLatentPreview: expected a [16, T, h, w] or [1, 16, T, h, w] latent, "
                   "not ";
        if (latent.defined()) {
            message << latent.sizes();
        } else {
            message << "(none)";
        }
        throw UserError(message.str());
    }
    const std::int64_t frames = x.size(1);
    const std::int64_t index = frame < 0 ? frames / 2 : std::min(frame, frames - 1);
    // [16, h, w] -> [h, w, 16] @ [16, 3] + bias (F.linear with the transposed factors)
    const at::Tensor pixels = x.select(1, index).to(at::kCPU, at::kFloat).permute({1, 2, 0});
    const at::Tensor factors = at::from_blob(const_cast<float*>(kHunyuanLatentRgbFactors[0].data()),
                                             {16, 3}, at::TensorOptions().dtype(at::kFloat));
    const at::Tensor bias = at::from_blob(const_cast<float*>(kHunyuanLatentRgbBias.data()), {3},
                                          at::TensorOptions().dtype(at::kFloat));
    const at::Tensor rgb = at::matmul(pixels, factors) + bias;
    // preview_to_image: clamp(-1, 1), + 1, * 127.5, round.
    return rgb.clamp(-1.0, 1.0).add(1.0).mul(127.5).round().to(at::kByte).contiguous();
}

}  // namespace storyreel::infer::hunyuan
