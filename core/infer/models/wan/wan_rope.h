// Wan 2.1's positional signals (wan/modules/model.py): the 3-D rotary embedding of the
// self-attention (rope_params, rope_apply) and the sinusoidal timestep embedding
// (sinusoidal_embedding_1d). Both compute in float64 as the reference does.
//
//   const WanRope rope(headDim);                          // tables for 1024 positions per axis
//   const WanRopeTables tables = rope.prepare(gridSizes, device);   // once per forward pass
//   at::Tensor q = rope.apply(q, tables);                 // [B, L, heads, headDim] -> float32
//   at::Tensor s = sinusoidalEmbedding1d(256, t);         // [B] -> [B, 256] float64
//
// Thread-safety: WanRope is immutable after construction; functions are pure.
#pragma once

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <vector>

namespace storyreel::infer::wan {

// rope_params: the angles pos * theta^(-2k/dim) for pos < maxSeqLen, k < dim/2, as float64
// [maxSeqLen, dim/2] (the reference keeps exp(i angle) as complex128; cos and sin of these
// angles are the same numbers).
at::Tensor ropeAngles(std::int64_t maxSeqLen, std::int64_t dim, double theta = 10000.0);

// sinusoidal_embedding_1d: [cos(t w_k) | sin(t w_k)] with w_k = 10000^(-k/(dim/2)), float64
// [N, dim] for positions [N] (any numeric dtype).
at::Tensor sinusoidalEmbedding1d(std::int64_t dim, const at::Tensor& position);

// cos and sin of the rotation angles of every token of each item's grid, on one device:
// what every self-attention of a forward pass shares.
struct WanRopeTables {
    std::vector<std::int64_t> lengths;  // F*H*W per item
    std::vector<at::Tensor> cos, sin;   // per item [F*H*W, 1, headDim/2] float64
    // cos + i sin, complex128: one complex multiply rotates every pair, as the reference's
    // rope_apply does (three passes over x instead of about nine).
    std::vector<at::Tensor> rotation;
};

class WanRope {
public:
    // The released tables hold 1024 positions per axis (WanModel.freqs).
    static constexpr std::int64_t kMaxPositions = 1024;

    // headDim = dim / num_heads (even). The c = headDim/2 complex pairs are split over
    // (frame, row, column) as (c - 2*(c//3), c//3, c//3): (22, 21, 21) for head_dim 128.
    explicit WanRope(std::int64_t headDim, std::int64_t maxPositions = kMaxPositions,
                     double theta = 10000.0);

    std::int64_t headDim() const { return headDim_; }
    // Pairs per axis (frame, row, column).
    std::int64_t framePairs() const { return framePairs_; }
    std::int64_t spatialPairs() const { return spatialPairs_; }

    // The tables for gridSizes [B, 3] integer (F, H, W) per item. Throws
    // std::invalid_argument for a grid larger than the tables.
    WanRopeTables prepare(const at::Tensor& gridSizes, const c10::Device& device) const;

    // rope_apply: x [B, L, heads, headDim]. The first F*H*W tokens of item b are rotated,
    // channels (2j, 2j+1) being the (real, imaginary) parts of pair j; the rest (padding)
    // passes through. Computed in float64 (in slices of tokens, so the float64 copy of a
    // 75,600-token x never exists whole), returned as float32 like the reference. Throws
    // std::invalid_argument when the grids hold more than L tokens. `sliceBytes`: the most
    // float64 bytes of x converted at a time.
    at::Tensor apply(const at::Tensor& x, const WanRopeTables& tables,
                     std::int64_t sliceBytes = std::int64_t{64} << 20) const;
    at::Tensor apply(const at::Tensor& x, const at::Tensor& gridSizes) const {
        return apply(x, prepare(gridSizes, x.device()));
    }

private:
    std::int64_t headDim_;
    std::int64_t maxPositions_;
    std::int64_t framePairs_;
    std::int64_t spatialPairs_;
    at::Tensor frameAngles_;    // [maxPositions, framePairs] float64
    at::Tensor spatialAngles_;  // [maxPositions, spatialPairs] float64 (rows and columns)
};

}  // namespace storyreel::infer::wan
