// LlamaDecoder: the Llama-3 language model of HunyuanVideo-I2V's LLaVA text encoder
// (transformers 4.39.3 LlamaModel), run only as deep as the encoder reads it: HunyuanVideo
// takes hidden_states[-(skip + 1)] (hidden_state_skip_layer 2: the residual stream after
// num_layers - 2 layers, with no final norm), so the last `skip` layers are neither loaded
// nor run. With skip 0 it returns LlamaModel's last_hidden_state (final RMSNorm applied).
//
//   LlamaDecoder llama(config, weights, "language_model.model.", /*skipLayers=*/2, at::kHalf);
//   at::Tensor x = llama.embed(ids);                      // [B, L, hidden]
//   at::Tensor h = llama.forward(x, positionIds, mask);   // hidden_states[-3]
//   llama.enableBlockSwap(cuda, 10);   // optional: 10 layers resident, the rest swapped in
//
// Thread-safety: forward() from one thread at a time (it mutates block-swap state).
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/memory/block_swap.h"
#include "core/infer/models/hunyuan/llama_config.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace storyreel::infer::hunyuan {

class LlamaBlock;

class LlamaDecoder : public torch::nn::Module {
public:
    // Loads `prefix`embed_tokens.weight, layers 0 .. num_layers - skipLayers - 1 and, when
    // skipLayers is 0, norm.weight, all in `dtype`. Throws UserError naming the tensor and
    // the file for a missing or mismatched tensor, or for skipLayers outside 0..num_layers.
    LlamaDecoder(const LlamaConfig& config, const ModuleWeights& weights, const std::string& prefix,
                 std::int64_t skipLayers, at::ScalarType dtype);
    ~LlamaDecoder() override;

    const LlamaConfig& config() const { return config_; }
    at::ScalarType dtype() const { return embedTokens_.scalar_type(); }
    c10::Device device() const { return embedTokens_.device(); }
    std::int64_t layersRun() const { return static_cast<std::int64_t>(blocks_.size()); }

    // ids: [B, L] integer -> [B, L, hidden] (embed_tokens), on the weights' device. Throws
    // UserError for an id outside the vocabulary.
    at::Tensor embed(const at::Tensor& ids) const;

    // embeds: [B, L, hidden]; positionIds: [B, L] integer; keyMask: [B, L], 0 for padding
    // keys (no query sees them; causal as well). Returns [B, L, hidden] in the weights'
    // dtype: hidden_states[layersRun()] of the reference (normed when skipLayers was 0).
    at::Tensor forward(const at::Tensor& embeds, const at::Tensor& positionIds,
                       const at::Tensor& keyMask) const;

    // The decoder layers that run, in order, as BlockSwapRunner takes them.
    BlockSwapRunner::Blocks blocks() const;
    // Moves the embedding (and norm) to `device` and lets a BlockSwapRunner keep the first
    // `residentBlocks` layers there, swapping the others in per forward call (bit-identical
    // results). Null blockSwap() when off.
    void enableBlockSwap(const c10::Device& device, std::int64_t residentBlocks);
    const BlockSwapRunner* blockSwap() const { return blockSwap_.get(); }

private:
    LlamaConfig config_;
    at::Tensor embedTokens_;  // [vocab, hidden]
    at::Tensor norm_;         // [hidden], only when no layer is skipped
    std::vector<std::shared_ptr<LlamaBlock>> blocks_;
    std::unique_ptr<BlockSwapRunner> blockSwap_;
};

}  // namespace storyreel::infer::hunyuan
