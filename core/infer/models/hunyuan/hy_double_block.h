// MMDoubleStreamBlock (hyvideo/modules/models.py): separate image and text streams, each with
// its own 6-way modulation, fused qkv with per-head RMS norms, projection and GELU(tanh) MLP,
// meeting in one joint attention over [image; text]; RoPE on the image q/k only. With
// token_replace the image tokens of latent frame 0 take the second modulation set. A torch
// module holding its parameters under the reference's names (img_mod.linear, img_attn_qkv,
// img_attn_q_norm, ..., txt_mlp.fc2), so BlockSwapRunner can move it as one unit.
//
//   auto block = std::make_shared<HunyuanDoubleBlock>(weights, 0, config);
//   std::tie(img, txt) = block->forward(img, txt, inputs);   // float32 residual streams
//
// Thread-safety: forward() from one thread at a time per block.
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/hunyuan/hy_attention.h"
#include "core/infer/models/hunyuan/hy_dit_config.h"
#include "core/infer/models/hunyuan/hy_modulation.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace storyreel::infer::hunyuan {

// What every block of one forward pass shares.
struct HunyuanBlockInputs {
    at::Tensor vec;                     // [B, hidden] float32: time_in + vector_in (+ guidance_in)
    at::Tensor tokenReplaceVec;         // [B, hidden] float32 (token_replace) or undefined
    std::int64_t firstFrameTokens = 0;  // th * tw: the tokens of latent frame 0
    at::Tensor freqsCos, freqsSin;      // [image tokens, head_dim] float32 on the device
    std::vector<std::int64_t> segmentLengths;  // per row: image + valid text tokens
    at::ScalarType computeDtype = at::kFloat;  // linear layers and attention
};

// One stream's layers (prefix "double_blocks.N.img" or "...txt").
class HunyuanDoubleStream : public torch::nn::Module {
public:
    HunyuanDoubleStream(const ModuleWeights& weights, const std::string& prefix,
                        const HunyuanDiTConfig& config);

    std::shared_ptr<HunyuanModulateDiT> mod;
    std::shared_ptr<QuantizedLinear> qkv, proj, fc1, fc2;
    std::shared_ptr<HunyuanRMSNorm> qNorm, kNorm;  // null without qk_norm
};

class HunyuanDoubleBlock : public torch::nn::Module {
public:
    // Loads double_blocks.`index`.* from `weights`.
    HunyuanDoubleBlock(const ModuleWeights& weights, std::int64_t index,
                       const HunyuanDiTConfig& config);

    // img: [B, Li, hidden], txt: [B, Lt, hidden], float32. Returns both streams after the
    // block, float32.
    std::pair<at::Tensor, at::Tensor> forward(const at::Tensor& img, const at::Tensor& txt,
                                              const HunyuanBlockInputs& in) const;

private:
    std::int64_t heads_;
    std::int64_t headDim_;
    std::shared_ptr<HunyuanDoubleStream> img_, txt_;
};

}  // namespace storyreel::infer::hunyuan
