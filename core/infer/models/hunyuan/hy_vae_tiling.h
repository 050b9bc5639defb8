// The HunyuanVideo VAE's tiled encode and decode (hyvideo/vae/autoencoder_kl_causal_3d.py
// spatial_tiled_encode / spatial_tiled_decode / temporal_tiled_encode /
// temporal_tiled_decode), with the reference's exact arithmetic: tiles start every
// int(tile * (1 - overlap)) input units, each output tile is blended in place with its
// already blended upper, left or earlier neighbour over int(output tile * overlap) units by
// linear ramps (blend_v, blend_h, blend_t), then cropped to output tile - blend extent
// (temporal: the first tile keeps one frame more, later tiles drop their first frame before
// blending). The network runs through a callback, so the arithmetic is model-free.
//
//   const HunyuanVAETiles tiles = HunyuanVAETiles::of(config);
//   at::Tensor video = temporalTiledDecode(z, tiles, /*spatial=*/true, decodeTile);
//
// Unlike the reference, which keeps every decoded tile until the end, only the previous row
// (or temporal tile) is kept: the result is the same, the peak memory lower.
//
// Thread-safety: pure functions (the callback decides for itself).
#pragma once

#include "core/infer/models/hunyuan/hy_vae_config.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>

namespace storyreel {
class CancelToken;
}

namespace storyreel::infer::hunyuan {

// The reference's tile_sample_min_size, tile_latent_min_size, tile_sample_min_tsize,
// tile_latent_min_tsize and tile_overlap_factor.
struct HunyuanVAETiles {
    std::int64_t sampleSize = 256;
    std::int64_t latentSize = 32;
    std::int64_t sampleTsize = 64;
    std::int64_t latentTsize = 16;
    double overlapFactor = 0.25;

    static HunyuanVAETiles of(const HunyuanVAEConfig& config);
};

// One tile through the network: [B, C, t, h, w] -> [B, C', t', h', w'].
using VAETileFunction = std::function<at::Tensor(const at::Tensor&)>;

// blend_v / blend_h / blend_t along `dim` (-2, -1, -3): the first e = min(a.size(dim),
// b.size(dim), extent) slices of `b` become a[-e + y] * (1 - y / e) + b[y] * (y / e), in place.
void blendTiles(const at::Tensor& a, const at::Tensor& b, std::int64_t dim, std::int64_t extent);

// spatial_tiled_decode: z [B, C, t, h, w] in latent tiles of tiles.latentSize.
at::Tensor spatialTiledDecode(const at::Tensor& z, const HunyuanVAETiles& tiles,
                              const VAETileFunction& decodeTile,
                              const CancelToken* cancel = nullptr);
// temporal_tiled_decode: z in latent tiles of tiles.latentTsize + 1 frames; each temporal
// tile is spatially tiled when `spatial` is set and it is larger than tiles.latentSize.
at::Tensor temporalTiledDecode(const at::Tensor& z, const HunyuanVAETiles& tiles, bool spatial,
                               const VAETileFunction& decodeTile,
                               const CancelToken* cancel = nullptr);
// spatial_tiled_encode (return_moments): x [B, C, T, H, W] in tiles of tiles.sampleSize;
// `encodeTile` gives the moments (encoder then quant_conv).
at::Tensor spatialTiledEncode(const at::Tensor& x, const HunyuanVAETiles& tiles,
                              const VAETileFunction& encodeTile,
                              const CancelToken* cancel = nullptr);
// temporal_tiled_encode: x in tiles of tiles.sampleTsize + 1 frames, each spatially tiled
// when `spatial` is set and it is larger than tiles.sampleSize.
at::Tensor temporalTiledEncode(const at::Tensor& x, const HunyuanVAETiles& tiles, bool spatial,
                               const VAETileFunction& encodeTile,
                               const CancelToken* cancel = nullptr);

}  // namespace storyreel::infer::hunyuan
