#include "core/infer/lora/lora_key.h"

#include <algorithm>
#include <array>

namespace storyreel::infer {

namespace {

struct RoleSuffix {
    std::string_view suffix;
    LoraKeyRole role;
    LoraHalfNaming halfNaming;
};

constexpr std::array<RoleSuffix, 8> kSuffixes = {{
    {".lora_down.weight", LoraKeyRole::Down, LoraHalfNaming::DownUp},
    {".lora_up.weight", LoraKeyRole::Up, LoraHalfNaming::DownUp},
    {".lora_A.weight", LoraKeyRole::Down, LoraHalfNaming::LoraAB},
    {".lora_B.weight", LoraKeyRole::Up, LoraHalfNaming::LoraAB},
    {".lora_B.bias", LoraKeyRole::UpBias, LoraHalfNaming::LoraAB},
    {".alpha", LoraKeyRole::Alpha, LoraHalfNaming::None},
    {".diff_b", LoraKeyRole::DiffBias, LoraHalfNaming::None},
    {".diff", LoraKeyRole::Diff, LoraHalfNaming::None},
}};

// Longest first where one prefix starts another. "lora_unet__" is the Wan Fun spelling,
// which ComfyUI rewrites to "lora_unet_" (comfy/lora_convert.py convert_lora_wan_fun).
constexpr std::array<std::string_view, 6> kPrefixes = {
    "lora_unet__",       "lora_unet_",   "lora_transformer_",
    "base_model.model.", "transformer.", "diffusion_model.",
};

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() && text.substr(0, prefix.size()) == prefix;
}

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<LoraKey> parseLoraKey(std::string_view key) {
    for (const RoleSuffix& entry : kSuffixes) {
        if (!endsWith(key, entry.suffix) || key.size() == entry.suffix.size()) {
            continue;
        }
        LoraKey parsed;
        parsed.role = entry.role;
        parsed.halfNaming = entry.halfNaming;
        std::string_view module = key.substr(0, key.size() - entry.suffix.size());
        for (const std::string_view prefix : kPrefixes) {
            if (startsWith(module, prefix) && module.size() > prefix.size()) {
                parsed.prefix = std::string(prefix);
                module.remove_prefix(prefix.size());
                break;
            }
        }
        parsed.module = std::string(module);
        return parsed;
    }
    return std::nullopt;
}

std::string loraKeyName(const LoraKey& key, LoraKeyRole role) {
    const bool ab = key.halfNaming == LoraHalfNaming::LoraAB;
    std::string_view suffix;
    switch (role) {
        case LoraKeyRole::Down:
            suffix = ab ? ".lora_A.weight" : ".lora_down.weight";
            break;
        case LoraKeyRole::Up:
            suffix = ab ? ".lora_B.weight" : ".lora_up.weight";
            break;
        case LoraKeyRole::UpBias:
            suffix = ".lora_B.bias";
            break;
        case LoraKeyRole::Alpha:
            suffix = ".alpha";
            break;
        case LoraKeyRole::Diff:
            suffix = ".diff";
            break;
        case LoraKeyRole::DiffBias:
            suffix = ".diff_b";
            break;
    }
    return key.prefix + key.module + std::string(suffix);
}

std::string underscoreForm(std::string_view module) {
    std::string result(module);
    std::replace(result.begin(), result.end(), '.', '_');
    return result;
}

}  // namespace storyreel::infer
