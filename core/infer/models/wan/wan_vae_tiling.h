// Spatially tiled decoding for the Wan VAE, so a decode of many frames fits a small GPU.
// The latent-resolution part of the decoder (conv2, decoder.conv1, decoder.middle) runs on
// whole frames: it is small, and its AttentionBlock mixes every position of a frame, so no
// tile could reproduce it. The upsampling stages, where the memory goes (full-resolution
// activations), run tile by tile (all frames of a tile, chunk by chunk, with its own
// feature cache) on the tile plus `context` latent pixels around it, which are decoded and
// dropped so the tile's own pixels see their real neighbours; tiles are then blended with
// linear ramps across their overlaps. With the full context (the decoder's reach, 13 latent
// pixels when released) the result is the untiled decode up to rounding; less context
// trades accuracy at the seams for memory.
//
//   const auto tiles = vaeTilesFromProfile(profile.vaeTiling, vae.config().spatialFactor());
//   at::Tensor frames = tiles ? decodeTiled(vae, latent, *tiles) : vae.decode(latent);
//
// Thread-safety: pure functions over an immutable WanVAE.
#pragma once

#include "core/infer/memory/memory_profile.h"
#include "core/infer/models/wan/wan_vae.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <optional>
#include <vector>

namespace storyreel {
class CancelToken;
}

namespace storyreel::infer::wan {

// Tile side and minimum overlap between neighbours, in latent units (1 = 8 pixels), and the
// context decoded around each tile and dropped (nullopt: the decoder's full reach, exact).
struct VAETiles {
    std::int64_t tile = 64;
    std::int64_t overlap = 8;
    std::optional<std::int64_t> context;
};

// The profile's pixel sizes in latent units (the overlap rounded up; full context), or
// nullopt when the profile decodes whole frames.
std::optional<VAETiles> vaeTilesFromProfile(const VaeTiling& tiling, std::int64_t spatialFactor);

struct TileSpan {
    std::int64_t start = 0;
    std::int64_t size = 0;
};

// Tiles of side min(tile, length) covering [0, length), spread evenly so that neighbours
// share at least `overlap`. Throws std::invalid_argument unless tile > overlap >= 0.
std::vector<TileSpan> planTileSpans(std::int64_t length, std::int64_t tile, std::int64_t overlap);

// Blend weights of one tile along one axis: `size` pixels, ramping up across the first
// `before` pixels (the overlap with the previous tile) and down across the last `after`.
at::Tensor tileRamp(std::int64_t size, std::int64_t before, std::int64_t after);

// WanVAE::decode of `latent` ([16, T, h, w]) tile by tile: [3, 1 + 4(T-1), 8h, 8w] float32
// on the CPU, clamped to [-1, 1] unless `clamp` is false. A latent that fits one tile is
// decoded whole. Checks `cancel` between tiles and latent frames.
at::Tensor decodeTiled(const WanVAE& vae, const at::Tensor& latent, const VAETiles& tiles,
                       const CancelToken* cancel = nullptr, bool clamp = true);

}  // namespace storyreel::infer::wan
