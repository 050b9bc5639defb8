// The embeddings in front of HunyuanVideo's blocks (hyvideo/modules/embed_layers.py,
// mlp_layers.py): img_in (PatchEmbed: Conv3d, kernel = stride = patch), the timestep
// embedder of time_in / guidance_in / txt_in.t_embedder (256-d sinusoid, cos first, then
// Linear-SiLU-Linear), vector_in (MLPEmbedder: in_layer, SiLU, out_layer) and
// txt_in.c_embedder (TextProjection: linear_1, SiLU, linear_2). Parameters under the
// reference's names through ModuleWeights.
//
//   HunyuanTimestepEmbedder timeIn(weights, "time_in", 3072);
//   at::Tensor vec = timeIn.forward(t);                          // [B] -> [B, 3072] float32
//   HunyuanPatchEmbed imgIn(weights, config);
//   at::Tensor tokens = imgIn.forward(x, at::kBFloat16);         // [B, C, T, H, W] -> [B, N, 3072]
//
// Thread-safety: forward() from one thread at a time per module; functions are pure.
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/layers/quantized_linear.h"
#include "core/infer/models/hunyuan/hy_dit_config.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>

namespace storyreel::infer::hunyuan {

// timestep_embedding(t, dim, max_period=10000): [cos(t f_k) | sin(t f_k)], f_k =
// exp(-ln(10000) k / (dim/2)), float32 [N, dim] for t [N].
at::Tensor hunyuanTimestepSinusoid(const at::Tensor& t, std::int64_t dim = 256);

// TimestepEmbedder: `prefix`.mlp.0 (256 -> hidden), SiLU, `prefix`.mlp.2 (hidden -> hidden).
class HunyuanTimestepEmbedder : public torch::nn::Module {
public:
    static constexpr std::int64_t kFrequencyDim = 256;

    HunyuanTimestepEmbedder(const ModuleWeights& weights, const std::string& prefix,
                            std::int64_t hidden);

    // t: [B] (any numeric dtype) -> [B, hidden] float32, on the layer's device.
    at::Tensor forward(const at::Tensor& t) const;

private:
    std::shared_ptr<QuantizedLinear> linear0_, linear2_;
};

// A two-layer MLP with SiLU between, for vector_in (in_layer/out_layer) and the refiner's
// c_embedder (linear_1/linear_2).
class HunyuanTwoLayerEmbedder : public torch::nn::Module {
public:
    HunyuanTwoLayerEmbedder(const ModuleWeights& weights, const std::string& prefix,
                            const std::string& first, const std::string& second, std::int64_t inDim,
                            std::int64_t hidden);

    // x: [..., inDim] -> [..., hidden] in x's dtype.
    at::Tensor forward(const at::Tensor& x) const;

private:
    std::shared_ptr<QuantizedLinear> first_, second_;
};

// img_in: PatchEmbed's Conv3d (`img_in.proj.weight` [hidden, C, pt, ph, pw], bias [hidden]).
class HunyuanPatchEmbed : public torch::nn::Module {
public:
    HunyuanPatchEmbed(const ModuleWeights& weights, const HunyuanDiTConfig& config);

    // x: [B, C, T, H, W] -> tokens [B, (T/pt)(H/ph)(W/pw), hidden] in (t, h, w) order, in
    // `dtype` (a remainder that fills no patch is dropped, as the convolution drops it).
    at::Tensor forward(const at::Tensor& x, at::ScalarType dtype) const;

private:
    std::array<std::int64_t, 3> patch_;
    std::int64_t inChannels_;
    at::Tensor weight_;  // [hidden, C, pt, ph, pw]
    at::Tensor bias_;    // [hidden]
};

}  // namespace storyreel::infer::hunyuan
