// HunyuanVideo's token refiner (hyvideo/modules/token_refiner.py SingleTokenRefiner), the
// DiT's txt_in: the LLM text states are projected (input_embedder), conditioned on the
// timestep (t_embedder) plus the masked mean of the states (c_embedder), and refined by
// `depth` self-attention blocks (IndividualTokenRefinerBlock: affine LayerNorms eps 1e-6,
// fused qkv, SiLU MLP, gates (gate_msa, gate_mlp) from adaLN_modulation). Parameters under
// `prefix` ("txt_in" in a DiT checkpoint) by the reference's names.
//
//   HunyuanTokenRefiner refiner(weights, "txt_in", 4096, 3072, 24, 2);
//   at::Tensor txt = refiner.forward(textStates, t, textMask, at::kBFloat16);  // [B, L, 3072]
//
// Thread-safety: forward() from one thread at a time.
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/hunyuan/hy_embeddings.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace storyreel::infer::hunyuan {

class HunyuanTokenRefinerBlock : public torch::nn::Module {
public:
    // `prefix`: "txt_in.individual_token_refiner.blocks.N".
    HunyuanTokenRefinerBlock(const ModuleWeights& weights, const std::string& prefix,
                             std::int64_t hidden, std::int64_t heads, double mlpWidthRatio);

    // x: [B, L, hidden] float32; c: [B, hidden] float32; allowed: [B, 1, L, L] bool or
    // undefined (no mask). Returns the stream after the block, float32.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& c, const at::Tensor& allowed,
                       at::ScalarType computeDtype) const;

private:
    std::int64_t hidden_;
    std::int64_t heads_;
    at::Tensor norm1Weight_, norm1Bias_, norm2Weight_, norm2Bias_;
    std::shared_ptr<QuantizedLinear> qkv_, proj_, fc1_, fc2_, modulation_;
};

class HunyuanTokenRefiner : public torch::nn::Module {
public:
    // `prefix`: "txt_in" for a DiT; "" for a checkpoint of the refiner alone.
    HunyuanTokenRefiner(const ModuleWeights& weights, const std::string& prefix,
                        std::int64_t inChannels, std::int64_t hidden, std::int64_t heads,
                        std::int64_t depth, double mlpWidthRatio = 4.0);

    // x: [B, L, in_channels]; t: [B] timesteps; mask: [B, L] (non-zero = valid token) or
    // undefined. Padded rows are computed too (they attend to token 0 only), as in the
    // reference. Returns [B, L, hidden] float32. Throws std::invalid_argument for other
    // shapes or a mask row without any valid token (the reference divides by zero).
    at::Tensor forward(const at::Tensor& x, const at::Tensor& t, const at::Tensor& mask,
                       at::ScalarType computeDtype = at::kFloat) const;

private:
    std::int64_t inChannels_;
    std::shared_ptr<QuantizedLinear> inputEmbedder_;
    std::shared_ptr<HunyuanTimestepEmbedder> tEmbedder_;
    std::shared_ptr<HunyuanTwoLayerEmbedder> cEmbedder_;
    std::vector<std::shared_ptr<HunyuanTokenRefinerBlock>> blocks_;
};

}  // namespace storyreel::infer::hunyuan
