// What a complete checkpoint of a recognised model holds, under the internal names: for the
// two DiTs every parameter with its shape, computed from the recognised configuration (the
// reference constructors' parameter lists: wan/modules/model.py WanModel,
// hyvideo/modules/models.py HYVideoDiffusionTransformer); for the other models the tensors
// every checkpoint has, plus the rule that repeated blocks all hold the same tensors.
//
//   const ExpectedTensors expected = expectedTensors(recognition);
//   for (const auto& [name, shape] : expected.exact) check(view.contains(name));
//
// Thread-safety: pure functions and value types.
#pragma once

#include "core/infer/registry/model_family.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace storyreel::infer {

struct ExpectedTensors {
    // Every tensor with its shape (DiTs); empty when only `required` is known.
    std::map<std::string, std::vector<std::int64_t>> exact;
    // Tensors that must be present whatever the size (shape not checked).
    std::vector<std::string> required;
    // "blocks." and the like: every "<prefix>N." block must hold the same tensors with the
    // same shapes.
    std::vector<std::string> uniformBlockPrefixes;
};

ExpectedTensors expectedTensors(const ModelRecognition& recognition);

}  // namespace storyreel::infer
