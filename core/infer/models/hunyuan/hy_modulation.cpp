#include "core/infer/models/hunyuan/hy_modulation.h"

#include <ATen/ATen.h>

#include <algorithm>

namespace storyreel::infer::hunyuan {
namespace {

constexpr double kNormEps = 1e-6;

std::vector<at::Tensor> chunked(const at::Tensor& projected, std::int64_t factor) {
    std::vector<at::Tensor> chunks = projected.to(at::kFloat).chunk(factor, -1);
    for (at::Tensor& chunk : chunks) {
        chunk = chunk.unsqueeze(1);  // [B, 1, hidden]: broadcast over tokens
    }
    return chunks;
}

}  // namespace

at::Tensor hunyuanLayerNorm(const at::Tensor& x) {
    return at::layer_norm(x.to(at::kFloat), {x.size(-1)}, {}, {}, kNormEps);
}

at::Tensor HunyuanModulation::modulate(const at::Tensor& x, std::size_t shift,
                                       std::size_t scale) const {
    const auto apply = [&](const at::Tensor& part, const std::vector<at::Tensor>& set) {
        return part * (1 + set.at(scale)) + set.at(shift);
    };
    if (firstFrameChunks.empty()) {
        return apply(x, chunks);
    }
    const std::int64_t first = std::min(firstFrameTokens, x.size(1));
    return at::cat({apply(x.narrow(1, 0, first), firstFrameChunks),
                    apply(x.narrow(1, first, x.size(1) - first), chunks)},
                   1);
}

at::Tensor HunyuanModulation::gate(const at::Tensor& x, std::size_t gate) const {
    if (firstFrameChunks.empty()) {
        return x * chunks.at(gate);
    }
    const std::int64_t first = std::min(firstFrameTokens, x.size(1));
    return at::cat({x.narrow(1, 0, first) * firstFrameChunks.at(gate),
                    x.narrow(1, first, x.size(1) - first) * chunks.at(gate)},
                   1);
}

HunyuanModulateDiT::HunyuanModulateDiT(const ModuleWeights& weights, const std::string& prefix,
                                       std::int64_t hidden, std::int64_t factor)
    : factor_(factor) {
    linear_ =
        register_module("linear", weights.linear(prefix + ".linear", factor * hidden, hidden));
}

HunyuanModulation HunyuanModulateDiT::forward(const at::Tensor& vec,
                                              const at::Tensor& tokenReplaceVec,
                                              std::int64_t firstFrameTokens) const {
    HunyuanModulation m;
    m.chunks = chunked(linear_->forward(at::silu(vec)), factor_);
    if (tokenReplaceVec.defined()) {
        m.firstFrameChunks = chunked(linear_->forward(at::silu(tokenReplaceVec)), factor_);
        m.firstFrameTokens = firstFrameTokens;
    }
    return m;
}

}  // namespace storyreel::infer::hunyuan
