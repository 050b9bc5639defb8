// The Wan VAE's basic layers (wan/modules/vae.py): the feature cache that carries frames
// between the chunks of a chunked encode or decode, CausalConv3d and RMS_norm.
//
//   FeatureCache cache;                       // one per encode/decode call
//   cache.beginChunk();                       // before each chunk of frames
//   at::Tensor y = conv.forwardCached(x, cache);   // x: [B, C, T, H, W]
//
// Thread-safety: layers are immutable after loading (forward from any thread); a
// FeatureCache belongs to one call.
#pragma once

#include "core/infer/models/wan/wan_vae_parameters.h"

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace storyreel::infer::wan {

// Frames a causal 3x3x3 convolution keeps of its input for the next chunk (CACHE_T).
inline constexpr std::int64_t kCacheFrames = 2;

// One cached layer's history between chunks: nothing yet (the first chunk), the frames
// kept, or the reference's 'Rep' marker an upsample3d sets on its first chunk.
struct CacheSlot {
    at::Tensor frames;
    bool repMarker = false;
    bool empty() const { return !frames.defined() && !repMarker; }
};

// The reference's feat_cache list and feat_idx cursor: each cached layer takes the next
// slot in call order, which is the same in every chunk.
class FeatureCache {
public:
    void beginChunk() { cursor_ = 0; }
    CacheSlot& next();

private:
    std::vector<CacheSlot> slots_;
    std::size_t cursor_ = 0;
};

// The last kCacheFrames frames of `x` ([B, C, T, H, W]) to keep for the next chunk; when x
// has a single frame, the last frame of the previous history goes in front of it (when there
// was one). A copy, so the chunk's activations can be freed.
at::Tensor historyOf(const at::Tensor& x, const at::Tensor& previous);

// nn.Conv3d whose temporal padding is 2*p_t frames in front only (none after), spatial
// padding symmetric; history frames from a cache replace that many of the zero frames.
class CausalConv3d {
public:
    using Triple = std::array<std::int64_t, 3>;  // (t, h, w)

    CausalConv3d() = default;
    // Takes PREFIX.weight [out, in, kt, kh, kw] and PREFIX.bias [out].
    CausalConv3d(VAEParameters& parameters, const std::string& prefix, std::int64_t in,
                 std::int64_t out, Triple kernel, Triple stride, Triple padding);
    // A cubic kernel `k` with padding `p` on every axis, stride 1 (the reference's
    // CausalConv3d(in, out, k, padding=p)).
    static CausalConv3d cubic(VAEParameters& parameters, const std::string& prefix, std::int64_t in,
                              std::int64_t out, std::int64_t kernel, std::int64_t padding);

    // x: [B, in, T, H, W]; history: [B, in, <= 2*p_t, H, W] or undefined.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& history = {}) const;
    // forward() with the next slot of `cache` as history; the slot then keeps historyOf(x).
    at::Tensor forwardCached(const at::Tensor& x, FeatureCache& cache) const;

private:
    at::Tensor weight_;
    at::Tensor bias_;
    Triple stride_{1, 1, 1};
    Triple padding_{0, 0, 0};
};

// x / max(||x||_2 over channels, 1e-12) * sqrt(C) * gamma (F.normalize, no bias).
class RMSNorm {
public:
    RMSNorm() = default;
    // Takes PREFIX.gamma: [C, 1, 1, 1] for videos ([B, C, T, H, W]), [C, 1, 1] for images.
    RMSNorm(VAEParameters& parameters, const std::string& prefix, std::int64_t channels,
            bool images);

    at::Tensor forward(const at::Tensor& x) const;

private:
    at::Tensor gamma_;
    double scale_ = 1.0;
};

}  // namespace storyreel::infer::wan
