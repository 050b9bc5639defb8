#include "core/infer/registry/internal_view.h"

#include "core/base/user_error.h"

#include <ATen/ATen.h>

namespace storyreel::infer {

InternalView::InternalView(const CheckpointFile& file, ModelFamily family, CheckpointLayout layout)
    : file_(file) {
    for (const TensorInfo& info : file.tensors()) {
        if (isScaleTensorName(info.name)) {
            continue;
        }
        const std::optional<MappedName> mapped = mapToInternal(family, layout, info.name);
        if (!mapped) {
            unmapped_.push_back(info.name);
            continue;
        }
        Entry& entry = entries_[mapped->internalName];
        entry.kind = mapped->kind;
        entry.parts = mapped->parts;
        entry.leadingOnes = mapped->leadingOnes;
        // transformers files may hold a tied weight twice (shared / encoder.embed_tokens):
        // the first one wins.
        entry.sources.emplace(mapped->part, info.name);
    }
}

std::vector<std::string> InternalView::names() const {
    std::vector<std::string> result;
    result.reserve(entries_.size());
    for (const auto& item : entries_) {
        result.push_back(item.first);
    }
    return result;
}

bool InternalView::contains(std::string_view internalName) const {
    return entries_.find(internalName) != entries_.end();
}

const InternalView::Entry& InternalView::entry(std::string_view internalName) const {
    const auto found = entries_.find(internalName);
    if (found == entries_.end()) {
        throw UserError::inFile(
            file_.path(), "the checkpoint has no tensor for '" + std::string(internalName) + "'");
    }
    return found->second;
}

std::vector<std::string> InternalView::sourcesOf(std::string_view internalName) const {
    std::vector<std::string> result;
    for (const auto& part : entry(internalName).sources) {
        result.push_back(part.second);
    }
    return result;
}

MappingKind InternalView::kindOf(std::string_view internalName) const {
    return entry(internalName).kind;
}

std::vector<std::int64_t> InternalView::shape(std::string_view internalName) const {
    const Entry& e = entry(internalName);
    std::vector<std::vector<std::int64_t>> shapes;
    for (const auto& part : e.sources) {
        shapes.push_back(file_.find(part.second)->shape);
    }
    return internalShape(e.kind, e.leadingOnes, shapes);
}

at::Tensor InternalView::tensor(std::string_view internalName) const {
    const Entry& e = entry(internalName);
    if (static_cast<int>(e.sources.size()) != e.parts) {
        throw UserError::inFile(file_.path(), "'" + std::string(internalName) + "' is made of " +
                                                  std::to_string(e.parts) +
                                                  " tensors but the file has only " +
                                                  std::to_string(e.sources.size()) + " of them");
    }
    std::vector<at::Tensor> parts;
    for (const auto& part : e.sources) {
        parts.push_back(file_.read(part.second));
    }
    switch (e.kind) {
        case MappingKind::Rename:
            return parts.front();
        case MappingKind::Concat:
            return at::cat(parts, 0);
        case MappingKind::SwapHalves: {
            const std::vector<at::Tensor> halves = parts.front().chunk(2, 0);
            return at::cat({halves[1], halves[0]}, 0);
        }
        case MappingKind::Unsqueeze: {
            at::Tensor values = parts.front();
            for (int i = 0; i < e.leadingOnes; ++i) {
                values = values.unsqueeze(0);
            }
            return values;
        }
        case MappingKind::Transpose:
            return parts.front().t().contiguous();
    }
    return parts.front();
}

}  // namespace storyreel::infer
