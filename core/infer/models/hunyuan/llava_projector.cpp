#include "core/infer/models/hunyuan/llava_projector.h"

#include <ATen/ATen.h>

namespace storyreel::infer::hunyuan {

LlavaProjector::LlavaProjector(const ModuleWeights& weights, const std::string& prefix,
                               std::int64_t visionHidden, std::int64_t textHidden) {
    linear1_ =
        register_module("linear_1", weights.linear(prefix + "linear_1", textHidden, visionHidden));
    linear2_ =
        register_module("linear_2", weights.linear(prefix + "linear_2", textHidden, textHidden));
}

at::Tensor LlavaProjector::forward(const at::Tensor& features) const {
    return linear2_->forward(at::gelu(linear1_->forward(features)));
}

}  // namespace storyreel::infer::hunyuan
