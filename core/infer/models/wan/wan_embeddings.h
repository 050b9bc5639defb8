// The embeddings in front of Wan 2.1's blocks (wan/modules/model.py WanModel.__init__):
// patch_embedding (Conv3d, kernel = stride = patch), text_embedding (Linear, GELU(tanh),
// Linear), time_embedding (Linear, SiLU, Linear) with time_projection (SiLU, Linear to
// 6*dim), and for i2v img_emb (MLPProj: LayerNorm, Linear, GELU, Linear, LayerNorm). Each is
// a torch module holding its parameters under the reference names.
//
//   WanPatchEmbedding patch(weights, config);
//   at::Tensor tokens = patch.forward(video, dtype, grid);    // [C, F, H, W] -> [F'H'W', dim]
//   at::Tensor e = timeEmbedding.forward(t, device);            // [B, dim] float32
//   at::Tensor e0 = timeProjection.forward(e);                  // [B, 6, dim] float32
//
// Thread-safety: forward() from one thread at a time per module.
#pragma once

#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/wan/wan_config.h"
#include "core/infer/models/wan/wan_norm.h"
#include "core/infer/models/wan/wan_weights.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <array>
#include <cstdint>
#include <memory>

namespace storyreel::infer::wan {

class WanPatchEmbedding : public torch::nn::Module {
public:
    WanPatchEmbedding(const WanWeights& weights, const WanModelConfig& config);

    // video: [in_dim, F, H, W]. The Conv3d with kernel = stride = patch, computed as one
    // matrix product over the patches (a remainder that fills no patch is dropped, as the
    // convolution drops it). Returns the tokens [F'*H'*W', dim] in (f, h, w) order, in
    // `dtype`, and sets `grid` to (F', H', W').
    at::Tensor forward(const at::Tensor& video, at::ScalarType dtype,
                       std::array<std::int64_t, 3>& grid) const;

private:
    std::array<std::int64_t, 3> patch_;
    std::int64_t inDim_;
    at::Tensor weight_;  // [dim, in_dim, pt, ph, pw]
    at::Tensor bias_;    // [dim]
};

class WanTextEmbedding : public torch::nn::Module {
public:
    WanTextEmbedding(const WanWeights& weights, const WanModelConfig& config);

    // context: [B, text_len, text_dim] (already zero-padded) -> [B, text_len, dim] in
    // context's dtype.
    at::Tensor forward(const at::Tensor& context) const;

private:
    std::shared_ptr<QuantizedLinear> linear0_, linear2_;
};

// time_embedding: Sequential(Linear(freq_dim, dim), SiLU, Linear(dim, dim)).
class WanTimeEmbedding : public torch::nn::Module {
public:
    WanTimeEmbedding(const WanWeights& weights, const WanModelConfig& config);

    // t: [B] timesteps -> e = time_embedding(sinusoid(t) cast to float32) [B, dim] float32
    // (the reference runs it under float32 autocast).
    at::Tensor forward(const at::Tensor& t, const c10::Device& device) const;

private:
    std::int64_t freqDim_;
    std::shared_ptr<QuantizedLinear> linear0_, linear2_;
};

// time_projection: Sequential(SiLU, Linear(dim, 6*dim)).
class WanTimeProjection : public torch::nn::Module {
public:
    WanTimeProjection(const WanWeights& weights, const WanModelConfig& config);

    // e: [B, dim] float32 -> e0 [B, 6, dim] float32.
    at::Tensor forward(const at::Tensor& e) const;

private:
    std::int64_t dim_;
    std::shared_ptr<QuantizedLinear> linear1_;
};

class WanImageEmbedding : public torch::nn::Module {
public:
    // The CLIP ViT-H/14 features' width.
    static constexpr std::int64_t kClipDim = 1280;

    // img_emb.proj.{0,1,3,4} (LayerNorms with eps 1e-5, GELU with erf).
    WanImageEmbedding(const WanWeights& weights, const WanModelConfig& config);

    // clipFea: [B, N, 1280] -> [B, N, dim] in `dtype`.
    at::Tensor forward(const at::Tensor& clipFea, at::ScalarType dtype) const;

private:
    std::shared_ptr<WanLayerNorm> norm0_, norm4_;
    std::shared_ptr<QuantizedLinear> linear1_, linear3_;
};

}  // namespace storyreel::infer::wan
