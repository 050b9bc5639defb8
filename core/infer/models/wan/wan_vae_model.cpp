// Ports WanVAE_.encode / decode (wan/modules/vae.py): the chunk loop around Encoder3d and
// Decoder3d with one feature cache per call (the reference's clear_cache before and after).
#include "core/infer/models/wan/wan_vae_model.h"

#include "core/base/cancel_token.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace storyreel::infer::wan {
namespace {

void requireVideo(const at::Tensor& x, std::int64_t channels, const char* what) {
    if (!x.defined() || x.dim() != 5 || x.size(1) != channels || x.size(2) < 1) {
        throw std::invalid_argument(
            std::string("Wan VAE ") + what + ": expected [B, " + std::to_string(channels) +
            ", T, H, W] with T >= 1, got " +
            (x.defined() ? std::to_string(x.dim()) + "-D tensor" : std::string("no tensor")));
    }
}

void checkCancel(const CancelToken* cancel) {
    if (cancel != nullptr) {
        cancel->throwIfCancelled();
    }
}

}  // namespace

WanVAEModel::WanVAEModel(const WanVAEConfig& config, VAEParameters& parameters)
    : config_(config),
      placement_(parameters.placement()),
      encoder_(parameters, config),
      conv1_(CausalConv3d::cubic(parameters, "conv1", 2 * config.zDim, 2 * config.zDim, 1, 0)),
      conv2_(CausalConv3d::cubic(parameters, "conv2", config.zDim, config.zDim, 1, 0)),
      decoder_(parameters, config) {
    parameters.requireAllTaken();
}

at::Tensor WanVAEModel::encode(const at::Tensor& video, const CancelToken* cancel) const {
    requireVideo(video, 3, "encode");
    const at::NoGradGuard noGrad;
    const at::Tensor x = video.to(placement_.device, placement_.dtype);
    const std::int64_t chunks = 1 + (x.size(2) - 1) / 4;
    FeatureCache cache;
    std::vector<at::Tensor> outputs;
    for (std::int64_t i = 0; i < chunks; ++i) {
        checkCancel(cancel);
        cache.beginChunk();
        // Chunks of frames [0], [1..4], [5..8], ...
        const at::Tensor chunk = i == 0 ? x.narrow(2, 0, 1) : x.narrow(2, 1 + 4 * (i - 1), 4);
        outputs.push_back(encoder_.forward(chunk, cache));
    }
    // conv1 splits into mean and log-variance; only the mean is used.
    return conv1_.forward(at::cat(outputs, 2)).narrow(1, 0, config_.zDim).contiguous();
}

at::Tensor WanVAEModel::decode(const at::Tensor& z, const CancelToken* cancel) const {
    requireVideo(z, config_.zDim, "decode");
    const at::NoGradGuard noGrad;
    const at::Tensor x = conv2_.forward(z.to(placement_.device, placement_.dtype));
    FeatureCache cache;
    std::vector<at::Tensor> outputs;
    for (std::int64_t t = 0; t < x.size(2); ++t) {
        checkCancel(cancel);
        cache.beginChunk();
        outputs.push_back(decoder_.forward(x.narrow(2, t, 1), cache));
    }
    return at::cat(outputs, 2);
}

at::Tensor WanVAEModel::decodeMiddle(const at::Tensor& z, const CancelToken* cancel) const {
    requireVideo(z, config_.zDim, "decode");
    const at::NoGradGuard noGrad;
    const at::Tensor x = conv2_.forward(z.to(placement_.device, placement_.dtype));
    FeatureCache cache;
    std::vector<at::Tensor> outputs;
    for (std::int64_t t = 0; t < x.size(2); ++t) {
        checkCancel(cancel);
        cache.beginChunk();
        outputs.push_back(decoder_.forwardMiddle(x.narrow(2, t, 1), cache));
    }
    return at::cat(outputs, 2);
}

at::Tensor WanVAEModel::decodeUpsampling(const at::Tensor& middle,
                                         const CancelToken* cancel) const {
    const at::NoGradGuard noGrad;
    const at::Tensor x = middle.to(placement_.device, placement_.dtype);
    FeatureCache cache;
    std::vector<at::Tensor> outputs;
    for (std::int64_t t = 0; t < x.size(2); ++t) {
        checkCancel(cancel);
        cache.beginChunk();
        outputs.push_back(decoder_.forwardUpsampling(x.narrow(2, t, 1), cache));
    }
    return at::cat(outputs, 2);
}

}  // namespace storyreel::infer::wan
