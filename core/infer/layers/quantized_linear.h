// QuantizedLinear: y = x @ W^T + b whose W is either dense or a GGUF QuantizedTensor. A
// quantised W is dequantised on the input's device, in the input's dtype, just before the
// matmul and dropped right after it, so a model holds its blocks plus, at the peak, one
// layer's dequantised weight (ComfyUI-GGUF ops.py GGMLLayer does the same per call).
// LoRAs that were not merged at load (they cannot be merged into blocks) are added at run
// time through LoraStack::applyAtRuntime when setRuntimeLora() is given one.
//
// It is a torch::nn::Module, so block swapping and Module::to move it: the blocks are the
// uint8 buffer "weight", a dense W the parameter "weight". to(dtype) converts dense values
// only; the blocks keep their bytes.
//
//   auto ffn0 = std::make_shared<QuantizedLinear>("blocks.0.ffn.0.weight",
//       loader.load("blocks.0.ffn.0.weight"), loader.loadDense("blocks.0.ffn.0.bias"));
//   ffn0->setRuntimeLora(loras);                  // only for weights the loader kept quantised
//   at::Tensor y = ffn0->forward(x);              // x: [..., in] -> [..., out]
//
// Thread-safety: forward() from one thread at a time per layer (as any torch module).
#pragma once

#include "core/infer/lora/lora_stack.h"
#include "core/infer/weights/weight.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace storyreel::infer {

class QuantizedLinear : public torch::nn::Module {
public:
    // `weightName`: the weight's internal name ("blocks.0.ffn.0.weight"), under which LoRAs
    // patch it. weight: [out, in]; bias: [out] or undefined. Throws std::invalid_argument
    // for other shapes.
    QuantizedLinear(std::string weightName, const Weight& weight, const at::Tensor& bias = {});

    // input: [..., in] -> [..., out], on input's device and in input's dtype. Runs without
    // autograd: a graph would keep the dequantised weight alive.
    at::Tensor forward(const at::Tensor& input) const;

    // LoRAs whose change of this weight is added to the output after the matmul. Give them
    // only when they were not merged into the weight (the loader merges into dense weights).
    void setRuntimeLora(std::shared_ptr<const LoraStack> loras) { loras_ = std::move(loras); }
    // Called by forward() with the weight values it is about to use (instrumentation and
    // tests: what it keeps of them outlives the call).
    void setWeightObserver(std::function<void(const at::Tensor&)> observer) {
        observer_ = std::move(observer);
    }

    const std::string& weightName() const { return weightName_; }
    bool isQuantized() const { return quantizedType_.has_value(); }
    // The weight as it is held now (after any move), sharing its tensors.
    Weight weight() const;
    const at::Tensor& bias() const { return bias_; }
    std::int64_t inFeatures() const { return shape_[1]; }
    std::int64_t outFeatures() const { return shape_[0]; }

    using torch::nn::Module::to;
    void to(torch::Device device, torch::Dtype dtype, bool nonBlocking = false) override;
    void to(torch::Dtype dtype, bool nonBlocking = false) override;

private:
    std::string weightName_;
    at::Tensor weight_;  // dense values, or the blocks of quantizedType_
    std::optional<StorageType> quantizedType_;
    std::vector<std::int64_t> shape_;  // [out, in]
    at::Tensor bias_;
    std::shared_ptr<const LoraStack> loras_;
    std::function<void(const at::Tensor&)> observer_;
};

}  // namespace storyreel::infer
