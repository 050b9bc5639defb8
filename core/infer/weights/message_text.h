// Pieces of the messages checkpoint readers and loaders write when a file is wrong, shared so
// that every message names tensors and shapes the same way.
//
//   fail(inQuotes(name) + " has shape " + shapeText(info.shape));   // 'w' has shape [48, 64]
//
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace storyreel::infer {

inline std::string inQuotes(std::string_view name) {
    return "'" + std::string(name) + "'";
}

// "[48, 64]" for any sequence of integers with size() and [] (std::vector, at::IntArrayRef).
template <typename Dims>
std::string shapeText(const Dims& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        text += (i ? ", " : "") + std::to_string(shape[i]);
    }
    return text + "]";
}

}  // namespace storyreel::infer
