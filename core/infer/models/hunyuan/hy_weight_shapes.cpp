#include "core/infer/models/hunyuan/hy_weight_shapes.h"

#include "core/base/user_error.h"

#include <algorithm>
#include <cctype>

namespace storyreel::infer::hunyuan {

std::vector<std::int64_t> requireShape(const InternalView& view, const std::string& name,
                                       std::size_t rank, std::string_view purpose) {
    if (!view.contains(name)) {
        throw UserError::inFile(view.file().path(), "has no tensor '" + name + "', which " +
                                                        std::string(purpose) + " is read from");
    }
    const std::vector<std::int64_t> shape = view.shape(name);
    const bool positive =
        std::all_of(shape.begin(), shape.end(), [](std::int64_t size) { return size > 0; });
    if (shape.size() != rank || !positive) {
        throw UserError::inFile(view.file().path(),
                                "tensor '" + name + "' has " + std::to_string(shape.size()) +
                                    " dimensions (or an empty one) where " + std::string(purpose) +
                                    " needs " + std::to_string(rank));
    }
    return shape;
}

std::int64_t countLayers(const InternalView& view, std::string_view prefix) {
    std::int64_t count = 0;
    for (const std::string& name : view.names()) {
        if (name.compare(0, prefix.size(), prefix) != 0) {
            continue;
        }
        std::size_t end = prefix.size();
        while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end])) != 0) {
            ++end;
        }
        if (end > prefix.size() && end < name.size() && name[end] == '.' &&
            end - prefix.size() < 9) {
            count = std::max<std::int64_t>(
                count, std::stoll(name.substr(prefix.size(), end - prefix.size())) + 1);
        }
    }
    return count;
}

std::int64_t headsOf(const InternalView& view, std::int64_t size, std::int64_t headDim,
                     const std::string& tensor, std::string_view purpose) {
    if (headDim <= 0 || size % headDim != 0) {
        throw UserError::inFile(view.file().path(),
                                "width " + std::to_string(size) + " of tensor '" + tensor +
                                    "' does not split into heads of " + std::to_string(headDim) +
                                    " (" + std::string(purpose) +
                                    " assumes the released model's head size; pass the "
                                    "model's own)");
    }
    return size / headDim;
}

}  // namespace storyreel::infer::hunyuan
