#include "core/infer/models/wan/wan_latent_preview.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>

namespace storyreel::infer::wan {

const std::array<std::array<float, 3>, 16> kWan21LatentRgbFactors = {{
    {-0.1299f, -0.1692f, 0.2932f},
    {0.0671f, 0.0406f, 0.0442f},
    {0.3568f, 0.2548f, 0.1747f},
    {0.0372f, 0.2344f, 0.1420f},
    {0.0313f, 0.0189f, -0.0328f},
    {0.0296f, -0.0956f, -0.0665f},
    {-0.3477f, -0.4059f, -0.2925f},
    {0.0166f, 0.1902f, 0.1975f},
    {-0.0412f, 0.0267f, -0.1364f},
    {-0.1293f, 0.0740f, 0.1636f},
    {0.0680f, 0.3019f, 0.1128f},
    {0.0032f, 0.0581f, 0.0639f},
    {-0.1251f, 0.0927f, 0.1699f},
    {0.0060f, -0.0633f, 0.0005f},
    {0.3477f, 0.2275f, 0.2950f},
    {0.1984f, 0.0913f, 0.1861f},
}};

const std::array<float, 3> kWan21LatentRgbBias = {-0.1835f, -0.0868f, -0.3360f};

at::Tensor wanLatentPreview(const at::Tensor& latent, std::int64_t frame) {
    if (latent.dim() != 4 || latent.size(0) != 16) {
        throw std::invalid_argument("wanLatentPreview: expected a [16, T, h, w] latent");
    }
    const std::int64_t frames = latent.size(1);
    const std::int64_t index = frame < 0 ? frames / 2 : std::min(frame, frames - 1);
    // [16, h, w] -> [h, w, 16] @ [16, 3] + bias
    const at::Tensor pixels = latent.select(1, index).to(at::kCPU, at::kFloat).permute({1, 2, 0});
    const at::Tensor factors = at::from_blob(const_cast<float*>(kWan21LatentRgbFactors[0].data()),
                                             {16, 3}, at::TensorOptions().dtype(at::kFloat));
    const at::Tensor bias = at::from_blob(const_cast<float*>(kWan21LatentRgbBias.data()), {3},
                                          at::TensorOptions().dtype(at::kFloat));
    const at::Tensor rgb = at::matmul(pixels, factors) + bias;
    return ((rgb + 1.0) * 0.5).clamp(0.0, 1.0).mul(255.0).round().to(at::kByte).contiguous();
}

}  // namespace storyreel::infer::wan
