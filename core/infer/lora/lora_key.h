// LoraKey: one tensor name of a LoRA file split into its prefix, the module it patches (as
// the file spells it) and its role. Ported from the key patterns that ComfyUI accepts
// (comfy/lora.py load_lora, comfy/weight_adapter/lora.py LoRAAdapter.load) and that
// diffusers converts (loaders/lora_conversion_utils.py, the Wan and HunyuanVideo converters).
//
//   std::optional<LoraKey> key = parseLoraKey("lora_unet_blocks_0_self_attn_q.lora_up.weight");
//   // key->prefix == "lora_unet_", key->module == "blocks_0_self_attn_q",
//   // key->role == LoraKeyRole::Up, key->isUnderscoreForm() == true
//
// Thread-safety: pure functions and value types.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace storyreel::infer {

enum class LoraKeyRole {
    Down,      // `.lora_down.weight` or `.lora_A.weight`: [rank, in, kernel...]
    Up,        // `.lora_up.weight` or `.lora_B.weight`: [out, rank, 1...]
    Alpha,     // `.alpha`: a scalar; the low-rank product is scaled by alpha / rank
    Diff,      // `.diff`: a full delta of the module's weight
    DiffBias,  // `.diff_b`: a full delta of the module's bias
    UpBias,    // `.lora_B.bias` (PEFT lora_bias): a bias delta scaled like the product
};

// How the down/up halves are named, which tells the tool that wrote the file.
enum class LoraHalfNaming {
    None,    // alpha, diff, diff_b
    DownUp,  // lora_down / lora_up: kohya and ComfyUI
    LoraAB,  // lora_A / lora_B: diffusers and PEFT
};

struct LoraKey {
    std::string prefix;  // "lora_unet_", "diffusion_model.", "transformer.", ... or ""
    std::string module;  // "blocks_0_self_attn_q" or "blocks.0.self_attn.q"
    LoraKeyRole role = LoraKeyRole::Down;
    LoraHalfNaming halfNaming = LoraHalfNaming::None;

    // kohya names ("lora_unet_" and the like) replace every dot of the module path by an
    // underscore.
    bool isUnderscoreForm() const { return !prefix.empty() && prefix.back() == '_'; }
};

// nullopt when `key` ends in none of the suffixes above.
std::optional<LoraKey> parseLoraKey(std::string_view key);

// The name of the tensor that plays `role` for `module` (inverse of parseLoraKey), so that
// messages name a missing half the way the file would have spelled it.
std::string loraKeyName(const LoraKey& key, LoraKeyRole role);

// "blocks.0.self_attn.q" -> "blocks_0_self_attn_q".
std::string underscoreForm(std::string_view module);

}  // namespace storyreel::infer
