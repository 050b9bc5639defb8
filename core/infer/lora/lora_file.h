// LoraFile: a LoRA .safetensors file read for one model: every tensor grouped by the module
// it patches, the module named by the model's own parameter names, and every shape checked
// against the model's, so that a LoRA for another model is refused before anything merges.
//
// Key layouts (detected per file, LoraKey and LoraTargetMatcher do the spelling):
//   kohya / musubi   lora_unet_blocks_0_self_attn_q.lora_down.weight, .lora_up.weight, .alpha
//   ComfyUI          diffusion_model.blocks.0.self_attn.q.lora_down.weight (or no prefix)
//   diffusers / PEFT transformer.blocks.0.self_attn.q.lora_A.weight, .lora_B.weight
//                    (also base_model.model., diffusion_model.; diffusers' Wan module names)
// plus full deltas `.diff` (weight) and `.diff_b` (bias) that lightx2v-style LoRAs carry.
// The low-rank delta of a module is (alpha / rank) * up @ down, alpha defaulting to the rank
// (comfy/weight_adapter/lora.py: scale 1 without alpha).
//
// Unlike ComfyUI, which logs "lora key not loaded" and goes on, a key that patches nothing
// in the model is an error here: a LoRA half applied to the wrong model looks plausible and
// is wrong, and the user cannot see a log line in the middle of a render.
//
//   LoraFile lora("wan_lightx2v_rank64.safetensors", parameterShapes);   // throws UserError
//   for (const LoraModule& m : lora.modules()) use(m.weightName, m.rank);
//
// Thread-safety: immutable after construction; const methods from any thread.
#pragma once

#include "core/infer/lora/lora_target_matcher.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer {

enum class LoraLayout {
    Kohya,     // lora_down / lora_up under an underscore prefix (lora_unet_)
    ComfyUI,   // lora_down / lora_up with dotted module names
    Peft,      // lora_A / lora_B (diffusers, PEFT)
    DiffOnly,  // only .diff / .diff_b
};

// "kohya (lora_unet_ underscore names, lora_down/lora_up)" and the like, for messages.
std::string_view loraLayoutName(LoraLayout layout);

struct LoraModule {
    std::string module;      // the model's module: "blocks.0.self_attn.q"
    std::string sourceName;  // as the file names it: "lora_unet_blocks_0_self_attn_q"
    // The parameters it changes ("" where it changes none): "<module>.weight" (or the
    // parameter "<module>" itself, as Wan's "blocks.0.modulation" for a .diff) and
    // "<module>.bias".
    std::string weightName;
    std::string biasName;
    // The model's shapes of those parameters (empty where the name is).
    std::vector<std::int64_t> weightShape;
    std::vector<std::int64_t> biasShape;

    // Low-rank half, float32 (undefined when the module carries only diffs).
    at::Tensor down;  // [rank, in, kernel...]
    at::Tensor up;    // [out, rank, 1...]
    std::int64_t rank = 0;
    float alpha = 0.0f;  // == rank when the file has no .alpha

    at::Tensor diff;      // full delta of weightName, its shape (undefined when absent)
    at::Tensor diffBias;  // full delta of biasName (.diff_b)
    at::Tensor upBias;    // PEFT lora_B.bias: a bias delta scaled by alpha / rank

    bool hasLowRank() const { return down.defined(); }
    float scale() const { return alpha / static_cast<float>(rank); }
};

class LoraFile {
public:
    // Reads every tensor now (as float32; LoRAs are small). `parameters` are the model's
    // parameter names and shapes. Throws UserError naming the file when a key is not a
    // LoRA tensor, an up or down half is missing, keys match nothing or only part of the
    // model, or a shape does not fit the weight it patches.
    LoraFile(const std::filesystem::path& path, const ParameterShapes& parameters);

    const std::filesystem::path& path() const { return path_; }
    LoraLayout layout() const { return layout_; }
    // Sorted by module.
    const std::vector<LoraModule>& modules() const { return modules_; }
    const LoraModule* find(std::string_view module) const;

private:
    std::filesystem::path path_;
    LoraLayout layout_ = LoraLayout::DiffOnly;
    std::vector<LoraModule> modules_;
};

}  // namespace storyreel::infer
