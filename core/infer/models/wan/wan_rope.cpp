#include "core/infer/models/wan/wan_rope.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace storyreel::infer::wan {

at::Tensor ropeAngles(std::int64_t maxSeqLen, std::int64_t dim, double theta) {
    // wan/modules/model.py rope_params: outer(arange(max_seq_len), 1 / theta^(arange(0, dim,
    // 2) / dim)) in float64.
    const auto f64 = at::TensorOptions().dtype(at::kDouble);
    const at::Tensor exponents = at::arange(0, dim, 2, f64).div(static_cast<double>(dim));
    const at::Tensor inverse = at::pow(theta, exponents).reciprocal();
    return at::outer(at::arange(maxSeqLen, f64), inverse);
}

at::Tensor sinusoidalEmbedding1d(std::int64_t dim, const at::Tensor& position) {
    if (dim % 2 != 0) {
        throw std::invalid_argument("sinusoidalEmbedding1d: dim must be even");
    }
    const std::int64_t half = dim / 2;
    const at::Tensor p = position.to(at::kDouble).reshape({-1});
    // 10000^(-arange(half)/half), as the reference's torch.pow(10000, -k.div(half)).
    const at::Tensor k = at::arange(half, p.options()).div(static_cast<double>(half));
    const at::Tensor sinusoid = at::outer(p, at::pow(10000.0, -k));
    return at::cat({at::cos(sinusoid), at::sin(sinusoid)}, 1);
}

WanRope::WanRope(std::int64_t headDim, std::int64_t maxPositions, double theta)
    : headDim_(headDim), maxPositions_(maxPositions) {
    if (headDim <= 0 || headDim % 2 != 0) {
        throw std::invalid_argument("WanRope: head_dim must be positive and even");
    }
    const std::int64_t pairs = headDim / 2;
    spatialPairs_ = pairs / 3;
    framePairs_ = pairs - 2 * spatialPairs_;
    // WanModel.__init__: rope_params(1024, d - 4*(d//6)), rope_params(1024, 2*(d//6)) twice;
    // d//6 == c//3, so these are the split sizes rope_apply uses.
    frameAngles_ = ropeAngles(maxPositions, 2 * framePairs_, theta);
    spatialAngles_ = ropeAngles(maxPositions, 2 * spatialPairs_, theta);
}

WanRopeTables WanRope::prepare(const at::Tensor& gridSizes, const c10::Device& device) const {
    const at::Tensor grids = gridSizes.to(at::kCPU, at::kLong).contiguous();
    if (grids.dim() != 2 || grids.size(1) != 3) {
        throw std::invalid_argument("WanRope: grid sizes must be [B, 3]");
    }
    WanRopeTables tables;
    const auto* grid = grids.data_ptr<std::int64_t>();
    for (std::int64_t b = 0; b < grids.size(0); ++b) {
        const std::int64_t f = grid[3 * b];
        const std::int64_t h = grid[3 * b + 1];
        const std::int64_t w = grid[3 * b + 2];
        if (f < 0 || h < 0 || w < 0 || f > maxPositions_ || h > maxPositions_ ||
            w > maxPositions_) {
            throw std::invalid_argument("WanRope: grid (" + std::to_string(f) + ", " +
                                        std::to_string(h) + ", " + std::to_string(w) +
                                        ") exceeds the " + std::to_string(maxPositions_) +
                                        " positions per axis");
        }
        // The reference's freqs_i: frame, row and column angles side by side per token.
        const at::Tensor frame =
            frameAngles_.narrow(0, 0, f).view({f, 1, 1, -1}).expand({f, h, w, framePairs_});
        const at::Tensor row =
            spatialAngles_.narrow(0, 0, h).view({1, h, 1, -1}).expand({f, h, w, spatialPairs_});
        const at::Tensor column =
            spatialAngles_.narrow(0, 0, w).view({1, 1, w, -1}).expand({f, h, w, spatialPairs_});
        const at::Tensor angles =
            at::cat({frame, row, column}, -1).reshape({f * h * w, 1, -1}).to(device);
        tables.lengths.push_back(f * h * w);
        tables.cos.push_back(angles.cos());
        tables.sin.push_back(angles.sin());
        tables.rotation.push_back(at::complex(tables.cos.back(), tables.sin.back()));
    }
    return tables;
}

at::Tensor WanRope::apply(const at::Tensor& x, const WanRopeTables& tables,
                          std::int64_t sliceBytes) const {
    if (x.dim() != 4 || x.size(3) != headDim_ ||
        x.size(0) != static_cast<std::int64_t>(tables.lengths.size())) {
        throw std::invalid_argument("WanRope::apply: x must be [B, L, heads, " +
                                    std::to_string(headDim_) + "] with one grid per item");
    }
    const std::int64_t tokens = x.size(1);
    const std::int64_t heads = x.size(2);
    const std::int64_t pairs = headDim_ / 2;
    const std::int64_t slice = std::max<std::int64_t>(1, sliceBytes / (heads * headDim_ * 8));
    at::Tensor out = at::empty(x.sizes(), x.options().dtype(at::kFloat));
    for (std::int64_t b = 0; b < x.size(0); ++b) {
        const std::int64_t length = tables.lengths[b];
        if (length > tokens) {
            throw std::invalid_argument("WanRope::apply: a grid of " + std::to_string(length) +
                                        " tokens for " + std::to_string(tokens) + " tokens");
        }
        for (std::int64_t t0 = 0; t0 < length; t0 += slice) {
            const std::int64_t n = std::min(slice, length - t0);
            // [n, heads, pairs, 2] float64: (re, im) * (cos + i sin), element by element.
            const at::Tensor xi =
                x[b].narrow(0, t0, n).to(at::kDouble).contiguous().view({n, heads, pairs, 2});
            const at::Tensor rotated =
                at::view_as_real(at::view_as_complex(xi) * tables.rotation[b].narrow(0, t0, n));
            out[b].narrow(0, t0, n).copy_(rotated.view({n, heads, headDim_}));
        }
        if (length < tokens) {
            out[b]
                .narrow(0, length, tokens - length)
                .copy_(x[b].narrow(0, length, tokens - length));
        }
    }
    return out;
}

}  // namespace storyreel::infer::wan
