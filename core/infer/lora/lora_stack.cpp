#include "core/infer/lora/lora_stack.h"

#include "core/base/user_error.h"
#include "core/infer/weights/message_text.h"

#include <ATen/ATen.h>

namespace storyreel::infer {

namespace {

at::Tensor moved(const at::Tensor& tensor, const at::TensorOptions& options) {
    return tensor.defined() ? tensor.to(options) : tensor;
}

// up @ down in float32, as [out, in * kernel...] (comfy: mm(up.flatten(1), down.flatten(1))).
at::Tensor lowRankProduct(const LoraModule& module) {
    const at::Tensor up = module.up.to(at::kFloat).flatten(1);
    const at::Tensor down = module.down.to(at::kFloat).flatten(1);
    return at::mm(up, down);
}

}  // namespace

void LoraStack::add(const LoraFile& lora, float strength) {
    Entry entry{lora.path(), strength, lora.modules()};
    const std::size_t entryIndex = entries_.size();
    for (std::size_t i = 0; i < entry.modules.size(); ++i) {
        const LoraModule& module = entry.modules[i];
        if (module.hasLowRank() || module.diff.defined()) {
            uses_[module.weightName].push_back({entryIndex, i, true});
            shapes_.emplace(module.weightName, module.weightShape);
        }
        if (module.diffBias.defined() || module.upBias.defined()) {
            uses_[module.biasName].push_back({entryIndex, i, false});
            shapes_.emplace(module.biasName, module.biasShape);
        }
    }
    entries_.push_back(std::move(entry));
}

const std::vector<LoraStack::Use>* LoraStack::usesOf(std::string_view parameterName) const {
    const auto found = uses_.find(parameterName);
    return found == uses_.end() ? nullptr : &found->second;
}

bool LoraStack::affects(std::string_view parameterName) const {
    return usesOf(parameterName) != nullptr;
}

std::vector<std::string> LoraStack::affectedParameters() const {
    std::vector<std::string> names;
    for (const auto& entry : uses_) {
        names.push_back(entry.first);
    }
    return names;
}

at::Tensor LoraStack::delta(std::string_view parameterName) const {
    const std::vector<Use>* uses = usesOf(parameterName);
    if (uses == nullptr) {
        return {};
    }
    const at::IntArrayRef shape = shapes_.find(parameterName)->second;
    at::Tensor sum;
    const auto accumulate = [&sum, shape](const at::Tensor& term) {
        sum = sum.defined() ? sum + term.reshape(shape) : term.reshape(shape);
    };
    for (const Use& use : *uses) {
        const Entry& entry = entries_[use.entry];
        const LoraModule& module = entry.modules[use.module];
        if (use.asWeight) {
            if (module.hasLowRank()) {
                accumulate(lowRankProduct(module) * (entry.strength * module.scale()));
            }
            if (module.diff.defined()) {
                accumulate(module.diff.to(at::kFloat) * entry.strength);
            }
            continue;
        }
        if (module.diffBias.defined()) {
            accumulate(module.diffBias.to(at::kFloat) * entry.strength);
        }
        if (module.upBias.defined()) {
            accumulate(module.upBias.to(at::kFloat) * (entry.strength * module.scale()));
        }
    }
    return sum;
}

bool LoraStack::mergeInto(std::string_view parameterName, at::Tensor& weight) const {
    at::Tensor change = delta(parameterName);
    if (!change.defined()) {
        return false;
    }
    if (change.sizes() != weight.sizes()) {
        const Entry& entry = entries_[usesOf(parameterName)->front().entry];
        throw UserError::inFile(entry.file, "changes " + inQuotes(parameterName) +
                                                " by a delta of shape " +
                                                shapeText(change.sizes()) +
                                                ", but the weight to merge into has shape " +
                                                shapeText(weight.sizes()));
    }
    const at::Tensor merged = weight.to(at::kFloat) + change.to(weight.device());
    weight = merged.to(weight.scalar_type());
    return true;
}

void LoraStack::applyAtRuntime(std::string_view weightName, const at::Tensor& input,
                               at::Tensor& output) const {
    const std::vector<Use>* uses = usesOf(weightName);
    if (uses == nullptr) {
        return;
    }
    const at::TensorOptions options = input.options();
    for (const Use& use : *uses) {
        if (!use.asWeight) {
            continue;
        }
        const Entry& entry = entries_[use.entry];
        const LoraModule& module = entry.modules[use.module];
        if ((module.hasLowRank() && module.down.dim() != 2) ||
            (module.diff.defined() && module.diff.dim() != 2)) {
            throw UserError::inFile(entry.file, "LoRA module " + inQuotes(module.sourceName) +
                                                    " patches " + inQuotes(weightName) +
                                                    ", which is not a linear layer's weight; "
                                                    "merge it at load instead");
        }
        if (module.hasLowRank()) {
            // x: [..., in] -> [..., rank] -> [..., out]
            const at::Tensor hidden = at::matmul(input, moved(module.down, options).t());
            const at::Tensor change = at::matmul(hidden, moved(module.up, options).t());
            output.add_(change, entry.strength * module.scale());
        }
        if (module.diff.defined()) {
            output.add_(at::matmul(input, moved(module.diff, options).t()), entry.strength);
        }
    }
}

void LoraStack::moveTo(const at::TensorOptions& options) {
    for (Entry& entry : entries_) {
        for (LoraModule& module : entry.modules) {
            module.down = moved(module.down, options);
            module.up = moved(module.up, options);
            module.diff = moved(module.diff, options);
            module.diffBias = moved(module.diffBias, options);
            module.upBias = moved(module.upBias, options);
        }
    }
}

}  // namespace storyreel::infer
