#include "core/infer/models/wan/encoder_weights.h"

#include "core/base/user_error.h"
#include "core/infer/weights/message_text.h"

namespace storyreel::infer::wan {
namespace {

void checkShape(const std::string& name, const std::vector<std::int64_t>& got,
                const std::vector<std::int64_t>& want) {
    if (got != want) {
        throw UserError("the tensor '" + name + "' has shape " + shapeText(got) +
                        " where the model's configuration needs " + shapeText(want) +
                        ": the file holds another variant of the model");
    }
}

}  // namespace

at::Tensor loadChecked(const WeightLoader& loader, const std::string& name,
                       const std::vector<std::int64_t>& shape) {
    at::Tensor value = loader.loadDense(name);
    checkShape(name, value.sizes().vec(), shape);
    return value;
}

std::shared_ptr<QuantizedLinear> loadLinear(const WeightLoader& loader, const std::string& prefix,
                                            std::int64_t outFeatures, std::int64_t inFeatures,
                                            LinearBias bias) {
    const std::string weightName = prefix + ".weight";
    const Weight weight = loader.load(weightName);
    checkShape(weightName, weight.shape(), {outFeatures, inFeatures});
    at::Tensor biasValue;
    if (bias == LinearBias::Present) {
        biasValue = loadChecked(loader, prefix + ".bias", {outFeatures});
    }
    auto layer = std::make_shared<QuantizedLinear>(weightName, weight, biasValue);
    if (loader.needsRuntimeLora(weightName, weight)) {
        layer->setRuntimeLora(loader.options().loras);
    }
    return layer;
}

}  // namespace storyreel::infer::wan
