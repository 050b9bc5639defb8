// Ports Encoder3d (wan/modules/vae.py), cached path: every 3x3x3 convolution takes its
// history from the FeatureCache, and the downsample3d stages halve time only from the
// second chunk on.
#include "core/infer/models/wan/wan_vae_encoder.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <string>

namespace storyreel::infer::wan {

Encoder3d::Encoder3d(VAEParameters& parameters, const WanVAEConfig& config) {
    // dims = dim * [1, dim_mult...]; the encoder outputs mean and log-variance (2*z_dim).
    std::vector<std::int64_t> dims = {config.dim};
    for (const std::int64_t mult : config.dimMult) {
        dims.push_back(config.dim * mult);
    }
    conv1_ = CausalConv3d::cubic(parameters, "encoder.conv1", 3, dims[0], 3, 1);
    double scale = 1.0;
    std::int64_t out = dims[0];
    const auto nextName = [&] {
        return "encoder.downsamples." + std::to_string(downsamples_.size());
    };
    for (std::size_t i = 0; i + 1 < dims.size(); ++i) {
        std::int64_t in = dims[i];
        out = dims[i + 1];
        for (std::int64_t r = 0; r < config.numResBlocks; ++r) {
            downsamples_.push_back(
                std::make_unique<ResidualBlock>(parameters, nextName(), in, out));
            if (std::count(config.attnScales.begin(), config.attnScales.end(), scale) > 0) {
                downsamples_.push_back(
                    std::make_unique<AttentionBlock>(parameters, nextName(), out));
            }
            in = out;
        }
        if (i + 1 != config.dimMult.size()) {
            const ResampleMode mode = config.temperalDownsample[i] ? ResampleMode::Downsample3d
                                                                   : ResampleMode::Downsample2d;
            downsamples_.push_back(std::make_unique<Resample>(parameters, nextName(), out, mode));
            scale /= 2.0;
        }
    }
    middle_.push_back(std::make_unique<ResidualBlock>(parameters, "encoder.middle.0", out, out));
    middle_.push_back(std::make_unique<AttentionBlock>(parameters, "encoder.middle.1", out));
    middle_.push_back(std::make_unique<ResidualBlock>(parameters, "encoder.middle.2", out, out));
    headNorm_ = RMSNorm(parameters, "encoder.head.0", out, /*images=*/false);
    headConv_ = CausalConv3d::cubic(parameters, "encoder.head.2", out, 2 * config.zDim, 3, 1);
}

at::Tensor Encoder3d::forward(const at::Tensor& chunk, FeatureCache& cache) const {
    at::Tensor x = conv1_.forwardCached(chunk, cache);
    for (const auto& block : downsamples_) {
        x = block->forward(x, cache);
    }
    for (const auto& block : middle_) {
        x = block->forward(x, cache);
    }
    return headConv_.forwardCached(at::silu(headNorm_.forward(x)), cache);
}

}  // namespace storyreel::infer::wan
