// ModuleWeights: how a model's modules get their parameters: through a WeightLoader, by the
// reference's own names ("double_blocks.0.img_attn_qkv.weight"), whatever the checkpoint's
// layout (official, ComfyUI, diffusers, GGUF: the InternalView maps them), each checked
// against the shape the configuration needs, so that a missing or mismatched tensor is
// reported by name with the file before anything runs. Shared by every model port.
//
//   const ModuleWeights weights(view, weightLoadOptions(profile), "HunyuanVideo DiT",
//                               config.describe());
//   auto qkv = weights.linear("double_blocks.0.img_attn_qkv", 3 * dim, dim);  // QuantizedLinear
//   at::Tensor norm = weights.dense("double_blocks.0.img_attn_q_norm.weight", {128}, at::kFloat);
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

namespace storyreel::infer {

class ModuleWeights {
public:
    // Keeps a reference to `view`, which must outlive this object. `model` names the model
    // in messages ("Wan DiT"); `configuration` what the shapes come from ("i2v, dim 5120,
    // 40 layers, ...").
    ModuleWeights(const InternalView& view, WeightLoadOptions options, std::string model,
                  std::string configuration);

    const WeightLoader& loader() const { return loader_; }
    const InternalView& view() const { return view_; }

    // `prefix`.weight [out, in] (dense or GGUF blocks) and, when `withBias`, `prefix`.bias
    // [out]. Runtime LoRAs are attached when the loader kept the weight quantised.
    std::shared_ptr<QuantizedLinear> linear(const std::string& prefix, std::int64_t outFeatures,
                                            std::int64_t inFeatures, bool withBias = true) const;
    // A dense tensor of `shape`; `dtype` overrides the load options (modulations and norms
    // usually stay float32 as in the references).
    at::Tensor dense(const std::string& name, const std::vector<std::int64_t>& shape,
                     std::optional<at::ScalarType> dtype = std::nullopt) const;
    bool contains(const std::string& name) const { return view_.contains(name); }

    // Throws UserError naming the file and the tensor when it is missing or its shape
    // differs from `shape`.
    void require(const std::string& name, const std::vector<std::int64_t>& shape) const;

private:
    const InternalView& view_;
    WeightLoader loader_;
    std::string model_;
    std::string configuration_;
};

}  // namespace storyreel::infer
