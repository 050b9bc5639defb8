// Head (wan/modules/model.py): the output layer after the blocks, with its own 2-way
// modulation (shift, scale) from e (not e0). Parameters under the reference names
// (head.modulation, head.head.*).
//
//   WanHead head(weights, config);
//   at::Tensor out = head.forward(x, e);   // [B, L, dim], [B, dim] -> [B, L, prod(patch)*out_dim]
//
// Thread-safety: forward() from one thread at a time.
#pragma once

#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/wan/wan_config.h"
#include "core/infer/models/wan/wan_norm.h"
#include "core/infer/models/wan/wan_weights.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <memory>

namespace storyreel::infer::wan {

class WanHead : public torch::nn::Module {
public:
    WanHead(const WanWeights& weights, const WanModelConfig& config);

    // x: [B, L, dim] float32, e: [B or 1, dim] float32. head(norm(x) * (1 + scale) + shift)
    // in float32 (the reference runs the head under float32 autocast). Returns float32.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& e) const;

private:
    at::Tensor modulation_;  // [1, 2, dim] float32
    std::shared_ptr<WanLayerNorm> norm_;
    std::shared_ptr<QuantizedLinear> head_;
};

}  // namespace storyreel::infer::wan
