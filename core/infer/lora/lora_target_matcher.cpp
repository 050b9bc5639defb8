#include "core/infer/lora/lora_target_matcher.h"

#include "core/infer/lora/lora_key.h"

#include <algorithm>
#include <initializer_list>

namespace storyreel::infer {

namespace {

struct SegmentRule {
    std::vector<std::string_view> from;
    std::vector<std::string_view> to;
};

// Dot-separated segments of a module name, rewritten as whole segments so that "to_q" never
// matches inside "to_qkv".
const std::vector<SegmentRule>& aliasRules() {
    static const std::vector<SegmentRule> rules = {
        // diffusers WanTransformer3DModel -> Wan 2.1 (lora_conversion_utils.py, Wan converter)
        {{"attn1"}, {"self_attn"}},
        {{"attn2"}, {"cross_attn"}},
        {{"to_q"}, {"q"}},
        {{"to_k"}, {"k"}},
        {{"to_v"}, {"v"}},
        {{"to_out", "0"}, {"o"}},
        {{"add_k_proj"}, {"k_img"}},
        {{"add_v_proj"}, {"v_img"}},
        {{"ffn", "net", "0", "proj"}, {"ffn", "0"}},
        {{"ffn", "net", "2"}, {"ffn", "2"}},
        {{"condition_embedder", "time_proj"}, {"time_projection", "1"}},
        {{"condition_embedder", "text_embedder", "linear_1"}, {"text_embedding", "0"}},
        {{"condition_embedder", "text_embedder", "linear_2"}, {"text_embedding", "2"}},
        {{"condition_embedder", "time_embedder", "linear_1"}, {"time_embedding", "0"}},
        {{"condition_embedder", "time_embedder", "linear_2"}, {"time_embedding", "2"}},
        {{"condition_embedder", "image_embedder", "ff", "net", "0", "proj"},
         {"img_emb", "proj", "1"}},
        {{"condition_embedder", "image_embedder", "ff", "net", "2"}, {"img_emb", "proj", "3"}},
        {{"proj_out"}, {"head", "head"}},
        // ComfyUI's HunyuanVideo module names -> the official ones (comfy/lora.py,
        // model_lora_keys_unet, HunyuanVideo branch, read backwards)
        {{"img_attn", "qkv"}, {"img_attn_qkv"}},
        {{"txt_attn", "qkv"}, {"txt_attn_qkv"}},
        {{"img_attn", "proj"}, {"img_attn_proj"}},
        {{"txt_attn", "proj"}, {"txt_attn_proj"}},
        {{"img_mod", "lin"}, {"img_mod", "linear"}},
        {{"txt_mod", "lin"}, {"txt_mod", "linear"}},
        {{"modulation", "lin"}, {"modulation", "linear"}},
        {{"mlp", "0"}, {"mlp", "fc1"}},
        {{"mlp", "2"}, {"mlp", "fc2"}},
        {{"img_mlp", "0"}, {"img_mlp", "fc1"}},
        {{"img_mlp", "2"}, {"img_mlp", "fc2"}},
        {{"txt_mlp", "0"}, {"txt_mlp", "fc1"}},
        {{"txt_mlp", "2"}, {"txt_mlp", "fc2"}},
    };
    return rules;
}

std::vector<std::string_view> splitDots(std::string_view text) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = text.find('.', start);
        parts.push_back(text.substr(start, dot == std::string_view::npos ? dot : dot - start));
        if (dot == std::string_view::npos) {
            return parts;
        }
        start = dot + 1;
    }
}

bool matchesAt(const std::vector<std::string_view>& parts, std::size_t at,
               const std::vector<std::string_view>& pattern) {
    if (at + pattern.size() > parts.size()) {
        return false;
    }
    return std::equal(pattern.begin(), pattern.end(), parts.begin() + at);
}

// "blocks.0.self_attn.q.weight" -> "blocks.0.self_attn.q"; "" when no suffix applies.
std::string moduleOfParameter(const std::string& name, std::string_view suffix) {
    if (name.size() > suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return name.substr(0, name.size() - suffix.size());
    }
    return {};
}

}  // namespace

std::string loraModuleAlias(std::string_view module) {
    const std::vector<std::string_view> parts = splitDots(module);
    std::vector<std::string_view> rewritten;
    bool changed = false;
    for (std::size_t i = 0; i < parts.size();) {
        const SegmentRule* applied = nullptr;
        for (const SegmentRule& rule : aliasRules()) {
            if (matchesAt(parts, i, rule.from)) {
                applied = &rule;
                break;
            }
        }
        if (applied == nullptr) {
            rewritten.push_back(parts[i]);
            ++i;
            continue;
        }
        rewritten.insert(rewritten.end(), applied->to.begin(), applied->to.end());
        i += applied->from.size();
        changed = true;
    }
    if (!changed) {
        return {};
    }
    std::string result;
    for (std::size_t i = 0; i < rewritten.size(); ++i) {
        result += (i ? "." : "") + std::string(rewritten[i]);
    }
    return result;
}

LoraTargetMatcher::LoraTargetMatcher(const ParameterShapes& parameters) {
    for (const auto& entry : parameters) {
        const std::string& name = entry.first;
        modules_.insert(name);
        for (const std::string_view suffix : {".weight", ".bias"}) {
            if (std::string module = moduleOfParameter(name, suffix); !module.empty()) {
                modules_.insert(std::move(module));
            }
        }
    }
    for (const std::string& module : modules_) {
        byUnderscoreForm_[underscoreForm(module)].push_back(module);
    }
    for (auto& entry : byUnderscoreForm_) {
        std::sort(entry.second.begin(), entry.second.end());
    }
}

LoraTargetMatch LoraTargetMatcher::match(std::string_view loraModule) const {
    LoraTargetMatch result;
    const std::string asWritten(loraModule);
    if (isModule(asWritten)) {
        result.module = asWritten;
        return result;
    }
    if (const std::string alias = loraModuleAlias(loraModule); !alias.empty() && isModule(alias)) {
        result.module = alias;
        return result;
    }
    const auto found = byUnderscoreForm_.find(underscoreForm(loraModule));
    if (found == byUnderscoreForm_.end()) {
        return result;
    }
    if (found->second.size() == 1) {
        result.module = found->second.front();
    } else {
        result.ambiguousWith = found->second;
    }
    return result;
}

}  // namespace storyreel::infer
