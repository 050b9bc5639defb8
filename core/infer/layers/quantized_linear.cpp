#include "core/infer/layers/quantized_linear.h"

#include <ATen/ATen.h>
#include <ATen/core/grad_mode.h>

#include <stdexcept>
#include <utility>

namespace storyreel::infer {

QuantizedLinear::QuantizedLinear(std::string weightName, const Weight& weight,
                                 const at::Tensor& bias)
    : weightName_(std::move(weightName)), shape_(weight.shape()) {
    if (shape_.size() != 2) {
        throw std::invalid_argument("QuantizedLinear " + weightName_ +
                                    ": the weight must be [out, in]");
    }
    if (bias.defined() && (bias.dim() != 1 || bias.size(0) != shape_[0])) {
        throw std::invalid_argument("QuantizedLinear " + weightName_ + ": the bias must be [out]");
    }
    if (weight.isQuantized()) {
        quantizedType_ = weight.quantized().type();
        weight_ = register_buffer("weight", weight.quantized().raw());
    } else {
        weight_ = register_parameter("weight", weight.dense(), /*requires_grad=*/false);
    }
    if (bias.defined()) {
        bias_ = register_parameter("bias", bias, /*requires_grad=*/false);
    }
}

Weight QuantizedLinear::weight() const {
    if (quantizedType_) {
        return QuantizedTensor(weight_, *quantizedType_, shape_);
    }
    return weight_;
}

at::Tensor QuantizedLinear::forward(const at::Tensor& input) const {
    const at::NoGradGuard noGrad;
    const c10::Device device = input.device();
    const at::ScalarType dtype = input.scalar_type();
    at::Tensor values = weight().values(device, dtype);
    if (observer_) {
        observer_(values);
    }
    const at::Tensor bias = bias_.defined() ? bias_.to(device, dtype) : at::Tensor();
    at::Tensor output = at::linear(input, values, bias);
    values.reset();  // the dequantised layer goes now, before the LoRA's matmuls
    if (loras_) {
        loras_->applyAtRuntime(weightName_, input, output);
    }
    return output;
}

void QuantizedLinear::to(torch::Device device, torch::Dtype dtype, bool nonBlocking) {
    to(device, nonBlocking);
    to(dtype, nonBlocking);
}

void QuantizedLinear::to(torch::Dtype dtype, bool nonBlocking) {
    // Parameters are the dense values; the blocks (a buffer) keep their bytes.
    for (auto& parameter : named_parameters(/*recurse=*/false)) {
        parameter.value().set_data(parameter.value().to(dtype, nonBlocking));
    }
}

}  // namespace storyreel::infer
