// Ports CausalConv3d, UpsampleCausal3D and the GroupNorm + SiLU pairs of
// ResnetBlockCausal3D, EncoderCausal3D and DecoderCausal3D (hyvideo/vae/).
#include "core/infer/models/hunyuan/hy_vae_layers.h"

#include <ATen/ATen.h>

namespace storyreel::infer::hunyuan {
namespace {

// F.pad(x, (w, w, h, h, t, 0), mode='replicate') into one new tensor. Written out rather than
// at::replication_pad3d, which LibTorch 1.13 lacks for bfloat16 on the CPU: the values are
// copies either way.
at::Tensor replicatePad(const at::Tensor& x, std::int64_t t, std::int64_t h, std::int64_t w) {
    const std::int64_t frames = x.size(2);
    const std::int64_t height = x.size(3);
    const std::int64_t width = x.size(4);
    at::Tensor padded =
        at::empty({x.size(0), x.size(1), frames + t, height + 2 * h, width + 2 * w}, x.options());
    // The input, then its left and right columns, then the top and bottom rows (corners
    // included), then the first frame in front.
    const at::Tensor body = padded.narrow(2, t, frames).narrow(3, h, height);
    body.narrow(4, w, width).copy_(x);
    if (w > 0) {
        body.narrow(4, 0, w).copy_(body.narrow(4, w, 1).expand({-1, -1, -1, -1, w}));
        body.narrow(4, w + width, w)
            .copy_(body.narrow(4, w + width - 1, 1).expand({-1, -1, -1, -1, w}));
    }
    const at::Tensor frameRows = padded.narrow(2, t, frames);
    if (h > 0) {
        frameRows.narrow(3, 0, h).copy_(frameRows.narrow(3, h, 1).expand({-1, -1, -1, h, -1}));
        frameRows.narrow(3, h + height, h)
            .copy_(frameRows.narrow(3, h + height - 1, 1).expand({-1, -1, -1, h, -1}));
    }
    if (t > 0) {
        padded.narrow(2, 0, t).copy_(padded.narrow(2, t, 1).expand({-1, -1, t, -1, -1}));
    }
    return padded;
}

}  // namespace

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
    const std::int64_t half = kernel_ / 2;
    const at::Tensor padded = replicatePad(x, kernel_ - 1, half, half);
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
