#include "core/infer/weights/weight.h"

#include <ATen/ATen.h>

#include <stdexcept>

namespace storyreel::infer {

bool Weight::defined() const {
    return isQuantized() ? quantized().defined() : dense().defined();
}

const at::Tensor& Weight::dense() const {
    if (const at::Tensor* tensor = std::get_if<at::Tensor>(&value_)) {
        return *tensor;
    }
    throw std::logic_error("Weight::dense() on a quantised weight");
}

const QuantizedTensor& Weight::quantized() const {
    if (const QuantizedTensor* tensor = std::get_if<QuantizedTensor>(&value_)) {
        return *tensor;
    }
    throw std::logic_error("Weight::quantized() on a dense weight");
}

std::vector<std::int64_t> Weight::shape() const {
    return isQuantized() ? quantized().shape() : dense().sizes().vec();
}

c10::Device Weight::device() const {
    return isQuantized() ? quantized().device() : dense().device();
}

std::int64_t Weight::sizeBytes() const {
    if (isQuantized()) {
        return quantized().sizeBytes();
    }
    return static_cast<std::int64_t>(dense().nbytes());
}

at::Tensor Weight::values(const c10::Device& device, at::ScalarType dtype) const {
    if (isQuantized()) {
        return quantized().dequantize(device, dtype);
    }
    return dense().to(device, dtype);
}

Weight Weight::to(const c10::Device& device, bool nonBlocking) const {
    if (isQuantized()) {
        return quantized().to(device, nonBlocking);
    }
    return dense().to(device, dense().scalar_type(), nonBlocking);
}

}  // namespace storyreel::infer
