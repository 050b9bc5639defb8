// Ports CausalConv3d, RMS_norm and the cache handling that Encoder3d, Decoder3d and
// ResidualBlock repeat around each cached convolution (wan/modules/vae.py).
#include "core/infer/models/wan/wan_vae_layers.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>

namespace storyreel::infer::wan {

CacheSlot& FeatureCache::next() {
    if (cursor_ == slots_.size()) {
        slots_.emplace_back();
    }
    return slots_[cursor_++];
}

at::Tensor historyOf(const at::Tensor& x, const at::Tensor& previous) {
    const std::int64_t frames = x.size(2);
    const std::int64_t kept = std::min(frames, kCacheFrames);
    at::Tensor history = x.narrow(2, frames - kept, kept).clone();
    if (kept < kCacheFrames && previous.defined()) {
        history = at::cat({previous.narrow(2, previous.size(2) - 1, 1).to(x.device()), history}, 2);
    }
    return history;
}

CausalConv3d::CausalConv3d(VAEParameters& parameters, const std::string& prefix, std::int64_t in,
                           std::int64_t out, Triple kernel, Triple stride, Triple padding)
    : weight_(parameters.take(prefix + ".weight", {out, in, kernel[0], kernel[1], kernel[2]})),
      bias_(parameters.take(prefix + ".bias", {out})),
      stride_(stride),
      padding_(padding) {}

CausalConv3d CausalConv3d::cubic(VAEParameters& parameters, const std::string& prefix,
                                 std::int64_t in, std::int64_t out, std::int64_t kernel,
                                 std::int64_t padding) {
    return CausalConv3d(parameters, prefix, in, out, {kernel, kernel, kernel}, {1, 1, 1},
                        {padding, padding, padding});
}

at::Tensor CausalConv3d::forward(const at::Tensor& x, const at::Tensor& history) const {
    // Reference: F.pad(x, (w, w, h, h, 2*p_t, 0)) then an unpadded Conv3d; the spatial zeros
    // are left to the convolution's own padding, which gives the same sums.
    std::int64_t front = 2 * padding_[0];
    at::Tensor input = x;
    if (history.defined() && front > 0) {
        input = at::cat({history.to(x.device(), x.scalar_type()), x}, 2);
        front -= history.size(2);
    }
    if (front > 0) {
        input = at::constant_pad_nd(input, {0, 0, 0, 0, front, 0});
    }
    return at::conv3d(input, weight_, bias_, {stride_[0], stride_[1], stride_[2]},
                      {0, padding_[1], padding_[2]});
}

at::Tensor CausalConv3d::forwardCached(const at::Tensor& x, FeatureCache& cache) const {
    CacheSlot& slot = cache.next();
    at::Tensor history = historyOf(x, slot.frames);
    at::Tensor y = forward(x, slot.frames);
    slot.frames = std::move(history);
    return y;
}

RMSNorm::RMSNorm(VAEParameters& parameters, const std::string& prefix, std::int64_t channels,
                 bool images)
    : gamma_(parameters.take(prefix + ".gamma",
                             images ? std::vector<std::int64_t>{channels, 1, 1}
                                    : std::vector<std::int64_t>{channels, 1, 1, 1})),
      scale_(std::sqrt(static_cast<double>(channels))) {}

at::Tensor RMSNorm::forward(const at::Tensor& x) const {
    // F.normalize(x, dim=1): x / clamp_min(||x||_2, 1e-12), then * dim**0.5 * gamma.
    const at::Tensor norm = at::norm(x, 2, {1}, /*keepdim=*/true).clamp_min(1e-12);
    return x / norm * scale_ * gamma_;
}

}  // namespace storyreel::infer::wan
