// ClipTextEncoder: HunyuanVideo's second text encoder (hyvideo/text_encoder TextEncoder
// "clipL" over transformers 4.39.3 CLIPTextModel, openai/clip-vit-large-patch14): token and
// position embeddings, encoder layers under CLIP's causal mask plus the padding mask,
// final_layer_norm; the pooled output (pooler_output, the DiT's text_states_2) is the final
// state at argmax(input_ids), the <|endoftext|> token, with the released config.
//
//   const ModuleWeights weights(view, weightLoadOptions(profile), "CLIP-L text",
//                               config.describe());
//   ClipTextEncoder clip(ClipTextConfig::released(), weights);
//   at::Tensor pooled = clip.pooled(ids, mask);              // [B, 77] -> [B, 768]
//
// Thread-safety: const methods from one thread at a time (as any torch module).
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/models/hunyuan/clip_text_config.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <memory>
#include <optional>
#include <vector>

namespace storyreel::infer::hunyuan {

class ClipEncoderLayer;

class ClipTextEncoder : public torch::nn::Module {
public:
    // Parameters by CLIPTextModel's names (text_model.*). computeDtype as LlavaTextEncoder's.
    // Throws UserError naming the file and the tensor for a missing or mismatched one.
    ClipTextEncoder(ClipTextConfig config, const ModuleWeights& weights,
                    std::optional<at::ScalarType> computeDtype = std::nullopt);
    ~ClipTextEncoder() override;

    const ClipTextConfig& config() const { return config_; }

    // ids: [B, L] integer, L <= max_position_embeddings; mask: [B, L] (0 = padding) or
    // undefined (causal only). Returns last_hidden_state [B, L, hidden] (final_layer_norm
    // applied) in the compute dtype on the weights' device. Throws UserError for bad shapes
    // or ids outside the vocabulary.
    at::Tensor lastHiddenState(const at::Tensor& ids, const at::Tensor& mask) const;
    // pooler_output: [B, hidden].
    at::Tensor pooled(const at::Tensor& ids, const at::Tensor& mask) const;
    // The pooling of an already computed last hidden state.
    at::Tensor poolFrom(const at::Tensor& lastHiddenState, const at::Tensor& ids) const;

private:
    ClipTextConfig config_;
    at::Tensor tokenEmbedding_;     // [vocab, hidden]
    at::Tensor positionEmbedding_;  // [positions, hidden]
    at::Tensor finalNormWeight_, finalNormBias_;
    std::vector<std::shared_ptr<ClipEncoderLayer>> layers_;
};

}  // namespace storyreel::infer::hunyuan
