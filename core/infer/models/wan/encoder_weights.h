// Parameter loading shared by Wan's text and image encoders: a tensor by its reference name
// with its shape checked against the configuration, and Linear layers (dense or GGUF
// quantised, with LoRAs the loader could not merge) built from `<name>.weight` and
// `<name>.bias`. A missing tensor is reported by the WeightLoader with the file's name.
//
//   at::Tensor norm = loadChecked(loader, "norm.weight", {4096});
//   auto q = loadLinear(loader, "blocks.0.attn.q", 4096, 4096, LinearBias::None);
//
// Thread-safety: as the WeightLoader (const methods from any thread).
#pragma once

#include "core/infer/layers/quantized_linear.h"
#include "core/infer/weights/weight_loader.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace storyreel::infer::wan {

enum class LinearBias { None, Present };

// A dense parameter; throws UserError naming it when its shape is not `shape`.
at::Tensor loadChecked(const WeightLoader& loader, const std::string& name,
                       const std::vector<std::int64_t>& shape);

// `prefix`.weight [outFeatures, inFeatures] (and `prefix`.bias [outFeatures]) as a
// QuantizedLinear; throws UserError naming the tensor when a shape differs.
std::shared_ptr<QuantizedLinear> loadLinear(const WeightLoader& loader, const std::string& prefix,
                                            std::int64_t outFeatures, std::int64_t inFeatures,
                                            LinearBias bias);

}  // namespace storyreel::infer::wan
