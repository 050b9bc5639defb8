// Ports Decoder3d (wan/modules/vae.py), cached path: upsample3d stages double time from
// the second latent frame on.
#include "core/infer/models/wan/wan_vae_decoder.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace storyreel::infer::wan {

Decoder3d::Decoder3d(VAEParameters& parameters, const WanVAEConfig& config) {
    // dims = dim * [dim_mult[-1], reversed(dim_mult)...]; temporal upsampling mirrors the
    // encoder's downsampling.
    std::vector<std::int64_t> dims = {config.dim * config.dimMult.back()};
    for (auto mult = config.dimMult.rbegin(); mult != config.dimMult.rend(); ++mult) {
        dims.push_back(config.dim * *mult);
    }
    const std::vector<bool> temporalUpsample(config.temperalDownsample.rbegin(),
                                             config.temperalDownsample.rend());
    double scale = std::ldexp(1.0, 2 - static_cast<int>(config.dimMult.size()));  // 1/2^(n-2)
    conv1_ = CausalConv3d::cubic(parameters, "decoder.conv1", config.zDim, dims[0], 3, 1);
    middle_.push_back(
        std::make_unique<ResidualBlock>(parameters, "decoder.middle.0", dims[0], dims[0]));
    middle_.push_back(std::make_unique<AttentionBlock>(parameters, "decoder.middle.1", dims[0]));
    middle_.push_back(
        std::make_unique<ResidualBlock>(parameters, "decoder.middle.2", dims[0], dims[0]));
    std::int64_t out = dims[0];
    // Reach of the upsampling path in latent pixels: a 3x3 convolution at 2^k times the
    // latent resolution sees 1/2^k latent pixel further.
    double reach = 0.0;
    const auto nextName = [&] { return "decoder.upsamples." + std::to_string(upsamples_.size()); };
    for (std::size_t i = 0; i + 1 < dims.size(); ++i) {
        std::int64_t in = dims[i];
        out = dims[i + 1];
        // The reference hard-codes stages 1..3 as taking half their width (the Resample
        // before them halved it).
        if (i == 1 || i == 2 || i == 3) {
            in /= 2;
        }
        const double pixel = std::ldexp(1.0, -static_cast<int>(i));
        reach += 2.0 * static_cast<double>(config.numResBlocks + 1) * pixel;
        for (std::int64_t r = 0; r < config.numResBlocks + 1; ++r) {
            upsamples_.push_back(std::make_unique<ResidualBlock>(parameters, nextName(), in, out));
            if (std::count(config.attnScales.begin(), config.attnScales.end(), scale) > 0) {
                upsamples_.push_back(std::make_unique<AttentionBlock>(parameters, nextName(), out));
            }
            in = out;
        }
        if (i + 1 != config.dimMult.size()) {
            const ResampleMode mode =
                temporalUpsample[i] ? ResampleMode::Upsample3d : ResampleMode::Upsample2d;
            upsamples_.push_back(std::make_unique<Resample>(parameters, nextName(), out, mode));
            scale *= 2.0;
            reach += pixel / 2.0;
        }
    }
    headNorm_ = RMSNorm(parameters, "decoder.head.0", out, /*images=*/false);
    headConv_ = CausalConv3d::cubic(parameters, "decoder.head.2", out, 3, 3, 1);
    reach += std::ldexp(1.0, 1 - static_cast<int>(config.dimMult.size()));
    upsamplingReach_ = static_cast<std::int64_t>(std::ceil(reach));
}

at::Tensor Decoder3d::forward(const at::Tensor& chunk, FeatureCache& cache) const {
    return forwardUpsampling(forwardMiddle(chunk, cache), cache);
}

at::Tensor Decoder3d::forwardMiddle(const at::Tensor& chunk, FeatureCache& cache) const {
    at::Tensor x = conv1_.forwardCached(chunk, cache);
    for (const auto& block : middle_) {
        x = block->forward(x, cache);
    }
    return x;
}

at::Tensor Decoder3d::forwardUpsampling(const at::Tensor& middle, FeatureCache& cache) const {
    at::Tensor x = middle;
    for (const auto& block : upsamples_) {
        x = block->forward(x, cache);
    }
    return headConv_.forwardCached(at::silu(headNorm_.forward(x)), cache);
}

}  // namespace storyreel::infer::wan
