// Reading a text encoder's hyper-parameters from its checkpoint's tensor shapes, for files
// that come without a config.json (every ComfyUI file): the shape of a tensor under its
// internal name, checked for rank, and how many numbered layers a prefix holds. Problems
// are UserErrors naming the file, the tensor and what the shape was needed for.
//
//   const auto embed = requireShape(view, "text_model.embeddings.token_embedding.weight", 2,
//                                   "the CLIP text configuration");   // {vocab, hidden}
//   const std::int64_t layers = countLayers(view, "text_model.encoder.layers.");
//
// Thread-safety: pure functions over an immutable view.
#pragma once

#include "core/infer/registry/internal_view.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace storyreel::infer::hunyuan {

// The shape of `name`; throws UserError naming the file and the tensor when the view has no
// such tensor or its rank is not `rank`. `purpose` says what it is read for.
std::vector<std::int64_t> requireShape(const InternalView& view, const std::string& name,
                                       std::size_t rank, std::string_view purpose);

// 1 + the largest N of the names "<prefix>N.<rest>" (0 when there are none).
std::int64_t countLayers(const InternalView& view, std::string_view prefix);

// `size` / `headDim` attention heads; throws UserError naming the file and `tensor` when it
// does not divide.
std::int64_t headsOf(const InternalView& view, std::int64_t size, std::int64_t headDim,
                     const std::string& tensor, std::string_view purpose);

}  // namespace storyreel::infer::hunyuan
