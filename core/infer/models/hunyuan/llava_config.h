// LlavaEncoderConfig: everything HunyuanVideo-I2V's LLaVA text encoder is built from: the
// transformers LlavaConfig (Llama text_config, CLIP vision_config, image and pad token ids,
// vision_feature_layer, select strategy, projector activation), the CLIPImageProcessor
// settings and the TextEncoder arguments (hidden_state_skip_layer, apply_final_norm,
// image_embed_interleave, max_length, the video prompt template's cropping fields).
//
//   const LlavaEncoderConfig config = LlavaEncoderConfig::fromJson(goldenConfig);
//   const LlavaEncoderConfig real = LlavaEncoderConfig::released();   // token_replace
//   LlavaEncoderConfig old = real;  old.imageEmbedInterleave = 2;     // latent_concat
//   const LlavaEncoderConfig comfy = LlavaEncoderConfig::fromWeights(textView, visionView);
//
// Thread-safety: a value type.
#pragma once

#include "core/infer/models/hunyuan/clip_image_processor.h"
#include "core/infer/models/hunyuan/clip_vision_config.h"
#include "core/infer/models/hunyuan/hy_prompt_crop.h"
#include "core/infer/models/hunyuan/llama_config.h"
#include "core/infer/weights/json_value.h"

#include <cstdint>
#include <string>

namespace storyreel::infer {
class InternalView;
}

namespace storyreel::infer::hunyuan {

// What no tensor shape tells, for LlavaEncoderConfig::fromWeights: by default the released
// model's (xtuner/llava-llama-3-8b-v1_1-transformers). A model of another size passes its
// own head sizes; one with another vocabulary its <image> and <pad> ids.
struct LlavaUnshapedSettings {
    std::int64_t llamaHeadDim = 128;
    std::int64_t visionHeadDim = 64;
    std::int64_t imageTokenIndex = 128257;
    std::int64_t padTokenId = 128258;  // -1: no token is padding
};

struct LlavaEncoderConfig {
    LlamaConfig text;
    ClipVisionConfig vision;
    ClipImageProcessorConfig imageProcessor;
    HunyuanPromptTemplate prompt;
    // xtuner/llava-llama-3-8b-v1_1-transformers' config.json: <image> and <pad> are the ids
    // added after Llama-3's 128256.
    std::int64_t imageTokenIndex = 128257;
    std::int64_t padTokenId = 128258;  // -1 when the config has none
    std::int64_t visionFeatureLayer = -2;
    bool dropClassToken = true;  // vision_feature_select_strategy "default" ("full" keeps it)
    std::int64_t hiddenStateSkipLayer = 2;
    // 4 for token_replace (the released I2V weights), 2 for latent_concat.
    std::int64_t imageEmbedInterleave = 4;
    // text_len 256 + crop_start 103: the tokenizer pads/truncates the prompt to this.
    std::int64_t maxLength = 359;

    std::string describe() const;

    // Either HunyuanVideo's TextEncoder form {"llava": LlavaConfig, "image_processor": {...},
    // "prompt_template_video": {...}, "hidden_state_skip_layer", "apply_final_norm",
    // "image_embed_interleave", "max_length"} (the golden cases' config), or a bare
    // transformers LlavaConfig (the checkpoint's config.json, with "text_config" at the top),
    // the rest then taking the released values. Throws UserError for unsupported settings
    // (apply_final_norm with skipped layers, a projector activation other than gelu, a
    // select strategy other than default/full) or values of the wrong type.
    static LlavaEncoderConfig fromJson(const JsonValue& json);
    static LlavaEncoderConfig released() { return {}; }

    // For files without a config.json (ComfyUI's text_encoders/llava_llama3_* and
    // clip_vision/llava_llama3_vision): the Llama sizes from `language`
    // (LlamaConfig::fromWeights), the CLIP tower's from `vision`
    // (ClipVisionConfig::fromWeights under vision_tower.vision_model.), the image processor
    // sized to the tower's image (crop = shortest edge = image size, CLIP's mean and std,
    // bicubic), the token ids and head sizes from `settings`, everything else (prompt
    // template, skipped layers, interleave, max length) the released values. Both views may
    // be the same (a full LLaVA checkpoint). Throws UserError naming the file and the tensor
    // for a missing or misshapen one, a projector that does not join the two widths, or
    // token ids outside the vocabulary.
    static LlavaEncoderConfig fromWeights(const InternalView& language, const InternalView& vision,
                                          const LlavaUnshapedSettings& settings = {});
    static LlavaEncoderConfig fromWeights(const InternalView& llava,
                                          const LlavaUnshapedSettings& settings = {});
};

}  // namespace storyreel::infer::hunyuan
