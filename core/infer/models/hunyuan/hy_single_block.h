// MMSingleStreamBlock (hyvideo/modules/models.py): one stream over the joint [image; text]
// tokens with parallel linear layers: linear1 gives [q | k | v (3*hidden), mlp (mlp_hidden)],
// linear2 takes [attention, GELU(tanh)(mlp)]; 3-way modulation (shift, scale, gate), with
// token_replace's second set on the first th*tw tokens; RoPE on the image tokens' q/k only.
// A torch module holding linear1, linear2, q_norm, k_norm and modulation.linear.
//
//   auto block = std::make_shared<HunyuanSingleBlock>(weights, 0, config);
//   x = block->forward(x, textTokens, inputs);   // x: [B, Li + Lt, hidden] float32
//
// Thread-safety: forward() from one thread at a time per block.
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/hunyuan/hy_attention.h"
#include "core/infer/models/hunyuan/hy_dit_config.h"
#include "core/infer/models/hunyuan/hy_double_block.h"
#include "core/infer/models/hunyuan/hy_modulation.h"

#include <ATen/core/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>

namespace storyreel::infer::hunyuan {

class HunyuanSingleBlock : public torch::nn::Module {
public:
    // Loads single_blocks.`index`.* from `weights`.
    HunyuanSingleBlock(const ModuleWeights& weights, std::int64_t index,
                       const HunyuanDiTConfig& config);

    // x: [B, L, hidden] float32 whose last `textTokens` tokens are text. Returns the stream
    // after the block, float32.
    at::Tensor forward(const at::Tensor& x, std::int64_t textTokens,
                       const HunyuanBlockInputs& in) const;

private:
    std::int64_t hidden_;
    std::int64_t mlpHidden_;
    std::int64_t heads_;
    std::int64_t headDim_;
    std::shared_ptr<QuantizedLinear> linear1_, linear2_;
    std::shared_ptr<HunyuanRMSNorm> qNorm_, kNorm_;  // null without qk_norm
    std::shared_ptr<HunyuanModulateDiT> modulation_;
};

}  // namespace storyreel::infer::hunyuan
