#include "core/infer/models/wan/umt5_encoder.h"

#include "core/infer/models/wan/encoder_weights.h"
#include "core/infer/models/wan/umt5_block.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include <stdexcept>
#include <string>

namespace storyreel::infer::wan {

UMT5Encoder::UMT5Encoder(const UMT5EncoderConfig& config, const WeightLoader& loader)
    : config_(config) {
    tokenEmbedding_ =
        register_buffer("token_embedding",
                        loadChecked(loader, "token_embedding.weight", {config.vocab, config.dim}));
    if (config.sharedPos) {
        sharedPosEmbedding_ =
            register_buffer("pos_embedding", loadChecked(loader, "pos_embedding.embedding.weight",
                                                         {config.numBuckets, config.numHeads}));
    }
    for (std::int64_t i = 0; i < config.numLayers; ++i) {
        const std::string prefix = "blocks." + std::to_string(i) + ".";
        blocks_.push_back(register_module(
            "blocks_" + std::to_string(i),
            std::make_shared<UMT5Block>(config, loader, prefix, !config.sharedPos)));
    }
    norm_ = register_buffer("norm", loadChecked(loader, "norm.weight", {config.dim}));
}

at::Tensor UMT5Encoder::forward(const at::Tensor& ids, const at::Tensor& mask) const {
    if (ids.dim() != 2 || (mask.defined() && mask.sizes() != ids.sizes())) {
        throw std::invalid_argument("UMT5Encoder::forward: ids and mask must both be [B, L]");
    }
    const at::NoGradGuard noGrad;
    const at::Tensor keyMask =
        mask.defined() ? mask.to(tokenEmbedding_.device()).ne(0) : at::Tensor();
    at::Tensor x = at::embedding(tokenEmbedding_, ids.to(tokenEmbedding_.device()).to(at::kLong));
    at::Tensor sharedBias;
    if (sharedPosEmbedding_.defined()) {
        sharedBias = t5PositionBias(sharedPosEmbedding_, x.size(1), x.size(1));
    }
    for (const auto& block : blocks_) {
        x = block->forward(x, keyMask, sharedBias);
    }
    return t5LayerNorm(x, norm_);
}

std::vector<at::Tensor> contextsFromHidden(const at::Tensor& hidden, const at::Tensor& mask) {
    std::vector<at::Tensor> contexts;
    const at::Tensor lengths = mask.gt(0).sum(1).to(at::kLong).cpu();
    for (std::int64_t i = 0; i < hidden.size(0); ++i) {
        contexts.push_back(hidden[i].slice(0, 0, lengths[i].item<std::int64_t>()));
    }
    return contexts;
}

}  // namespace storyreel::infer::wan
