// A tiny pre-norm transformer block (self-attention + GELU MLP, float32) and a stack of
// them, standing in for Wan's and HunyuanVideo's blocks in the memory tests: same kinds of
// layers and the same attention layout ([B, L, heads, head_dim]), sizes of our choosing.
//
//   TinyStack stack = makeTinyStack(4, {64, 4, 256});
//   at::Tensor y = runAllResident(stack, x);
//
// Thread-safety: test code, one thread.
#pragma once

#include "core/infer/memory/attention.h"

#include <ATen/ATen.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <cstdint>
#include <memory>
#include <vector>

namespace storyreel::test {

struct TinyBlockShape {
    std::int64_t dim = 64;
    std::int64_t heads = 4;
    std::int64_t ffnDim = 256;
    // Budget of the chunked attention; 0: AttentionKernel::Auto.
    std::int64_t maxScoreBytes = 0;
};

class TinyBlock : public torch::nn::Module {
public:
    explicit TinyBlock(const TinyBlockShape& shape)
        : shape_(shape),
          norm1(register_module("norm1",
                                torch::nn::LayerNorm(torch::nn::LayerNormOptions({shape.dim})))),
          qkv(register_module("qkv", torch::nn::Linear(shape.dim, 3 * shape.dim))),
          o(register_module("o", torch::nn::Linear(shape.dim, shape.dim))),
          norm2(register_module("norm2",
                                torch::nn::LayerNorm(torch::nn::LayerNormOptions({shape.dim})))),
          ffn0(register_module("ffn0", torch::nn::Linear(shape.dim, shape.ffnDim))),
          ffn2(register_module("ffn2", torch::nn::Linear(shape.ffnDim, shape.dim))) {}

    // x: [B, L, dim]
    at::Tensor forward(const at::Tensor& x) {
        const std::int64_t b = x.size(0);
        const std::int64_t l = x.size(1);
        const auto parts = qkv(norm1(x)).view({b, l, 3, shape_.heads, -1}).unbind(2);
        infer::AttentionOptions options;
        if (shape_.maxScoreBytes > 0) {
            options.kernel = infer::AttentionKernel::Chunked;
            options.maxScoreBytes = shape_.maxScoreBytes;
        }
        at::Tensor h =
            x + o(infer::attention(parts[0], parts[1], parts[2], options).view({b, l, -1}));
        return h + ffn2(at::gelu(ffn0(norm2(h))));
    }

private:
    TinyBlockShape shape_;

public:
    torch::nn::LayerNorm norm1;
    torch::nn::Linear qkv, o;
    torch::nn::LayerNorm norm2;
    torch::nn::Linear ffn0, ffn2;
};

using TinyStack = std::vector<std::shared_ptr<TinyBlock>>;

inline TinyStack makeTinyStack(int count, const TinyBlockShape& shape, std::uint64_t seed = 7) {
    at::manual_seed(seed);
    TinyStack stack;
    for (int i = 0; i < count; ++i) {
        stack.push_back(std::make_shared<TinyBlock>(shape));
    }
    return stack;
}

inline std::vector<std::shared_ptr<torch::nn::Module>> modulesOf(const TinyStack& stack) {
    return {stack.begin(), stack.end()};
}

inline at::Tensor runAllResident(const TinyStack& stack, at::Tensor x) {
    for (const auto& block : stack) {
        x = block->forward(x);
    }
    return x;
}

}  // namespace storyreel::test
