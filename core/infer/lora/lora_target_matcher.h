// LoraTargetMatcher: finds the model module that a LoRA module name patches, given the
// model's own parameter names (the checkpoint's names: "blocks.0.self_attn.q.weight").
// It tries, in order:
//   1. the name as written ("blocks.0.self_attn.q" when the model has its .weight/.bias, or
//      a parameter of that very name, such as Wan's "blocks.0.modulation");
//   2. the name with known aliases rewritten: diffusers' Wan names ("attn1.to_q" ->
//      "self_attn.q", diffusers _convert_non_diffusers_wan_lora_to_diffusers read backwards)
//      and ComfyUI's internal HunyuanVideo names ("img_attn.qkv" -> "img_attn_qkv", as
//      comfy/lora.py model_lora_keys_unet maps diffusion-pipe LoRAs);
//   3. kohya's underscore form: every dot of the model's module names replaced by "_",
//      matched against the LoRA name with its dots replaced too ("blocks_0_self_attn_q").
//      Two model modules with the same underscore form make that form ambiguous.
//
//   LoraTargetMatcher matcher(parameterShapes);
//   LoraTargetMatch m = matcher.match("blocks_0_self_attn_q");  // m.module ==
//   "blocks.0.self_attn.q"
//
// Thread-safety: immutable after construction; const methods from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace storyreel::infer {

// A model's parameters: name -> shape (PyTorch order), as a checkpoint reader lists them.
using ParameterShapes = std::map<std::string, std::vector<std::int64_t>>;

struct LoraTargetMatch {
    // The model module ("blocks.0.self_attn.q"); empty when nothing matched.
    std::string module;
    // When the underscore form fits several model modules: all of them (module is empty).
    std::vector<std::string> ambiguousWith;

    bool found() const { return !module.empty(); }
};

class LoraTargetMatcher {
public:
    explicit LoraTargetMatcher(const ParameterShapes& parameters);

    LoraTargetMatch match(std::string_view loraModule) const;

private:
    bool isModule(const std::string& name) const { return modules_.count(name) != 0; }

    std::unordered_set<std::string> modules_;
    std::unordered_map<std::string, std::vector<std::string>> byUnderscoreForm_;
};

// `module` with the alias rules of step 2 applied once, left to right ("" when none applies).
std::string loraModuleAlias(std::string_view module);

}  // namespace storyreel::infer
