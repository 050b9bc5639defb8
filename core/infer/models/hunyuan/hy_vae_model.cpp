// Ports AutoencoderKLCausal3D.encode / _decode / decode and DiagonalGaussianDistribution's
// mean and clamped logvar (hyvideo/vae/autoencoder_kl_causal_3d.py, vae.py), and load_vae's
// strict state_dict (hyvideo/vae/__init__.py).
#include "core/infer/models/hunyuan/hy_vae_model.h"

#include "core/base/cancel_token.h"
#include "core/base/user_error.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/registry/model_family.h"
#include "core/infer/weights/message_text.h"

#include <ATen/ATen.h>

#include <memory>
#include <string>
#include <utility>

namespace storyreel::infer::hunyuan {
namespace {

void requireRank5(const at::Tensor& x, const char* what, const char* layout,
                  std::int64_t channels) {
    if (!x.defined() || x.dim() != 5 || x.size(1) != channels) {
        const std::string got = x.defined() ? shapeText(x.sizes()) : std::string("nothing");
        throw UserError(std::string("HunyuanVideo VAE ") + what + ": expected " + layout +
                        " with " + std::to_string(channels) + " channels, got " + got);
    }
    for (std::int64_t d = 2; d < 5; ++d) {
        if (x.size(d) < 1) {
            throw UserError(std::string("HunyuanVideo VAE ") + what + ": got an empty tensor " +
                            shapeText(x.sizes()));
        }
    }
}

void checkCancel(const CancelToken* cancel) {
    if (cancel != nullptr) {
        cancel->throwIfCancelled();
    }
}

}  // namespace

HunyuanVAE::HunyuanVAE(HunyuanVAEConfig config, const ModuleWeights& weights,
                       HunyuanVAEPlacement placement)
    : HunyuanVAE(std::move(config), HunyuanVAEParameters(weights, placement)) {}

HunyuanVAE::HunyuanVAE(HunyuanVAEConfig config, HunyuanVAEParameters&& parameters)
    : config_(std::move(config)),
      placement_(parameters.placement()),
      encoder_(config_, parameters),
      decoder_(config_, parameters),
      quantWeight_(parameters.take(
          "quant_conv.weight", {2 * config_.latentChannels, 2 * config_.latentChannels, 1, 1, 1})),
      quantBias_(parameters.take("quant_conv.bias", {2 * config_.latentChannels})),
      postQuantWeight_(parameters.take("post_quant_conv.weight",
                                       {config_.latentChannels, config_.latentChannels, 1, 1, 1})),
      postQuantBias_(parameters.take("post_quant_conv.bias", {config_.latentChannels})),
      tiles_(HunyuanVAETiles::of(config_)) {
    parameters.requireAllTaken();
}

HunyuanVAE HunyuanVAE::open(const std::filesystem::path& path, const HunyuanVAEConfig& config,
                            HunyuanVAEPlacement placement) {
    const std::unique_ptr<CheckpointFile> file = openCheckpoint(path);
    const ModelRecognition recognition =
        recogniseModel(file->tensors(), file->metadata(), file->architecture());
    if (recognition.family != ModelFamily::HunyuanVAE) {
        throw UserError::inFile(path,
                                "is not a HunyuanVideo VAE checkpoint (its tensors look "
                                "like " +
                                    std::string(modelFamilyName(recognition.family)) +
                                    "); choose the HunyuanVideo VAE file "
                                    "(hunyuan-video-i2v-720p/vae/pytorch_model.pt)");
    }
    const InternalView view(*file, recognition.family, recognition.layout);
    WeightLoadOptions options;
    options.keepQuantized = false;
    const ModuleWeights weights(view, options, "HunyuanVideo VAE", config.describe());
    return HunyuanVAE(config, weights, placement);
}

void HunyuanVAE::setTiling(bool enabled) {
    spatialTiling_ = enabled;
    temporalTiling_ = enabled;
}

at::Tensor HunyuanVAE::encodeMoments(const at::Tensor& x) const {
    return at::conv3d(encoder_.forward(x), quantWeight_, quantBias_);
}

at::Tensor HunyuanVAE::decodeLatents(const at::Tensor& z) const {
    return decoder_.forward(at::conv3d(z, postQuantWeight_, postQuantBias_));
}

HunyuanLatentDist HunyuanVAE::encode(const at::Tensor& video, const CancelToken* cancel) const {
    requireRank5(video, "encode", "a video [B, C, T, H, W]", config_.inChannels);
    const std::int64_t frames = video.size(2);
    const std::int64_t perLatent = config_.temporalFactor();
    if ((frames - 1) % perLatent != 0) {
        throw UserError("HunyuanVideo VAE encode: the video has " + std::to_string(frames) +
                        " frames; the causal VAE encodes 1 + " + std::to_string(perLatent) +
                        "k frames (1, " + std::to_string(1 + perLatent) + ", " +
                        std::to_string(1 + 2 * perLatent) + ", ...)");
    }
    checkCancel(cancel);
    const at::NoGradGuard noGrad;
    const at::Tensor x = video.to(placement_.device, placement_.dtype);
    const VAETileFunction encodeTile = [this](const at::Tensor& tile) {
        return encodeMoments(tile);
    };
    at::Tensor moments;
    if (temporalTiling_ && frames > tiles_.sampleTsize) {
        moments = temporalTiledEncode(x, tiles_, spatialTiling_, encodeTile, cancel);
    } else if (spatialTiling_ &&
               (x.size(-1) > tiles_.sampleSize || x.size(-2) > tiles_.sampleSize)) {
        moments = spatialTiledEncode(x, tiles_, encodeTile, cancel);
    } else {
        moments = encodeMoments(x);
    }
    const std::int64_t latent = config_.latentChannels;
    HunyuanLatentDist dist;
    dist.mean = moments.narrow(1, 0, latent).to(at::kFloat).contiguous();
    dist.logvar = moments.narrow(1, latent, latent).clamp(-30.0, 20.0).to(at::kFloat).contiguous();
    return dist;
}

at::Tensor HunyuanVAE::decode(const at::Tensor& z, const CancelToken* cancel) const {
    requireRank5(z, "decode", "latents [B, C, t, h, w]", config_.latentChannels);
    checkCancel(cancel);
    const at::NoGradGuard noGrad;
    const at::Tensor latents = z.to(placement_.device, placement_.dtype);
    const VAETileFunction decodeTile = [this](const at::Tensor& tile) {
        return decodeLatents(tile);
    };
    at::Tensor video;
    if (temporalTiling_ && latents.size(2) > tiles_.latentTsize) {
        video = temporalTiledDecode(latents, tiles_, spatialTiling_, decodeTile, cancel);
    } else if (spatialTiling_ &&
               (latents.size(-1) > tiles_.latentSize || latents.size(-2) > tiles_.latentSize)) {
        video = spatialTiledDecode(latents, tiles_, decodeTile, cancel);
    } else {
        video = decodeLatents(latents);
    }
    return video.to(at::kFloat);
}

}  // namespace storyreel::infer::hunyuan
