// Ports CausalConv3d, UpsampleCausal3D and the GroupNorm + SiLU pairs of
// ResnetBlockCausal3D, EncoderCausal3D and DecoderCausal3D (hyvideo/vae/).
#include "core/infer/models/hunyuan/hy_vae_layers.h"

#include <ATen/ATen.h>

namespace storyreel::infer::hunyuan {

VAECausalConv3d::VAECausalConv3d(HunyuanVAEParameters& parameters, const std::string& prefix,
                                 std::int64_t in, std::int64_t out, std::int64_t kernel,
                                 Triple stride)
    : weight_(parameters.take(prefix + ".conv.weight", {out, in, kernel, kernel, kernel})),
      bias_(parameters.take(prefix + ".conv.bias", {out})),
      kernel_(kernel),
      stride_(stride) {}

at::Tensor VAECausalConv3d::forward(const at::Tensor& x) const {
    if (kernel_ == 1) {
        return at::conv3d(x, weight_, bias_, {stride_[0], stride_[1], stride_[2]});
    }
    // Padding order (W left, W right, H top, H bottom, T front, T back).
    const std::int64_t half = kernel_ / 2;
    const at::Tensor padded = at::replication_pad3d(x, {half, half, half, half, kernel_ - 1, 0});
    return at::conv3d(padded, weight_, bias_, {stride_[0], stride_[1], stride_[2]});
}

VAEGroupNorm::VAEGroupNorm(HunyuanVAEParameters& parameters, const std::string& prefix,
                           std::int64_t channels, std::int64_t groups)
    : weight_(parameters.takeFloat(prefix + ".weight", {channels})),
      bias_(parameters.takeFloat(prefix + ".bias", {channels})),
      groups_(groups) {}

at::Tensor VAEGroupNorm::forward(const at::Tensor& x, bool silu) const {
    at::Tensor y = at::group_norm(x.to(at::kFloat), groups_, weight_, bias_, 1e-6);
    if (silu) {
        at::silu_(y);
    }
    return y.to(x.scalar_type());
}

VAEUpsample::VAEUpsample(HunyuanVAEParameters& parameters, const std::string& prefix,
                         std::int64_t channels, Triple factor)
    : conv_(parameters, prefix + ".conv", channels, channels, 3), factor_(factor) {}

at::Tensor VAEUpsample::forward(const at::Tensor& x) const {
    // The reference upsamples bfloat16 in float32 (upsample_nearest has no bf16 kernel);
    // nearest copies values, so any dtype gives the same numbers.
    const at::ScalarType dtype = x.scalar_type();
    const at::Tensor source = dtype == at::kBFloat16 ? x.to(at::kFloat) : x;
    const std::int64_t frames = source.size(2);
    const std::int64_t height = source.size(3) * factor_[1];
    const std::int64_t width = source.size(4) * factor_[2];
    const auto scaleH = static_cast<double>(factor_[1]);
    const auto scaleW = static_cast<double>(factor_[2]);
    // The first frame in space only, the others in time and space.
    at::Tensor up =
        at::upsample_nearest3d(source.narrow(2, 0, 1), {1, height, width}, 1.0, scaleH, scaleW);
    if (frames > 1) {
        const at::Tensor rest = at::upsample_nearest3d(
            source.narrow(2, 1, frames - 1), {(frames - 1) * factor_[0], height, width},
            static_cast<double>(factor_[0]), scaleH, scaleW);
        up = at::cat({up, rest}, 2);
    }
    if (dtype == at::kBFloat16) {
        up = up.to(dtype);
    }
    return conv_.forward(up);
}

}  // namespace storyreel::infer::hunyuan
