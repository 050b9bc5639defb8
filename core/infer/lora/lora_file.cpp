#include "core/infer/lora/lora_file.h"

#include "core/base/user_error.h"
#include "core/infer/lora/lora_key.h"
#include "core/infer/weights/message_text.h"
#include "core/infer/weights/safetensors_reader.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <map>
#include <set>

namespace storyreel::infer {

namespace {

constexpr std::size_t kMostListed = 8;

// All tensors of one module: role -> tensor name.
struct KeyGroup {
    LoraKey key;
    std::map<LoraKeyRole, std::string> tensors;

    bool has(LoraKeyRole role) const { return tensors.count(role) != 0; }
};

// "'a', 'b' and 3 more".
std::string listed(const std::vector<std::string>& names) {
    std::string text;
    for (std::size_t i = 0; i < names.size() && i < kMostListed; ++i) {
        text += (i ? ", " : "") + inQuotes(names[i]);
    }
    if (names.size() > kMostListed) {
        text += " and " + std::to_string(names.size() - kMostListed) + " more";
    }
    return text;
}

// Tensors of the other adapters ComfyUI applies (comfy/weight_adapter: LoHa, LoKr, GLoRA,
// OFT/BOFT, DoRA, LoCon mid, norm and set patches), matched as whole key segments.
bool isOtherAdapter(const std::string& name) {
    for (const std::string_view marker :
         {".hada_", ".lokr_", ".dora_scale", ".lora_mid.", ".a1.weight", ".b1.weight", ".oft_",
          ".w_norm", ".b_norm", ".set_weight", ".reshape_weight"}) {
        if (name.find(marker) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::map<std::string, KeyGroup> groupKeys(const std::filesystem::path& path,
                                          const std::vector<std::string>& names) {
    std::map<std::string, KeyGroup> groups;
    std::vector<std::string> unknown;
    bool otherAdapter = false;
    for (const std::string& name : names) {
        const std::optional<LoraKey> key = parseLoraKey(name);
        if (!key || isOtherAdapter(name)) {
            otherAdapter = otherAdapter || isOtherAdapter(name);
            unknown.push_back(name);
            continue;
        }
        KeyGroup& group = groups[key->prefix + key->module];
        if (group.tensors.empty() || key->halfNaming != LoraHalfNaming::None) {
            const LoraHalfNaming known = group.key.halfNaming;
            group.key = *key;
            if (key->halfNaming == LoraHalfNaming::None) {
                group.key.halfNaming = known;
            }
        }
        const auto [entry, added] = group.tensors.emplace(key->role, name);
        if (!added) {
            throw UserError::inFile(path, inQuotes(entry->second) + " and " + inQuotes(name) +
                                              " play the same part for one module");
        }
    }
    if (!unknown.empty()) {
        throw UserError::inFile(
            path, std::string(otherAdapter ? "holds LoHa, LoKr, DoRA or other adapter tensors, "
                                             "which Storyreel does not apply: "
                                           : "holds tensors that are not LoRA tensors: ") +
                      listed(unknown) +
                      " (Storyreel reads .lora_down/.lora_up, .lora_A/.lora_B, .alpha, .diff "
                      "and .diff_b)");
    }
    if (groups.empty()) {
        throw UserError::inFile(path, "holds no tensors; it is not a LoRA");
    }
    return groups;
}

LoraLayout detectLayout(const std::map<std::string, KeyGroup>& groups) {
    bool underscore = false;
    bool loraAB = false;
    bool downUp = false;
    for (const auto& entry : groups) {
        const LoraKey& key = entry.second.key;
        underscore = underscore || key.isUnderscoreForm();
        loraAB = loraAB || key.halfNaming == LoraHalfNaming::LoraAB;
        downUp = downUp || key.halfNaming == LoraHalfNaming::DownUp;
    }
    if (underscore) {
        return LoraLayout::Kohya;
    }
    if (loraAB) {
        return LoraLayout::Peft;
    }
    return downUp ? LoraLayout::ComfyUI : LoraLayout::DiffOnly;
}

std::string layoutText(LoraLayout layout, const std::map<std::string, KeyGroup>& groups) {
    std::set<std::string> prefixes;
    for (const auto& entry : groups) {
        prefixes.insert(entry.second.key.prefix.empty() ? "none"
                                                        : inQuotes(entry.second.key.prefix));
    }
    std::string text = "detected layout: " + std::string(loraLayoutName(layout)) + ", prefix ";
    bool first = true;
    for (const std::string& prefix : prefixes) {
        text += (first ? "" : " and ") + prefix;
        first = false;
    }
    return text;
}

// Every group's module in the model, or an error that lists those without one.
std::map<std::string, std::string> matchModules(const std::filesystem::path& path,
                                                const std::map<std::string, KeyGroup>& groups,
                                                const ParameterShapes& parameters,
                                                const std::string& layout) {
    const LoraTargetMatcher matcher(parameters);
    std::map<std::string, std::string> moduleOf;
    std::map<std::string, std::string> sourceOf;
    std::vector<std::string> unmatched;
    for (const auto& [source, group] : groups) {
        const LoraTargetMatch match = matcher.match(group.key.module);
        if (!match.found()) {
            std::string text = source;
            if (!match.ambiguousWith.empty()) {
                text += " (fits several modules: ";
                for (std::size_t i = 0; i < match.ambiguousWith.size(); ++i) {
                    text += (i ? ", " : "") + match.ambiguousWith[i];
                }
                text += ")";
            }
            unmatched.push_back(text);
            continue;
        }
        if (const auto [entry, added] = sourceOf.emplace(match.module, source); !added) {
            throw UserError::inFile(path, inQuotes(entry->second) + " and " + inQuotes(source) +
                                              " both patch the model's " + inQuotes(match.module));
        }
        moduleOf[source] = match.module;
    }
    if (unmatched.size() == groups.size()) {
        throw UserError::inFile(
            path, "none of its " + std::to_string(groups.size()) +
                      " LoRA modules matches a parameter of the model (" + layout +
                      "); is it a LoRA for another model? Unmatched: " + listed(unmatched));
    }
    if (!unmatched.empty()) {
        // ComfyUI warns "lora key not loaded" and applies the rest; a LoRA half applied is
        // a different LoRA, so Storyreel refuses it.
        throw UserError::inFile(path, std::to_string(unmatched.size()) + " of its " +
                                          std::to_string(groups.size()) +
                                          " LoRA modules match no parameter of the model (" +
                                          layout + "): " + listed(unmatched));
    }
    return moduleOf;
}

const std::vector<std::int64_t>* shapeOf(const ParameterShapes& parameters,
                                         const std::string& name) {
    const auto found = parameters.find(name);
    return found == parameters.end() ? nullptr : &found->second;
}

class ModuleBuilder {
public:
    ModuleBuilder(const std::filesystem::path& path, const SafetensorsReader& reader,
                  const ParameterShapes& parameters)
        : path_(path), reader_(reader), parameters_(parameters) {}

    LoraModule build(const std::string& source, const KeyGroup& group, const std::string& module);

private:
    void readLowRank(const KeyGroup& group, LoraModule& result) const;
    void checkLowRankShape(const KeyGroup& group, const LoraModule& result) const;
    at::Tensor readFull(const KeyGroup& group, LoraKeyRole role, const std::string& target) const;
    [[noreturn]] void fail(const std::string& problem) const {
        throw UserError::inFile(path_, problem);
    }

    const std::filesystem::path& path_;
    const SafetensorsReader& reader_;
    const ParameterShapes& parameters_;
};

LoraModule ModuleBuilder::build(const std::string& source, const KeyGroup& group,
                                const std::string& module) {
    LoraModule result;
    result.module = module;
    result.sourceName = source;
    if (shapeOf(parameters_, module + ".weight") != nullptr) {
        result.weightName = module + ".weight";
    } else if (shapeOf(parameters_, module) != nullptr) {
        result.weightName = module;
    }
    if (shapeOf(parameters_, module + ".bias") != nullptr) {
        result.biasName = module + ".bias";
    }
    if (!result.weightName.empty()) {
        result.weightShape = *shapeOf(parameters_, result.weightName);
    }
    if (!result.biasName.empty()) {
        result.biasShape = *shapeOf(parameters_, result.biasName);
    }
    readLowRank(group, result);
    result.diff = readFull(group, LoraKeyRole::Diff, result.weightName);
    result.diffBias = readFull(group, LoraKeyRole::DiffBias, result.biasName);
    result.upBias = readFull(group, LoraKeyRole::UpBias, result.biasName);
    return result;
}

void ModuleBuilder::readLowRank(const KeyGroup& group, LoraModule& result) const {
    const bool hasDown = group.has(LoraKeyRole::Down);
    const bool hasUp = group.has(LoraKeyRole::Up);
    if (hasDown != hasUp) {
        const LoraKeyRole present = hasDown ? LoraKeyRole::Down : LoraKeyRole::Up;
        const LoraKeyRole missing = hasDown ? LoraKeyRole::Up : LoraKeyRole::Down;
        fail(inQuotes(group.tensors.at(present)) + " has no " + (hasDown ? "up" : "down") +
             " half: " + inQuotes(loraKeyName(group.key, missing)) + " is missing");
    }
    if (!hasDown) {
        for (const LoraKeyRole role : {LoraKeyRole::Alpha, LoraKeyRole::UpBias}) {
            if (group.has(role)) {
                fail(inQuotes(group.tensors.at(role)) + " has no down and up halves: " +
                     inQuotes(loraKeyName(group.key, LoraKeyRole::Down)) + " is missing");
            }
        }
        return;
    }
    result.down = reader_.tensor(group.tensors.at(LoraKeyRole::Down));
    result.up = reader_.tensor(group.tensors.at(LoraKeyRole::Up));
    checkLowRankShape(group, result);
    result.rank = result.down.size(0);
    result.alpha = static_cast<float>(result.rank);
    if (group.has(LoraKeyRole::Alpha)) {
        const std::string& name = group.tensors.at(LoraKeyRole::Alpha);
        const at::Tensor alpha = reader_.tensor(name);
        if (alpha.numel() != 1) {
            fail(inQuotes(name) + " holds " + std::to_string(alpha.numel()) +
                 " values instead of one");
        }
        result.alpha = alpha.item<float>();
    }
}

void ModuleBuilder::checkLowRankShape(const KeyGroup& group, const LoraModule& result) const {
    const at::Tensor& down = result.down;
    const at::Tensor& up = result.up;
    const std::string& downName = group.tensors.at(LoraKeyRole::Down);
    const std::string& upName = group.tensors.at(LoraKeyRole::Up);
    if (down.dim() < 2 || up.dim() < 2 || up.size(1) != down.size(0) || down.size(0) == 0) {
        fail(inQuotes(upName) + " " + shapeText(up.sizes()) + " and " + inQuotes(downName) + " " +
             shapeText(down.sizes()) +
             " are not the up [out, rank] and down [rank, in] halves of one LoRA");
    }
    for (std::int64_t dim = 2; dim < up.dim(); ++dim) {
        if (up.size(dim) != 1) {
            fail(inQuotes(upName) + " has the kernel " + shapeText(up.sizes()) +
                 "; LoRAs with a mid tensor (LoCon/Tucker) are not supported");
        }
    }
    if (result.weightName.empty()) {
        fail(inQuotes(group.key.prefix + group.key.module) +
             " patches a weight, but the model has no " + inQuotes(result.module + ".weight"));
    }
    const std::vector<std::int64_t>& weight = *shapeOf(parameters_, result.weightName);
    std::vector<std::int64_t> product = {up.size(0)};
    for (std::int64_t dim = 1; dim < down.dim(); ++dim) {
        product.push_back(down.size(dim));
    }
    // ComfyUI reshapes up @ down to the weight's shape, so a conv LoRA stored with flattened
    // kernels still fits: compare the output size and the element count per output.
    std::int64_t perOutput = 1;
    for (std::size_t dim = 1; dim < weight.size(); ++dim) {
        perOutput *= weight[dim];
    }
    if (weight.size() < 2 || weight[0] != up.size(0) || down.numel() / down.size(0) != perOutput) {
        fail(inQuotes(group.key.prefix + group.key.module) + " gives a delta of shape " +
             shapeText(product) + " (up " + shapeText(up.sizes()) + " @ down " +
             shapeText(down.sizes()) + "), but the model's " + inQuotes(result.weightName) +
             " has shape " + shapeText(weight));
    }
}

at::Tensor ModuleBuilder::readFull(const KeyGroup& group, LoraKeyRole role,
                                   const std::string& target) const {
    if (!group.has(role)) {
        return {};
    }
    const std::string& name = group.tensors.at(role);
    const bool isBias = role != LoraKeyRole::Diff;
    if (target.empty()) {
        fail(inQuotes(name) + " patches a " + (isBias ? "bias" : "weight") +
             ", but the model has no " +
             inQuotes(group.key.module + (isBias ? ".bias" : ".weight")));
    }
    at::Tensor values = reader_.tensor(name);
    const std::vector<std::int64_t>& shape = *shapeOf(parameters_, target);
    if (values.sizes().vec() != shape) {
        fail(inQuotes(name) + " has shape " + shapeText(values.sizes()) + ", but the model's " +
             inQuotes(target) + " has shape " + shapeText(shape));
    }
    return values;
}

}  // namespace

std::string_view loraLayoutName(LoraLayout layout) {
    switch (layout) {
        case LoraLayout::Kohya:
            return "kohya (underscore module names, lora_down/lora_up)";
        case LoraLayout::ComfyUI:
            return "ComfyUI (dotted module names, lora_down/lora_up)";
        case LoraLayout::Peft:
            return "diffusers/PEFT (lora_A/lora_B)";
        case LoraLayout::DiffOnly:
            return "weight differences only (.diff/.diff_b)";
    }
    return "unknown";
}

LoraFile::LoraFile(const std::filesystem::path& path, const ParameterShapes& parameters)
    : path_(path) {
    const SafetensorsReader reader(path);
    const std::map<std::string, KeyGroup> groups = groupKeys(path, reader.names());
    layout_ = detectLayout(groups);
    const std::map<std::string, std::string> moduleOf =
        matchModules(path, groups, parameters, layoutText(layout_, groups));
    ModuleBuilder builder(path, reader, parameters);
    for (const auto& [source, group] : groups) {
        modules_.push_back(builder.build(source, group, moduleOf.at(source)));
    }
    std::sort(modules_.begin(), modules_.end(),
              [](const LoraModule& a, const LoraModule& b) { return a.module < b.module; });
}

const LoraModule* LoraFile::find(std::string_view module) const {
    const auto found = std::lower_bound(
        modules_.begin(), modules_.end(), module,
        [](const LoraModule& m, std::string_view name) { return m.module < name; });
    return found != modules_.end() && found->module == module ? &*found : nullptr;
}

}  // namespace storyreel::infer
