#include "core/infer/models/hunyuan/hy_final_layer.h"

#include "core/infer/models/hunyuan/hy_modulation.h"

#include <ATen/ATen.h>

#include <vector>

namespace storyreel::infer::hunyuan {

HunyuanFinalLayer::HunyuanFinalLayer(const ModuleWeights& weights, const HunyuanDiTConfig& config) {
    const std::int64_t h = config.hiddenSize;
    linear_ =
        register_module("linear", weights.linear("final_layer.linear", config.finalFeatures(), h));
    auto adaLN = register_module("adaLN_modulation",
                                 std::make_shared<torch::nn::Module>("adaLN_modulation"));
    modulation_ =
        adaLN->register_module("1", weights.linear("final_layer.adaLN_modulation.1", 2 * h, h));
}

at::Tensor HunyuanFinalLayer::forward(const at::Tensor& x, const at::Tensor& vec,
                                      at::ScalarType computeDtype) const {
    // (shift, scale), each [B, 1, hidden].
    const std::vector<at::Tensor> m =
        modulation_->forward(at::silu(vec)).to(at::kFloat).unsqueeze(1).chunk(2, -1);
    const at::Tensor modulated = hunyuanLayerNorm(x) * (1 + m[1]) + m[0];
    return linear_->forward(modulated.to(computeDtype)).to(at::kFloat);
}

}  // namespace storyreel::infer::hunyuan
