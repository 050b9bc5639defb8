#include "core/infer/models/hunyuan/hy_rope.h"

#include "core/base/user_error.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace storyreel::infer::hunyuan {
namespace {

// The 884 VAE (the only one HunyuanVideo-I2V ships): 4x in time (causal: 4k+1 frames to
// k+1 latents), 8x in space.
constexpr std::int64_t kTemporalCompression = 4;
constexpr std::int64_t kSpatialCompression = 8;
constexpr std::int64_t kRiflexFrames = 192;  // above this inference.py applies RIFLEx
constexpr double kPi = 3.14159265358979323846;

std::string shapeOf(const at::Tensor& tensor) {
    std::string text = "[";
    for (std::int64_t dim = 0; dim < tensor.dim(); ++dim) {
        text += (dim ? ", " : "") + std::to_string(tensor.size(dim));
    }
    return text + "]";
}

// get_1d_rotary_pos_embed(dim, pos, theta, use_real=True) in float32: the angles
// pos * theta^(-arange(0, dim, 2)/dim), cos and sin each repeated twice -> [S, dim].
std::pair<at::Tensor, at::Tensor> axisTables(std::int64_t dim, const at::Tensor& positions,
                                             double theta, const std::optional<double>& riflexFreq,
                                             std::int64_t riflexIndex) {
    const at::Tensor exponents =
        at::arange(0, dim, 2, at::kLong).narrow(0, 0, dim / 2).to(at::kFloat) /
        static_cast<double>(dim);
    at::Tensor freqs = 1.0 / at::pow(theta, exponents);  // float32 as the reference
    if (riflexFreq) {
        freqs[riflexIndex].fill_(*riflexFreq);
    }
    const at::Tensor angles = at::outer(positions, freqs);  // [S, dim/2]
    return {angles.cos().repeat_interleave(2, 1), angles.sin().repeat_interleave(2, 1)};
}

}  // namespace

std::optional<HunyuanRiflex> hunyuanRiflex(std::int64_t videoFrames, std::int64_t latentFrames) {
    if (videoFrames <= kRiflexFrames) {
        return std::nullopt;
    }
    constexpr std::int64_t kTrainLatents = 25;  // L_train
    HunyuanRiflex riflex;
    riflex.k = std::clamp<std::int64_t>(2 + (videoFrames + 3) / (4 * kTrainLatents), 4, 8);
    riflex.latentFrames = latentFrames;
    return riflex;
}

std::array<std::int64_t, 3> hunyuanRopeGrid(const HunyuanDiTConfig& config,
                                            std::int64_t videoFrames, std::int64_t height,
                                            std::int64_t width) {
    if (videoFrames <= 0 || height <= 0 || width <= 0) {
        throw UserError("HunyuanVideo RoPE: the video size " + std::to_string(videoFrames) +
                        " frames x " + std::to_string(height) + " x " + std::to_string(width) +
                        " px must be positive");
    }
    const std::array<std::int64_t, 3> latents = {(videoFrames - 1) / kTemporalCompression + 1,
                                                 height / kSpatialCompression,
                                                 width / kSpatialCompression};
    std::array<std::int64_t, 3> grid{};
    for (int axis = 0; axis < 3; ++axis) {
        const std::int64_t patch = config.patchSize[axis];
        if (latents[axis] == 0 || latents[axis] % patch != 0) {
            static const char* const kAxes[] = {"latent frames", "latent rows", "latent columns"};
            throw UserError("HunyuanVideo RoPE: " + std::to_string(latents[axis]) + " " +
                            kAxes[axis] + " (of " + std::to_string(videoFrames) + " frames x " +
                            std::to_string(height) + " x " + std::to_string(width) +
                            " px) are not a positive multiple of the patch size " +
                            std::to_string(patch) + "; height and width must be multiples of " +
                            std::to_string(kSpatialCompression * config.patchSize[1]));
        }
        grid[axis] = latents[axis] / patch;
    }
    return grid;
}

HunyuanRotaryTables hunyuanRotaryTables(const std::array<std::int64_t, 3>& ropeDimList,
                                        const std::array<std::int64_t, 3>& grid, double theta,
                                        const std::optional<HunyuanRiflex>& riflex) {
    // meshgrid(indexing="ij") of 0..n-1 per axis: token (t, h, w) at t*H*W + h*W + w. The
    // reference's linspace(0, n, n+1)[:n] and arange give the same exact integers.
    const auto options = at::TensorOptions().dtype(at::kFloat);
    const std::vector<at::Tensor> axes = at::meshgrid(
        {at::arange(grid[0], options), at::arange(grid[1], options), at::arange(grid[2], options)},
        "ij");
    std::vector<at::Tensor> cos;
    std::vector<at::Tensor> sin;
    for (int axis = 0; axis < 3; ++axis) {
        std::optional<double> riflexFreq;
        std::int64_t riflexIndex = 0;
        if (axis == 0 && riflex) {
            riflexIndex = riflex->k - 1;
            if (riflexIndex >= ropeDimList[0] / 2) {
                throw std::invalid_argument("HunyuanVideo RoPE: RIFLEx k " +
                                            std::to_string(riflex->k) +
                                            " exceeds the temporal frequencies");
            }
            riflexFreq = 0.9 * 2.0 * kPi / static_cast<double>(riflex->latentFrames);
        }
        auto [c, s] =
            axisTables(ropeDimList[axis], axes[axis].reshape({-1}), theta, riflexFreq, riflexIndex);
        cos.push_back(std::move(c));
        sin.push_back(std::move(s));
    }
    return {at::cat(cos, 1), at::cat(sin, 1)};
}

HunyuanRotaryTables hunyuanRotaryTables(const HunyuanDiTConfig& config, std::int64_t videoFrames,
                                        std::int64_t height, std::int64_t width) {
    const std::array<std::int64_t, 3> grid = hunyuanRopeGrid(config, videoFrames, height, width);
    return hunyuanRotaryTables(config.ropeDimList, grid, config.ropeTheta,
                               hunyuanRiflex(videoFrames, grid[0]));
}

at::Tensor applyHunyuanRope(const at::Tensor& x, const at::Tensor& cos, const at::Tensor& sin) {
    if (x.dim() != 4 || cos.dim() != 2 || cos.sizes() != sin.sizes() || cos.size(0) != x.size(1) ||
        cos.size(1) != x.size(3) || x.size(3) % 2 != 0) {
        throw std::invalid_argument("HunyuanVideo RoPE: tables " + shapeOf(cos) + " and " +
                                    shapeOf(sin) + " do not fit x " + shapeOf(x) +
                                    " ([B, S, H, D] with tables [S, D], D even)");
    }
    const at::Tensor xf = x.to(at::kFloat);
    const at::Tensor c = cos.to(x.device(), at::kFloat).unsqueeze(1);  // [S, 1, D]
    const at::Tensor s = sin.to(x.device(), at::kFloat).unsqueeze(1);
    const std::vector<at::Tensor> pairs =
        xf.reshape({x.size(0), x.size(1), x.size(2), x.size(3) / 2, 2}).unbind(-1);
    const at::Tensor rotated = at::stack({-pairs[1], pairs[0]}, -1).flatten(3);
    return (xf * c + rotated * s).to(x.scalar_type());
}

}  // namespace storyreel::infer::hunyuan
