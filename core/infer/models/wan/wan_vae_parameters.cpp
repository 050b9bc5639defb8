#include "core/infer/models/wan/wan_vae_parameters.h"

#include "core/base/user_error.h"
#include "core/infer/weights/message_text.h"

#include <ATen/ATen.h>

#include <utility>

namespace storyreel::infer::wan {
VAEParameters::VAEParameters(const InternalView& view, const WeightLoader& loader,
                             std::string model, VAEPlacement placement)
    : view_(view), loader_(loader), model_(std::move(model)), placement_(placement) {}

at::Tensor VAEParameters::take(const std::string& name, const std::vector<std::int64_t>& shape) {
    const std::filesystem::path& file = view_.file().path();
    if (!view_.contains(name)) {
        throw UserError::inFile(file, "the Wan VAE tensor '" + name +
                                          "' is missing; a Wan 2.1 VAE (" + model_ +
                                          ") needs it. Is this the Wan 2.1 VAE checkpoint?");
    }
    const std::vector<std::int64_t> stored = view_.shape(name);
    if (stored != shape) {
        throw UserError::inFile(file, "the Wan VAE tensor '" + name + "' has shape " +
                                          shapeText(stored) + ", but a Wan 2.1 VAE (" + model_ +
                                          ") needs " + shapeText(shape) +
                                          ". The file holds another model or configuration.");
    }
    taken_.insert(name);
    return loader_.loadDense(name, placement_.dtype).to(placement_.device).contiguous();
}

void VAEParameters::requireAllTaken() const {
    std::vector<std::string> unused;
    for (const std::string& name : view_.names()) {
        if (taken_.count(name) == 0) {
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
    throw UserError::inFile(view_.file().path(),
                            std::to_string(unused.size()) + " tensor(s) that a Wan 2.1 VAE (" +
                                model_ + ") does not have: " + list +
                                ". The file holds another model or configuration.");
}

}  // namespace storyreel::infer::wan
