// Ports ResidualBlock, AttentionBlock and Resample of wan/modules/vae.py, including the
// chunk-to-chunk behaviour of Resample's time_conv.
#include "core/infer/models/wan/wan_vae_blocks.h"

#include "core/infer/memory/attention.h"

#include <ATen/ATen.h>

#include <vector>

namespace storyreel::infer::wan {
namespace {

// [B, C, T, H, W] -> [B*T, C, H, W], frame by frame (einops 'b c t h w -> (b t) c h w').
at::Tensor framesOf(const at::Tensor& x) {
    return x.permute({0, 2, 1, 3, 4})
        .reshape({x.size(0) * x.size(2), x.size(1), x.size(3), x.size(4)});
}

// [B*T, C, H, W] -> [B, C, T, H, W].
at::Tensor videoOf(const at::Tensor& frames, std::int64_t batch) {
    const std::int64_t t = frames.size(0) / batch;
    return frames.view({batch, t, frames.size(1), frames.size(2), frames.size(3)})
        .permute({0, 2, 1, 3, 4})
        .contiguous();
}

}  // namespace

ResidualBlock::ResidualBlock(VAEParameters& parameters, const std::string& prefix, std::int64_t in,
                             std::int64_t out)
    : norm1_(parameters, prefix + ".residual.0", in, /*images=*/false),
      conv1_(CausalConv3d::cubic(parameters, prefix + ".residual.2", in, out, 3, 1)),
      norm2_(parameters, prefix + ".residual.3", out, /*images=*/false),
      conv2_(CausalConv3d::cubic(parameters, prefix + ".residual.6", out, out, 3, 1)) {
    if (in != out) {
        shortcut_ = CausalConv3d::cubic(parameters, prefix + ".shortcut", in, out, 1, 0);
    }
}

at::Tensor ResidualBlock::forward(const at::Tensor& x, FeatureCache& cache) const {
    const at::Tensor shortcut = shortcut_ ? shortcut_->forward(x) : x;
    // Each cached convolution keeps the last frames of its own input (after norm and SiLU).
    at::Tensor y = conv1_.forwardCached(at::silu(norm1_.forward(x)), cache);
    y = conv2_.forwardCached(at::silu(norm2_.forward(y)), cache);
    return y + shortcut;
}

AttentionBlock::AttentionBlock(VAEParameters& parameters, const std::string& prefix,
                               std::int64_t dim)
    : norm_(parameters, prefix + ".norm", dim, /*images=*/true),
      qkvWeight_(parameters.take(prefix + ".to_qkv.weight", {3 * dim, dim, 1, 1})),
      qkvBias_(parameters.take(prefix + ".to_qkv.bias", {3 * dim})),
      projWeight_(parameters.take(prefix + ".proj.weight", {dim, dim, 1, 1})),
      projBias_(parameters.take(prefix + ".proj.bias", {dim})) {}

at::Tensor AttentionBlock::forward(const at::Tensor& x, FeatureCache& /*cache*/) const {
    const std::int64_t c = x.size(1);
    const std::int64_t h = x.size(3);
    const std::int64_t w = x.size(4);
    const at::Tensor frames = norm_.forward(framesOf(x));  // [BT, C, H, W]
    const std::int64_t bt = frames.size(0);
    // [BT, 3C, H, W] -> [BT, HW, 3C]; q, k, v are its channel thirds, one head each.
    const at::Tensor qkv = at::conv2d(frames, qkvWeight_, qkvBias_)
                               .reshape({bt, 3 * c, h * w})
                               .permute({0, 2, 1})
                               .contiguous();
    const at::Tensor q = qkv.narrow(2, 0, c).unsqueeze(2);  // [BT, HW, 1, C]
    const at::Tensor k = qkv.narrow(2, c, c).unsqueeze(2);
    const at::Tensor v = qkv.narrow(2, 2 * c, c).unsqueeze(2);
    const at::Tensor attended = attention(q, k, v)  // scale 1/sqrt(C)
                                    .squeeze(2)
                                    .permute({0, 2, 1})
                                    .reshape({bt, c, h, w});
    return videoOf(at::conv2d(attended, projWeight_, projBias_), x.size(0)) + x;
}

Resample::Resample(VAEParameters& parameters, const std::string& prefix, std::int64_t dim,
                   ResampleMode mode)
    : mode_(mode) {
    const bool up = mode == ResampleMode::Upsample2d || mode == ResampleMode::Upsample3d;
    const std::int64_t out = up ? dim / 2 : dim;
    convWeight_ = parameters.take(prefix + ".resample.1.weight", {out, dim, 3, 3});
    convBias_ = parameters.take(prefix + ".resample.1.bias", {out});
    if (mode == ResampleMode::Upsample3d) {
        timeConv_ = CausalConv3d(parameters, prefix + ".time_conv", dim, 2 * dim, {3, 1, 1},
                                 {1, 1, 1}, {1, 0, 0});
    } else if (mode == ResampleMode::Downsample3d) {
        timeConv_ = CausalConv3d(parameters, prefix + ".time_conv", dim, dim, {3, 1, 1}, {2, 1, 1},
                                 {0, 0, 0});
    }
}

at::Tensor Resample::forward(const at::Tensor& x, FeatureCache& cache) const {
    at::Tensor y = mode_ == ResampleMode::Upsample3d ? upsampleInTime(x, cache) : x;
    y = resampleFrames(y);
    return mode_ == ResampleMode::Downsample3d ? downsampleInTime(y, cache) : y;
}

at::Tensor Resample::upsampleInTime(const at::Tensor& x, FeatureCache& cache) const {
    CacheSlot& slot = cache.next();
    if (slot.empty()) {
        // First chunk: no temporal upsampling; the slot becomes the reference's 'Rep'.
        slot.repMarker = true;
        return x;
    }
    // Second chunk (slot 'Rep'): the first chunk is never temporal context, so the
    // time_conv sees zero padding and a single frame is kept as [zero frame, frame].
    at::Tensor history = historyOf(x, slot.repMarker ? at::Tensor() : slot.frames);
    if (slot.repMarker && history.size(2) < kCacheFrames) {
        history = at::cat({at::zeros_like(history), history}, 2);
    }
    const at::Tensor doubled = timeConv_->forward(x, slot.frames);  // [B, 2C, T, H, W]
    slot.frames = std::move(history);
    slot.repMarker = false;
    // Channels [0:C] give frame 2t, [C:2C] frame 2t+1.
    const std::int64_t b = x.size(0);
    const std::int64_t c = x.size(1);
    const std::int64_t t = x.size(2);
    return doubled.view({b, 2, c, t, x.size(3), x.size(4)})
        .permute({0, 2, 3, 1, 4, 5})
        .reshape({b, c, 2 * t, x.size(3), x.size(4)});
}

at::Tensor Resample::downsampleInTime(const at::Tensor& x, FeatureCache& cache) const {
    CacheSlot& slot = cache.next();
    const std::int64_t frames = x.size(2);
    // Only the last frame of a chunk is ever read back (the reference keeps the whole first
    // chunk, then last frames).
    at::Tensor last = x.narrow(2, frames - 1, 1).clone();
    if (!slot.frames.defined()) {
        // First chunk: no temporal downsampling.
        slot.frames = std::move(last);
        return x;
    }
    const at::Tensor previous = slot.frames.narrow(2, slot.frames.size(2) - 1, 1);
    at::Tensor y = timeConv_->forward(at::cat({previous, x}, 2));
    slot.frames = std::move(last);
    return y;
}

at::Tensor Resample::resampleFrames(const at::Tensor& x) const {
    at::Tensor frames = framesOf(x);
    if (mode_ == ResampleMode::Upsample2d || mode_ == ResampleMode::Upsample3d) {
        // nn.Upsample(scale 2, 'nearest-exact') through float32 (the reference's bfloat16
        // fix); for a factor of 2 it picks the same pixels as 'nearest': output i <- i / 2.
        const std::vector<std::int64_t> size = {2 * frames.size(2), 2 * frames.size(3)};
        frames = at::upsample_nearest2d(frames.to(at::kFloat), size).to(x.scalar_type());
        frames = at::conv2d(frames, convWeight_, convBias_, {1, 1}, {1, 1});
    } else {
        // ZeroPad2d((0, 1, 0, 1)): one zero column on the right, one zero row at the bottom.
        frames = at::constant_pad_nd(frames, {0, 1, 0, 1});
        frames = at::conv2d(frames, convWeight_, convBias_, /*stride=*/{2, 2});
    }
    return videoOf(frames, x.size(0));
}

}  // namespace storyreel::infer::wan
