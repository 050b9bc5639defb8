#include "core/infer/layers/module_weights.h"

#include "core/base/user_error.h"
#include "core/infer/weights/message_text.h"

#include <utility>

namespace storyreel::infer {

ModuleWeights::ModuleWeights(const InternalView& view, WeightLoadOptions options, std::string model,
                             std::string configuration)
    : view_(view),
      loader_(view, std::move(options)),
      model_(std::move(model)),
      configuration_(std::move(configuration)) {}

void ModuleWeights::require(const std::string& name, const std::vector<std::int64_t>& shape) const {
    if (!view_.contains(name)) {
        throw UserError::inFile(view_.file().path(),
                                "the " + model_ + " tensor \"" + name + "\" " + shapeText(shape) +
                                    " is missing (configuration: " + configuration_ +
                                    "); the file is incomplete or holds another model or variant");
    }
    const std::vector<std::int64_t> stored = view_.shape(name);
    if (stored != shape) {
        throw UserError::inFile(view_.file().path(),
                                "the " + model_ + " tensor \"" + name + "\" has shape " +
                                    shapeText(stored) + ", but the configuration (" +
                                    configuration_ + ") needs " + shapeText(shape) +
                                    "; the file holds another variant of the model");
    }
}

std::shared_ptr<QuantizedLinear> ModuleWeights::linear(const std::string& prefix,
                                                       std::int64_t outFeatures,
                                                       std::int64_t inFeatures,
                                                       bool withBias) const {
    const std::string weightName = prefix + ".weight";
    require(weightName, {outFeatures, inFeatures});
    const Weight weight = loader_.load(weightName);
    const at::Tensor bias = withBias ? dense(prefix + ".bias", {outFeatures}) : at::Tensor();
    auto layer = std::make_shared<QuantizedLinear>(weightName, weight, bias);
    if (loader_.needsRuntimeLora(weightName, weight)) {
        layer->setRuntimeLora(loader_.options().loras);
    }
    return layer;
}

at::Tensor ModuleWeights::dense(const std::string& name, const std::vector<std::int64_t>& shape,
                                std::optional<at::ScalarType> dtype) const {
    require(name, shape);
    return loader_.loadDense(name, dtype);
}

}  // namespace storyreel::infer
