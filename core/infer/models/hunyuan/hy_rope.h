// HunyuanVideo's 3-axis rotary position embedding: the cos/sin tables that
// hyvideo/inference.py HunyuanVideoSampler.get_rotary_pos_embed computes for a video of
// `videoFrames` x `height` x `width` pixels (the 884 VAE's 4x temporal and 8x spatial
// compression, then the DiT's patch; RIFLEx over 192 frames), and apply_rotary_emb
// (posemb_layers.py) on adjacent channel pairs. Computed in float32 as the reference does.
//
//   const HunyuanRotaryTables rope = hunyuanRotaryTables(config, 129, 720, 1280);
//   at::Tensor q = applyHunyuanRope(q, rope.cos, rope.sin);   // [B, S, H, D], S = tokens
//
// Thread-safety: pure functions.
#pragma once

#include "core/infer/models/hunyuan/hy_dit_config.h"

#include <ATen/core/Tensor.h>

#include <array>
#include <cstdint>
#include <optional>

namespace storyreel::infer::hunyuan {

// [tokens, head_dim] float32 each (CPU); tokens in (t, h, w) order, t-major; along the last
// dim the t, h and w axes' rope_dim_list channels, each frequency repeated twice
// ([c0, c0, c1, c1, ...]).
struct HunyuanRotaryTables {
    at::Tensor cos, sin;
};

// RIFLEx (inference.py, pftq 2025-03-16): above 192 frames the temporal frequency k-1 is
// replaced by 0.9 * 2 * pi / L (L: latent frames), k = clamp(2 + (frames + 3) // 100, 4, 8).
struct HunyuanRiflex {
    std::int64_t k = 4;
    std::int64_t latentFrames = 1;  // L_test
};
// nullopt when videoFrames <= 192.
std::optional<HunyuanRiflex> hunyuanRiflex(std::int64_t videoFrames, std::int64_t latentFrames);

// The token grid (latent frames / pt, rows / ph, columns / pw) of a video in pixels, as
// get_rotary_pos_embed computes it. Throws UserError when a latent size is not a multiple
// of the patch (height and width must be multiples of 16 for the released model) or a
// size is not positive.
std::array<std::int64_t, 3> hunyuanRopeGrid(const HunyuanDiTConfig& config,
                                            std::int64_t videoFrames, std::int64_t height,
                                            std::int64_t width);

// get_nd_rotary_pos_embed(rope_dim_list, grid, theta, use_real=True), or with `riflex` the
// RIFLEx branch of get_rotary_pos_embed.
HunyuanRotaryTables hunyuanRotaryTables(const std::array<std::int64_t, 3>& ropeDimList,
                                        const std::array<std::int64_t, 3>& grid, double theta,
                                        const std::optional<HunyuanRiflex>& riflex = std::nullopt);

// HunyuanVideoSampler.get_rotary_pos_embed(video_length, height, width) for this model.
HunyuanRotaryTables hunyuanRotaryTables(const HunyuanDiTConfig& config, std::int64_t videoFrames,
                                        std::int64_t height, std::int64_t width);

// apply_rotary_emb(head_first=False) on one tensor: x [B, S, H, D], cos/sin [S, D].
// out = x * cos + rotate_half(x) * sin in float32 with rotate_half(x)[2i] = -x[2i+1],
// rotate_half(x)[2i+1] = x[2i]; returned in x's dtype. Throws std::invalid_argument for
// tables of another shape.
at::Tensor applyHunyuanRope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin);

}  // namespace storyreel::infer::hunyuan
