// WanWeights: the Wan DiT's ModuleWeights (core/infer/layers/module_weights.h), named
// "Wan DiT" in messages.
//
//   const WanWeights weights(view, weightLoadOptions(profile), config.describe());
//   auto q = weights.linear("blocks.0.self_attn.q", dim, dim);   // QuantizedLinear
//
// Thread-safety: as ModuleWeights.
#pragma once

#include "core/infer/layers/module_weights.h"

#include <string>
#include <utility>

namespace storyreel::infer::wan {

class WanWeights : public ModuleWeights {
public:
    WanWeights(const InternalView& view, WeightLoadOptions options, std::string configuration)
        : ModuleWeights(view, std::move(options), "Wan DiT", std::move(configuration)) {}
};

}  // namespace storyreel::infer::wan
