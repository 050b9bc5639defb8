// Weight: a model parameter as model code receives it from the WeightLoader: either dense
// values (an at::Tensor in the model's dtype) or a QuantizedTensor whose GGUF blocks are
// dequantised at use. Layers that take either (QuantizedLinear) hold a Weight.
//
//   Weight w = loader.load("blocks.0.ffn.0.weight");
//   if (w.isQuantized()) log(storageTypeName(w.quantized().type()));
//   at::Tensor values = w.values(x.device(), x.scalar_type());   // dequantised if needed
//
// Thread-safety: a value type sharing its tensors (like at::Tensor).
#pragma once

#include "core/infer/weights/quantized_tensor.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <utility>
#include <variant>
#include <vector>

namespace storyreel::infer {

class Weight {
public:
    Weight() = default;
    // Implicit on purpose: a tensor or a QuantizedTensor is a Weight.
    Weight(at::Tensor dense) : value_(std::move(dense)) {}
    Weight(QuantizedTensor quantized) : value_(std::move(quantized)) {}

    bool isQuantized() const { return std::holds_alternative<QuantizedTensor>(value_); }
    bool defined() const;
    // Throw std::logic_error when the weight is of the other kind.
    const at::Tensor& dense() const;
    const QuantizedTensor& quantized() const;

    std::vector<std::int64_t> shape() const;
    c10::Device device() const;
    // Bytes held: the blocks of a quantised weight, the values of a dense one.
    std::int64_t sizeBytes() const;

    // The values on `device` as `dtype`: a dense weight converted (itself when it already
    // is), a quantised one dequantised there (a new tensor, the caller's to drop).
    at::Tensor values(const c10::Device& device, at::ScalarType dtype) const;
    // The same weight on `device`.
    Weight to(const c10::Device& device, bool nonBlocking = false) const;

private:
    std::variant<at::Tensor, QuantizedTensor> value_;
};

}  // namespace storyreel::infer
