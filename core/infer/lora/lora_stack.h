// LoraStack: several LoRAs applied to one model, each with a strength. The change of a
// parameter is the sum over the LoRAs of
//     strength * (alpha / rank) * (up @ down)  reshaped to the weight   (low-rank half)
//   + strength * diff                                                   (.diff / .diff_b)
//   + strength * (alpha / rank) * lora_B.bias                           (PEFT bias)
// as ComfyUI computes it (comfy/lora.py calculate_weight, weight_adapter/lora.py).
//
// Two ways to apply it:
//   - Merge at load, for unquantised weights (float32, float16, bfloat16, fp8 upcast by the
//     reader): mergeInto() adds delta() in float32 and casts back to the weight's dtype,
//     once; the layer then runs at no extra cost. Biases and norm weights always take this
//     path.
//   - Apply at run time, for quantised weights (GGUF Q4_K and friends), which are never
//     dequantised to merge: the linear layer runs on its quantised weight and then calls
//     applyAtRuntime(), which adds strength * scale * (input @ down^T) @ up^T (and
//     strength * input @ diff^T) to its output. It costs two thin matmuls per layer and LoRA.
//
//   LoraStack loras;
//   loras.add(LoraFile("style.safetensors", shapes), 0.8f);
//   loras.add(LoraFile("lightx2v.safetensors", shapes), 1.0f);
//   loras.mergeInto("blocks.0.norm3.weight", weight);            // unquantised: merge
//   at::Tensor y = quantisedLinear(x);                           // quantised: run time
//   loras.applyAtRuntime("blocks.0.ffn.0.weight", x, y);
//
// Thread-safety: const methods from any thread; add() and moveTo() before sharing.
#pragma once

#include "core/infer/lora/lora_file.h"

#include <ATen/core/Tensor.h>
#include <c10/core/TensorOptions.h>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

class LoraStack {
public:
    // Keeps the file's modules (their tensors are shared, not copied).
    void add(const LoraFile& lora, float strength);

    bool empty() const { return entries_.empty(); }
    // True when some LoRA changes the parameter.
    bool affects(std::string_view parameterName) const;
    // Every parameter some LoRA changes, sorted.
    std::vector<std::string> affectedParameters() const;

    // The summed change of the parameter, float32, in its shape, on the device the factors
    // are on; undefined when no LoRA changes it.
    at::Tensor delta(std::string_view parameterName) const;

    // weight := (float32(weight) + delta) cast back to weight's dtype, on weight's device.
    // Returns false (weight untouched) when no LoRA changes it. Throws UserError when
    // weight's shape is not the one the LoRAs were checked against.
    bool mergeInto(std::string_view parameterName, at::Tensor& weight) const;

    // For a linear layer y = x @ W^T (+ b) whose W = `weightName` is not merged:
    // output += sum strength * scale * (input @ down^T) @ up^T (+ strength * input @ diff^T),
    // computed in input's dtype. input: [..., in], output: [..., out]. Does nothing when no
    // LoRA changes the weight. Throws UserError for a convolution's weight (merge those).
    void applyAtRuntime(std::string_view weightName, const at::Tensor& input,
                        at::Tensor& output) const;

    // Moves every factor to `options` (device and dtype) once, so that applyAtRuntime does
    // not copy them on every call. delta() and mergeInto() still compute in float32.
    void moveTo(const at::TensorOptions& options);

private:
    struct Entry {
        std::filesystem::path file;
        float strength = 1.0f;
        std::vector<LoraModule> modules;
    };
    // Which module of which entry changes a parameter, and whether as its weight.
    struct Use {
        std::size_t entry = 0;
        std::size_t module = 0;
        bool asWeight = true;
    };

    const std::vector<Use>* usesOf(std::string_view parameterName) const;

    std::vector<Entry> entries_;
    std::map<std::string, std::vector<Use>, std::less<>> uses_;
    std::map<std::string, std::vector<std::int64_t>, std::less<>> shapes_;
};

}  // namespace storyreel::infer
