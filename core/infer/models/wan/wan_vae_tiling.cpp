#include "core/infer/models/wan/wan_vae_tiling.h"

#include "core/base/cancel_token.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace storyreel::infer::wan {

std::optional<VAETiles> vaeTilesFromProfile(const VaeTiling& tiling, std::int64_t spatialFactor) {
    if (!tiling.enabled || tiling.tilePixels <= 0 || spatialFactor <= 0) {
        return std::nullopt;
    }
    VAETiles tiles;
    tiles.tile = std::max<std::int64_t>(1, tiling.tilePixels / spatialFactor);
    const std::int64_t overlap = (tiling.overlapPixels + spatialFactor - 1) / spatialFactor;
    tiles.overlap = std::clamp<std::int64_t>(overlap, 0, tiles.tile - 1);
    return tiles;
}

std::vector<TileSpan> planTileSpans(std::int64_t length, std::int64_t tile, std::int64_t overlap) {
    if (tile < 1 || overlap < 0 || overlap >= tile) {
        throw std::invalid_argument("VAE tiling: need tile > overlap >= 0, got tile " +
                                    std::to_string(tile) + ", overlap " + std::to_string(overlap));
    }
    if (length <= tile) {
        return {{0, length}};
    }
    // The fewest tiles whose stride (at most tile - overlap) reaches the end; starts spread
    // evenly so no tile is a sliver.
    const std::int64_t stride = tile - overlap;
    const std::int64_t count = 1 + (length - tile + stride - 1) / stride;
    std::vector<TileSpan> spans;
    for (std::int64_t i = 0; i < count; ++i) {
        const double start =
            static_cast<double>(i * (length - tile)) / static_cast<double>(count - 1);
        spans.push_back({static_cast<std::int64_t>(std::lround(start)), tile});
    }
    return spans;
}

at::Tensor tileRamp(std::int64_t size, std::int64_t before, std::int64_t after) {
    // Across an overlap of n pixels the weights are (j + 0.5) / n up and (n - j - 0.5) / n
    // down, which sum to 1 for the two tiles sharing it.
    const at::Tensor position = at::arange(size, at::kFloat) + 0.5;
    at::Tensor weight = at::ones({size}, at::kFloat);
    if (before > 0) {
        weight = at::minimum(weight, position / static_cast<double>(before));
    }
    if (after > 0) {
        weight = at::minimum(weight,
                             (static_cast<double>(size) - position) / static_cast<double>(after));
    }
    return weight;
}

namespace {

// The overlaps of span i with its neighbours, in latent units.
std::pair<std::int64_t, std::int64_t> overlapsOf(const std::vector<TileSpan>& spans,
                                                 std::size_t i) {
    const std::int64_t before = i > 0 ? spans[i - 1].start + spans[i - 1].size - spans[i].start : 0;
    const std::int64_t after =
        i + 1 < spans.size() ? spans[i].start + spans[i].size - spans[i + 1].start : 0;
    return {std::max<std::int64_t>(before, 0), std::max<std::int64_t>(after, 0)};
}

}  // namespace

at::Tensor decodeTiled(const WanVAE& vae, const at::Tensor& latent, const VAETiles& tiles,
                       const CancelToken* cancel, bool clamp) {
    if (!latent.defined() || latent.dim() != 4) {
        throw std::invalid_argument("WanVAE tiled decode: expected one latent [16, T, h, w]");
    }
    const std::int64_t height = latent.size(2);
    const std::int64_t width = latent.size(3);
    const std::vector<TileSpan> rows = planTileSpans(height, tiles.tile, tiles.overlap);
    const std::vector<TileSpan> columns = planTileSpans(width, tiles.tile, tiles.overlap);
    if (rows.size() == 1 && columns.size() == 1) {
        return clamp ? vae.decode(latent, cancel).cpu() : vae.decodeUnclamped(latent, cancel).cpu();
    }
    const WanVAEModel& model = vae.model();
    const std::int64_t factor = vae.config().spatialFactor();
    const std::int64_t context =
        std::max<std::int64_t>(0, tiles.context.value_or(model.upsamplingReach()));
    // [1, C, T, h, w]: the whole frames through the latent-resolution part.
    const at::Tensor middle = model.decodeMiddle(
        vae.denormalise(latent.unsqueeze(0).to(model.placement().device, model.placement().dtype)),
        cancel);
    const std::int64_t frames = 1 + 4 * (latent.size(1) - 1);
    // The whole video is summed on the CPU, so the device holds one tile at a time.
    at::Tensor sum = at::zeros({3, frames, height * factor, width * factor}, at::kFloat);
    at::Tensor weightSum = at::zeros({height * factor, width * factor}, at::kFloat);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const TileSpan row = rows[r];
        const auto [top, bottom] = overlapsOf(rows, r);
        const at::Tensor rowWeight = tileRamp(row.size * factor, top * factor, bottom * factor);
        const std::int64_t rowFrom = std::max<std::int64_t>(0, row.start - context);
        const std::int64_t rowTo = std::min(height, row.start + row.size + context);
        for (std::size_t c = 0; c < columns.size(); ++c) {
            if (cancel != nullptr) {
                cancel->throwIfCancelled();
            }
            const TileSpan column = columns[c];
            const auto [left, right] = overlapsOf(columns, c);
            const at::Tensor columnWeight =
                tileRamp(column.size * factor, left * factor, right * factor);
            const std::int64_t columnFrom = std::max<std::int64_t>(0, column.start - context);
            const std::int64_t columnTo = std::min(width, column.start + column.size + context);
            // The tile with its context -> [3, F, ., .], then the context dropped.
            const at::Tensor decoded =
                model
                    .decodeUpsampling(middle.narrow(3, rowFrom, rowTo - rowFrom)
                                          .narrow(4, columnFrom, columnTo - columnFrom),
                                      cancel)
                    .squeeze(0)
                    .narrow(2, (row.start - rowFrom) * factor, row.size * factor)
                    .narrow(3, (column.start - columnFrom) * factor, column.size * factor)
                    .to(at::kCPU, at::kFloat);
            const at::Tensor weight = rowWeight.unsqueeze(1) * columnWeight.unsqueeze(0);
            sum.narrow(2, row.start * factor, row.size * factor)
                .narrow(3, column.start * factor, column.size * factor)
                .add_(decoded * weight);
            weightSum.narrow(0, row.start * factor, row.size * factor)
                .narrow(1, column.start * factor, column.size * factor)
                .add_(weight);
        }
    }
    at::Tensor video = sum / weightSum;
    return clamp ? video.clamp_(-1.0, 1.0) : video;
}

}  // namespace storyreel::infer::wan
