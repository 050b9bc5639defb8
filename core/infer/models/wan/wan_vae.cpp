// Ports the WanVAE wrapper (wan/modules/vae.py): the latent normalisation with its mean
// and 1/std (scale = [mean, 1.0 / std]), the batch of one, .float() and clamp_(-1, 1).
#include "core/infer/models/wan/wan_vae.h"

#include "core/base/user_error.h"
#include "core/infer/registry/checkpoint_file.h"
#include "core/infer/registry/model_family.h"

#include <ATen/ATen.h>

#include <memory>
#include <stdexcept>
#include <string>

namespace storyreel::infer::wan {
namespace {

WanVAEModel buildModel(const WanVAEConfig& config, const InternalView& view,
                       const WeightLoader& loader, VAEPlacement placement) {
    if (config.zDim != static_cast<std::int64_t>(kWanLatentMean.size())) {
        throw UserError::inFile(view.file().path(),
                                "a Wan VAE with z_dim " + std::to_string(config.zDim) +
                                    " has no latent statistics; Storyreel runs the Wan 2.1 VAE "
                                    "(z_dim 16)");
    }
    VAEParameters parameters(view, loader, config.describe(), placement);
    return WanVAEModel(config, parameters);
}

at::Tensor channelView(const at::Tensor& values, const at::Tensor& like) {
    // [16] -> broadcastable over [B, 16, T, h, w] or [16, T, h, w].
    std::vector<std::int64_t> shape(static_cast<std::size_t>(like.dim()), 1);
    shape[static_cast<std::size_t>(like.dim() - 4)] = values.size(0);
    return values.to(like.device(), like.scalar_type()).view(shape);
}

void requireLatent(const at::Tensor& latent, const char* what) {
    if (!latent.defined() || (latent.dim() != 4 && latent.dim() != 5) ||
        latent.size(latent.dim() - 4) != static_cast<std::int64_t>(kWanLatentMean.size())) {
        throw std::invalid_argument(std::string("WanVAE ") + what +
                                    ": expected [16, T, h, w] or [B, 16, T, h, w]");
    }
}

}  // namespace

WanVAE::WanVAE(const WanVAEConfig& config, const InternalView& view, const WeightLoader& loader,
               VAEPlacement placement)
    : model_(buildModel(config, view, loader, placement)),
      mean_(at::tensor(at::ArrayRef<float>(kWanLatentMean.data(), kWanLatentMean.size()))),
      invStd_(at::reciprocal(
          at::tensor(at::ArrayRef<float>(kWanLatentStd.data(), kWanLatentStd.size())))) {}

WanVAE WanVAE::open(const std::filesystem::path& path, const WanVAEConfig& config,
                    VAEPlacement placement) {
    const std::unique_ptr<CheckpointFile> file = openCheckpoint(path);
    const ModelRecognition recognition =
        recogniseModel(file->tensors(), file->metadata(), file->architecture());
    if (recognition.family != ModelFamily::WanVAE) {
        throw UserError::inFile(path, "is not a Wan 2.1 VAE checkpoint (its tensors look like " +
                                          std::string(modelFamilyName(recognition.family)) +
                                          "); choose the Wan VAE "
                                          "file (Wan2.1_VAE.pth)");
    }
    const InternalView view(*file, recognition.family, recognition.layout);
    WeightLoadOptions options;
    options.dtype = placement.dtype;
    options.keepQuantized = false;
    const WeightLoader loader(view, options);
    return WanVAE(config, view, loader, placement);
}

at::Tensor WanVAE::normalise(const at::Tensor& mu) const {
    requireLatent(mu, "normalise");
    return (mu - channelView(mean_, mu)) * channelView(invStd_, mu);
}

at::Tensor WanVAE::denormalise(const at::Tensor& latent) const {
    requireLatent(latent, "denormalise");
    return latent / channelView(invStd_, latent) + channelView(mean_, latent);
}

at::Tensor WanVAE::encode(const at::Tensor& video, const CancelToken* cancel) const {
    if (!video.defined() || video.dim() != 4) {
        throw std::invalid_argument("WanVAE encode: expected one video [3, T, H, W]");
    }
    const at::Tensor mu = model_.encode(video.unsqueeze(0), cancel);
    return normalise(mu).to(at::kFloat).squeeze(0);
}

at::Tensor WanVAE::decode(const at::Tensor& latent, const CancelToken* cancel) const {
    return decodeUnclamped(latent, cancel).clamp_(-1.0, 1.0);
}

at::Tensor WanVAE::decodeUnclamped(const at::Tensor& latent, const CancelToken* cancel) const {
    if (!latent.defined() || latent.dim() != 4) {
        throw std::invalid_argument("WanVAE decode: expected one latent [16, T, h, w]");
    }
    const at::Tensor z =
        latent.unsqueeze(0).to(model_.placement().device, model_.placement().dtype);
    return model_.decode(denormalise(z), cancel).to(at::kFloat).squeeze(0);
}

}  // namespace storyreel::infer::wan
