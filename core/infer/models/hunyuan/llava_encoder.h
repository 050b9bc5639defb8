// LlavaTextEncoder: HunyuanVideo-I2V's main text encoder (hyvideo/text_encoder TextEncoder
// "llm-i2v" over transformers 4.39.3 LlavaForConditionalGeneration,
// xtuner/llava-llama-3-8b-v1_1-transformers): the CLIP tower encodes the reference image
// (hidden state -2, class token dropped), the projector maps it to Llama's width, its
// tokens replace the <image> token of the prompt, Llama-3 runs to hidden_states[-3]
// (hidden_state_skip_layer 2, no final norm: the last 2 layers are never loaded or run),
// and the states are cropped to the subsampled image tokens plus the user prompt
// (cropPromptRow). Token ids come from the LLaVA tokenizer applied to the video I2V
// template, right-padded to max_length.
//
//   const ModuleWeights weights(view, weightLoadOptions(profile), "LLaVA-Llama-3",
//                               config.describe());
//   LlavaTextEncoder encoder(config, weights, at::kHalf);   // fp16 as the reference
//   LlavaTextEncoder comfy(config, languageWeights, visionWeights);   // ComfyUI's two files
//   const at::Tensor pixels = clipImagePixels(rgb, config.imageProcessor);  // [1, 3, 336, 336]
//   HunyuanTextStates text = encoder.encode(ids, mask, pixels);
//   // text.states: [B, 396, 4096], text.mask: [B, 396] int64
//
// For GPUs that cannot hold the LLM, encoder.enableBlockSwap(cuda, residentLayers) keeps the
// tower, projector and embeddings on the device and swaps the other Llama layers in.
//
// Thread-safety: encode() from one thread at a time (it mutates block-swap state).
#pragma once

#include "core/infer/layers/module_weights.h"
#include "core/infer/memory/block_swap.h"
#include "core/infer/models/hunyuan/hy_prompt_crop.h"
#include "core/infer/models/hunyuan/llava_config.h"

#include <ATen/core/Tensor.h>
#include <c10/core/ScalarType.h>
#include <torch/nn/module.h>

#include <memory>
#include <optional>

namespace storyreel::infer::hunyuan {

class ClipVisionTower;
class LlamaDecoder;
class LlavaProjector;

class LlavaTextEncoder : public torch::nn::Module {
public:
    // Parameters by LlavaForConditionalGeneration's names (language_model.model.*,
    // vision_tower.vision_model.*, multi_modal_projector.*). computeDtype: the activations'
    // and dense parameters' dtype (the reference runs fp16); by default the weights'
    // load dtype, float32 when that keeps the stored one. Throws UserError naming the file and
    // the tensor for a missing or mismatched one, or for an unusable configuration.
    LlavaTextEncoder(LlavaEncoderConfig config, const ModuleWeights& weights,
                     std::optional<at::ScalarType> computeDtype = std::nullopt);
    // The same model from two files (ComfyUI's split LLaVA: text_encoders/llava_llama3_*
    // and clip_vision/llava_llama3_vision): the Llama from `language`
    // (language_model.model.*), the CLIP tower and projector from `vision`
    // (vision_tower.vision_model.*, multi_modal_projector.*). The default compute dtype
    // follows `language`'s load options.
    LlavaTextEncoder(LlavaEncoderConfig config, const ModuleWeights& language,
                     const ModuleWeights& vision,
                     std::optional<at::ScalarType> computeDtype = std::nullopt);
    ~LlavaTextEncoder() override;

    const LlavaEncoderConfig& config() const { return config_; }

    // inputIds, attentionMask: [B, L] integer (L is usually config.maxLength), each row with
    // exactly one <image> token; pixelValues: [1 or B, 3, S, S] (clipImagePixels; one image
    // serves every row). Each row is encoded as the pipeline's own call for one prompt.
    // Returns states [B, N, hidden] in the compute dtype on the weights' device and mask
    // [B, N] int64. Throws UserError for shapes or ids that do not fit.
    HunyuanTextStates encode(const at::Tensor& inputIds, const at::Tensor& attentionMask,
                             const at::Tensor& pixelValues) const;

    // The Llama states before cropping: hidden_states[-(skip + 1)] over the merged sequence,
    // [B, L + image tokens - 1, hidden].
    at::Tensor mergedStates(const at::Tensor& inputIds, const at::Tensor& attentionMask,
                            const at::Tensor& pixelValues) const;

    // The Llama layers that run, for BlockSwapRunner::moduleBytes / residentBlocks.
    BlockSwapRunner::Blocks languageBlocks() const;
    // Moves the vision tower, projector and embeddings to `device`; the first
    // `residentLayers` Llama layers live there, the others are swapped in per call.
    void enableBlockSwap(const c10::Device& device, std::int64_t residentLayers);
    const BlockSwapRunner* blockSwap() const;

private:
    void checkInputs(const at::Tensor& inputIds, const at::Tensor& attentionMask,
                     const at::Tensor& pixelValues) const;

    LlavaEncoderConfig config_;
    std::shared_ptr<ClipVisionTower> tower_;
    std::shared_ptr<LlavaProjector> projector_;
    std::shared_ptr<LlamaDecoder> llama_;
};

}  // namespace storyreel::infer::hunyuan
