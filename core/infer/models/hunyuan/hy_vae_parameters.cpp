#include "core/infer/models/hunyuan/hy_vae_parameters.h"

#include "core/base/user_error.h"

#include <ATen/ATen.h>

namespace storyreel::infer::hunyuan {

HunyuanVAEParameters::HunyuanVAEParameters(const ModuleWeights& weights,
                                           HunyuanVAEPlacement placement)
    : weights_(weights), placement_(placement) {}

at::Tensor HunyuanVAEParameters::take(const std::string& name,
                                      const std::vector<std::int64_t>& shape) {
    // Loaded in float32 and converted once, so a bf16 or fp16 file gives the same values as
    // the reference's .to(dtype).
    at::Tensor tensor = weights_.dense(name, shape, at::kFloat);
    taken_.insert(name);
    return tensor.to(placement_.device, placement_.dtype).contiguous();
}

at::Tensor HunyuanVAEParameters::takeFloat(const std::string& name,
                                           const std::vector<std::int64_t>& shape) {
    at::Tensor tensor = weights_.dense(name, shape, at::kFloat);
    taken_.insert(name);
    return tensor.to(placement_.device, at::kFloat).contiguous();
}

void HunyuanVAEParameters::requireAllTaken() const {
    std::vector<std::string> unused;
    for (const std::string& name : weights_.view().names()) {
        // Only the VAE's own modules count: load_vae keeps the "vae." entries of a training
        // checkpoint and drops the rest, which the registry may leave under other names.
        const bool vaeModule = name.rfind("encoder.", 0) == 0 || name.rfind("decoder.", 0) == 0 ||
                               name.rfind("quant_conv.", 0) == 0 ||
                               name.rfind("post_quant_conv.", 0) == 0;
        if (vaeModule && taken_.count(name) == 0) {
            unused.push_back(name);
        }
    }
    if (unused.empty()) {
        return;
    }
    std::string list;
    for (std::size_t i = 0; i < unused.size() && i < 3; ++i) {
        list += (i ? ", '" : "'") + unused[i] + "'";
    }
    if (unused.size() > 3) {
        list += " and " + std::to_string(unused.size() - 3) + " more";
    }
    throw UserError::inFile(weights_.view().file().path(),
                            std::to_string(unused.size()) +
                                " tensor(s) that a HunyuanVideo VAE with this configuration does "
                                "not have: " +
                                list + ". The file holds another model or configuration.");
}

}  // namespace storyreel::infer::hunyuan
