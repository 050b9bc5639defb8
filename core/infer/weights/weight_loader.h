// WeightLoader: where model code gets its parameters, by internal name, whatever the
// checkpoint's container and layout. A GGUF tensor stored in a block type (Q4_K, Q8_0, ...)
// comes back as a QuantizedTensor when the memory profile keeps GGUF quantised, to be
// dequantised per layer at use (QuantizedLinear); everything else comes back dense in the
// model's dtype: safetensors and .pth values, scaled fp8 multiplied by its scale, GGUF blocks
// when the profile dequantises at load. LoRAs are merged into dense weights here, once, in
// float32 before the conversion to the dtype; a quantised weight cannot take them, so its
// layer adds them at run time (needsRuntimeLora()).
//
//   const WeightLoader loader(view, weightLoadOptions(profile, loras));
//   Weight q = loader.load("blocks.0.self_attn.q.weight");       // QuantizedTensor or dense
//   at::Tensor b = loader.loadDense("blocks.0.self_attn.q.bias");
//   if (loader.needsRuntimeLora("blocks.0.self_attn.q.weight", q)) layer->setRuntimeLora(loras);
//
// Thread-safety: const methods from any thread as far as the view's file allows (it does).
#pragma once

#include "core/infer/lora/lora_stack.h"
#include "core/infer/memory/memory_profile.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/weights/weight.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>

#include <memory>
#include <optional>
#include <string_view>

namespace storyreel::infer {

struct WeightLoadOptions {
    // The dtype of dense weights. nullopt keeps the stored one: F32, F16 and BF16 stay what
    // they are; fp8 (which LibTorch 1.13 has no dtype for) and GGUF blocks dequantised at
    // load become bfloat16.
    std::optional<at::ScalarType> dtype;
    // GGUF block-quantised tensors stay quantised (MemoryProfile::keepGgufQuantized).
    bool keepQuantized = true;
    // Merged into dense weights at load; left to the layer for quantised ones.
    std::shared_ptr<const LoraStack> loras;
};

// The options a memory profile implies: its weight dtype (AsStored: nullopt) and whether
// GGUF stays quantised.
WeightLoadOptions weightLoadOptions(const MemoryProfile& profile,
                                    std::shared_ptr<const LoraStack> loras = {});

class WeightLoader {
public:
    // Keeps a reference to `view` (and so to its file), which must outlive the loader.
    explicit WeightLoader(const InternalView& view, WeightLoadOptions options = {});

    const WeightLoadOptions& options() const { return options_; }

    // The parameter on the CPU: a QuantizedTensor when it is one GGUF block-quantised file
    // tensor (renamed or reshaped, not concatenated), keepQuantized is set and no LoRA must
    // be merged into it (a LoRA on a 2-D quantised weight runs at run time; on any other
    // shape it is merged, so that weight is dequantised at load); otherwise dense values
    // with LoRAs merged. Throws UserError naming the file for an unknown name.
    Weight load(std::string_view internalName) const;
    // Always dense (biases, norms, convolutions, modulation); `dtype` overrides the options.
    at::Tensor loadDense(std::string_view internalName,
                         std::optional<at::ScalarType> dtype = std::nullopt) const;
    // True when `weight`, loaded for `internalName`, is quantised and a LoRA changes it: its
    // layer must add the LoRA at run time (QuantizedLinear::setRuntimeLora).
    bool needsRuntimeLora(std::string_view internalName, const Weight& weight) const;

private:
    at::ScalarType denseDtype(std::string_view internalName) const;

    const InternalView& view_;
    WeightLoadOptions options_;
};

}  // namespace storyreel::infer
