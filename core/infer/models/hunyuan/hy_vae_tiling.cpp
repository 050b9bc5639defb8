// Ports AutoencoderKLCausal3D's blend_v / blend_h / blend_t and its four tiled paths
// (hyvideo/vae/autoencoder_kl_causal_3d.py).
#include "core/infer/models/hunyuan/hy_vae_tiling.h"

#include "core/base/cancel_token.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <vector>

namespace storyreel::infer::hunyuan {
namespace {

void checkCancel(const CancelToken* cancel) {
    if (cancel != nullptr) {
        cancel->throwIfCancelled();
    }
}

// int(size * factor) as Python computes it (a float product, truncated).
std::int64_t truncatedProduct(std::int64_t size, double factor) {
    return static_cast<std::int64_t>(static_cast<double>(size) * factor);
}

// The first min(limit, size) slices along `dim` (Python's [:limit]).
at::Tensor head(const at::Tensor& x, std::int64_t dim, std::int64_t limit) {
    return x.narrow(dim, 0, std::clamp<std::int64_t>(limit, 0, x.size(dim)));
}

// x[..., start:start + size] along `dim`, clamped to the end as Python slicing is.
at::Tensor slice(const at::Tensor& x, std::int64_t dim, std::int64_t start, std::int64_t size) {
    return x.narrow(dim, start, std::min(size, x.size(dim) - start));
}

// The shared body of spatial_tiled_encode and spatial_tiled_decode: input tiles of `inTile`
// starting every int(inTile * (1 - f)), output tiles blended over int(outTile * f) and cropped
// to outTile minus that.
at::Tensor spatialTiled(const at::Tensor& x, std::int64_t inTile, std::int64_t outTile,
                        double overlapFactor, const VAETileFunction& run,
                        const CancelToken* cancel) {
    const std::int64_t stride = truncatedProduct(inTile, 1.0 - overlapFactor);
    const std::int64_t blendExtent = truncatedProduct(outTile, overlapFactor);
    const std::int64_t limit = outTile - blendExtent;
    const std::int64_t height = x.size(-2);
    const std::int64_t width = x.size(-1);
    std::vector<at::Tensor> previousRow;
    std::vector<at::Tensor> resultRows;
    for (std::int64_t i = 0; i < height; i += std::max<std::int64_t>(stride, 1)) {
        std::vector<at::Tensor> row;
        for (std::int64_t j = 0; j < width; j += std::max<std::int64_t>(stride, 1)) {
            checkCancel(cancel);
            at::Tensor tile = run(slice(slice(x, -2, i, inTile), -1, j, inTile));
            // The neighbours above and to the left, already blended themselves.
            if (!previousRow.empty()) {
                blendTiles(previousRow[row.size()], tile, -2, blendExtent);
            }
            if (!row.empty()) {
                blendTiles(row.back(), tile, -1, blendExtent);
            }
            row.push_back(std::move(tile));
        }
        std::vector<at::Tensor> crops;
        crops.reserve(row.size());
        for (const at::Tensor& tile : row) {
            crops.push_back(head(head(tile, -2, limit), -1, limit));
        }
        resultRows.push_back(at::cat(crops, -1));
        previousRow = std::move(row);
    }
    return at::cat(resultRows, -2);
}

// The shared body of temporal_tiled_encode and temporal_tiled_decode: input tiles of
// inTile + 1 frames starting every int(inTile * (1 - f)); every tile but the first drops its
// first output frame and is blended with the previous one over int(outTile * f) frames; the
// first keeps outTile - extent + 1 frames, the others outTile - extent.
at::Tensor temporalTiled(const at::Tensor& x, std::int64_t inTile, std::int64_t outTile,
                         double overlapFactor, const VAETileFunction& run,
                         const CancelToken* cancel) {
    const std::int64_t stride = truncatedProduct(inTile, 1.0 - overlapFactor);
    const std::int64_t blendExtent = truncatedProduct(outTile, overlapFactor);
    const std::int64_t limit = outTile - blendExtent;
    const std::int64_t frames = x.size(2);
    at::Tensor previous;
    std::vector<at::Tensor> result;
    for (std::int64_t i = 0; i < frames; i += std::max<std::int64_t>(stride, 1)) {
        checkCancel(cancel);
        at::Tensor tile = run(slice(x, 2, i, inTile + 1));
        if (i > 0) {
            tile = tile.narrow(2, 1, tile.size(2) - 1);
            blendTiles(previous, tile, -3, blendExtent);
            result.push_back(head(tile, 2, limit));
        } else {
            result.push_back(head(tile, 2, limit + 1));
        }
        previous = std::move(tile);
    }
    return at::cat(result, 2);
}

}  // namespace

HunyuanVAETiles HunyuanVAETiles::of(const HunyuanVAEConfig& config) {
    HunyuanVAETiles tiles;
    tiles.sampleSize = config.tileSampleMinSize();
    tiles.latentSize = config.tileLatentMinSize();
    tiles.sampleTsize = config.tileSampleMinTsize();
    tiles.latentTsize = config.tileLatentMinTsize();
    tiles.overlapFactor = config.tileOverlapFactor;
    return tiles;
}

void blendTiles(const at::Tensor& a, const at::Tensor& b, std::int64_t dim, std::int64_t extent) {
    extent = std::min({a.size(dim), b.size(dim), extent});
    const std::int64_t aSize = a.size(dim);
    for (std::int64_t y = 0; y < extent; ++y) {
        const double ratio = static_cast<double>(y) / static_cast<double>(extent);
        const at::Tensor target = b.select(dim, y);
        target.copy_(a.select(dim, aSize - extent + y) * (1.0 - ratio) + target * ratio);
    }
}

at::Tensor spatialTiledDecode(const at::Tensor& z, const HunyuanVAETiles& tiles,
                              const VAETileFunction& decodeTile, const CancelToken* cancel) {
    return spatialTiled(z, tiles.latentSize, tiles.sampleSize, tiles.overlapFactor, decodeTile,
                        cancel);
}

at::Tensor temporalTiledDecode(const at::Tensor& z, const HunyuanVAETiles& tiles, bool spatial,
                               const VAETileFunction& decodeTile, const CancelToken* cancel) {
    const VAETileFunction run = [&](const at::Tensor& tile) {
        if (spatial && (tile.size(-1) > tiles.latentSize || tile.size(-2) > tiles.latentSize)) {
            return spatialTiledDecode(tile, tiles, decodeTile, cancel);
        }
        return decodeTile(tile);
    };
    return temporalTiled(z, tiles.latentTsize, tiles.sampleTsize, tiles.overlapFactor, run, cancel);
}

at::Tensor spatialTiledEncode(const at::Tensor& x, const HunyuanVAETiles& tiles,
                              const VAETileFunction& encodeTile, const CancelToken* cancel) {
    return spatialTiled(x, tiles.sampleSize, tiles.latentSize, tiles.overlapFactor, encodeTile,
                        cancel);
}

at::Tensor temporalTiledEncode(const at::Tensor& x, const HunyuanVAETiles& tiles, bool spatial,
                               const VAETileFunction& encodeTile, const CancelToken* cancel) {
    const VAETileFunction run = [&](const at::Tensor& tile) {
        if (spatial && (tile.size(-1) > tiles.sampleSize || tile.size(-2) > tiles.sampleSize)) {
            return spatialTiledEncode(tile, tiles, encodeTile, cancel);
        }
        return encodeTile(tile);
    };
    return temporalTiled(x, tiles.sampleTsize, tiles.latentTsize, tiles.overlapFactor, run, cancel);
}

}  // namespace storyreel::infer::hunyuan
