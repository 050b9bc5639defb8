// WanWeights: how the Wan DiT's modules get their parameters: through a WeightLoader, by the
// reference's own names ("blocks.0.self_attn.q.weight"), whatever the checkpoint's layout
// (official, ComfyUI, diffusers, GGUF: the InternalView maps them), each checked against the
// shape the configuration needs, so that a missing or mismatched tensor is reported by name
// with the file before anything runs.
//
//   const WanWeights weights(view, weightLoadOptions(profile), config.describe());
//   auto q = weights.linear("blocks.0.self_attn.q", dim, dim);   // QuantizedLinear
//   at::Tensor m = weights.dense("blocks.0.modulation", {1, 6, dim}, at::kFloat);
//
// Thread-safety: const methods from any thread as far as the view allows (it does).
#pragma once

#include "core/infer/layers/quantized_linear.h"
#include "core/infer/registry/internal_view.h"
#include "core/infer/weights/weight_loader.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace storyreel::infer::wan {

class WanWeights {
public:
    // Keeps a reference to `view`, which must outlive this object. `configuration` names
    // what the shapes come from, for messages ("i2v, dim 5120, 40 layers, ...").
    WanWeights(const InternalView& view, WeightLoadOptions options, std::string configuration);

    const WeightLoader& loader() const { return loader_; }

    // `prefix`.weight [out, in] (dense or GGUF blocks) and `prefix`.bias [out]. Runtime
    // LoRAs are attached when the loader kept the weight quantised.
    std::shared_ptr<QuantizedLinear> linear(const std::string& prefix, std::int64_t outFeatures,
                                            std::int64_t inFeatures) const;
    // A dense tensor of `shape`; `dtype` overrides the load options (the modulation and the
    // norms stay float32 as in the reference).
    at::Tensor dense(const std::string& name, const std::vector<std::int64_t>& shape,
                     std::optional<at::ScalarType> dtype = std::nullopt) const;

    // Throws UserError naming the file and the tensor when it is missing or its shape
    // differs from `shape`.
    void require(const std::string& name, const std::vector<std::int64_t>& shape) const;

private:
    const InternalView& view_;
    WeightLoader loader_;
    std::string configuration_;
};

}  // namespace storyreel::infer::wan
