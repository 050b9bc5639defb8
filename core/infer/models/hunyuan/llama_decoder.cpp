#include "core/infer/models/hunyuan/llama_decoder.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/llama_attention.h"
#include "core/infer/models/hunyuan/llama_block.h"

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

namespace storyreel::infer::hunyuan {

LlamaDecoder::LlamaDecoder(const LlamaConfig& config, const ModuleWeights& weights,
                           const std::string& prefix, std::int64_t skipLayers, at::ScalarType dtype)
    : config_(config) {
    config.validate();
    if (skipLayers < 0 || skipLayers > config.numLayers) {
        throw UserError("Llama decoder: hidden_state_skip_layer " + std::to_string(skipLayers) +
                        " is outside 0.." + std::to_string(config.numLayers) + " (the model has " +
                        std::to_string(config.numLayers) + " layers)");
    }
    const std::int64_t hidden = config.hiddenSize;
    embedTokens_ = register_buffer(
        "embed_tokens",
        weights.dense(prefix + "embed_tokens.weight", {config.vocabSize, hidden}, dtype));
    for (std::int64_t i = 0; i < config.numLayers - skipLayers; ++i) {
        const std::string name = "layers_" + std::to_string(i);
        blocks_.push_back(register_module(
            name, std::make_shared<LlamaBlock>(
                      config, weights, prefix + "layers." + std::to_string(i) + ".", dtype)));
    }
    if (skipLayers == 0) {
        norm_ = register_buffer("norm", weights.dense(prefix + "norm.weight", {hidden}, dtype));
    }
}

LlamaDecoder::~LlamaDecoder() = default;

BlockSwapRunner::Blocks LlamaDecoder::blocks() const {
    return BlockSwapRunner::Blocks(blocks_.begin(), blocks_.end());
}

void LlamaDecoder::enableBlockSwap(const c10::Device& device, std::int64_t residentBlocks) {
    blockSwap_.reset();  // puts swapped layers back on their host copies first
    for (auto& buffer : named_buffers(/*recurse=*/false)) {
        buffer.value().set_data(buffer.value().to(device));
    }
    blockSwap_ = std::make_unique<BlockSwapRunner>(blocks(), device, residentBlocks);
}

at::Tensor LlamaDecoder::embed(const at::Tensor& ids) const {
    if (ids.dim() != 2 || at::isFloatingType(ids.scalar_type())) {
        throw UserError("Llama decoder: token ids must be a [batch, length] integer tensor");
    }
    const at::Tensor index = ids.to(embedTokens_.device(), at::kLong);
    if (index.numel() > 0 && (index.min().item<std::int64_t>() < 0 ||
                              index.max().item<std::int64_t>() >= config_.vocabSize)) {
        throw UserError("Llama decoder: a token id is outside the vocabulary of " +
                        std::to_string(config_.vocabSize) +
                        " ids; the tokenizer does not belong to this model");
    }
    return at::embedding(embedTokens_, index);
}

at::Tensor LlamaDecoder::forward(const at::Tensor& embeds, const at::Tensor& positionIds,
                                 const at::Tensor& keyMask) const {
    if (embeds.dim() != 3 || embeds.size(2) != config_.hiddenSize ||
        positionIds.sizes() != embeds.sizes().slice(0, 2) ||
        keyMask.sizes() != embeds.sizes().slice(0, 2)) {
        throw UserError("Llama decoder: expected embeddings [B, L, " +
                        std::to_string(config_.hiddenSize) +
                        "] with position ids and a mask of [B, L]");
    }
    const at::NoGradGuard noGrad;
    const auto device = embedTokens_.device();
    at::Tensor x = embeds.to(device, embedTokens_.scalar_type());
    const auto [cos, sin] = llamaRotary(positionIds.to(device, at::kLong), config_.headDim(),
                                        config_.ropeTheta, x.scalar_type());
    const at::Tensor allowed = causalPaddingMask(keyMask.to(device));
    const auto step = [&](std::size_t i, const at::Tensor& h) {
        return blocks_[i]->forward(h, cos, sin, allowed);
    };
    if (blockSwap_) {
        x = blockSwap_->run(x, step);
    } else {
        for (std::size_t i = 0; i < blocks_.size(); ++i) {
            x = step(i, x);
        }
    }
    if (norm_.defined()) {
        x = llamaRmsNorm(x, norm_, config_.rmsNormEps);
    }
    return x;
}

}  // namespace storyreel::infer::hunyuan
