#include "core/infer/models/hunyuan/llava_config.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/hy_weight_shapes.h"
#include "core/infer/models/hunyuan/llava_json_fields.h"
#include "core/infer/registry/internal_view.h"

namespace storyreel::infer::hunyuan {
namespace {

constexpr const char* kContext = "LLaVA text encoder config";

void readLlava(const JsonValue& llava, LlavaEncoderConfig& c) {
    if (const JsonValue* text = jsonObject(llava, "text_config", kContext)) {
        c.text = LlamaConfig::fromJson(*text);
    }
    if (const JsonValue* vision = jsonObject(llava, "vision_config", kContext)) {
        c.vision = ClipVisionConfig::fromJson(*vision);
    }
    c.imageTokenIndex = jsonInt(llava, "image_token_index", c.imageTokenIndex, kContext);
    // LlavaForConditionalGeneration: pad_token_id None -> -1 (no token is padding).
    c.padTokenId = jsonInt(llava, "pad_token_id", -1, kContext);
    c.visionFeatureLayer = jsonInt(llava, "vision_feature_layer", c.visionFeatureLayer, kContext);
    const std::string strategy =
        jsonString(llava, "vision_feature_select_strategy", "default", kContext);
    if (strategy != "default" && strategy != "full") {
        throw UserError(std::string(kContext) + ": vision_feature_select_strategy \"" + strategy +
                        "\" is not supported (default or full)");
    }
    c.dropClassToken = strategy == "default";
    const std::string act = jsonString(llava, "projector_hidden_act", "gelu", kContext);
    if (act != "gelu") {
        throw UserError(std::string(kContext) + ": projector_hidden_act \"" + act +
                        "\" is not supported (LLaVA uses gelu)");
    }
}

}  // namespace

std::string LlavaEncoderConfig::describe() const {
    return "Llama " + text.describe() + "; CLIP " + vision.describe() + "; skip " +
           std::to_string(hiddenStateSkipLayer) + " layers, image interleave " +
           std::to_string(imageEmbedInterleave);
}

LlavaEncoderConfig LlavaEncoderConfig::fromJson(const JsonValue& json) {
    LlavaEncoderConfig c;
    if (!json.isObject()) {
        throw UserError(std::string(kContext) + " must be a JSON object");
    }
    const JsonValue* llava = jsonObject(json, "llava", kContext);
    if (llava == nullptr) {
        readLlava(json, c);  // a bare transformers LlavaConfig
        return c;
    }
    readLlava(*llava, c);
    if (const JsonValue* processor = jsonObject(json, "image_processor", kContext)) {
        c.imageProcessor = ClipImageProcessorConfig::fromJson(*processor);
    }
    if (const JsonValue* prompt = jsonObject(json, "prompt_template_video", kContext)) {
        c.prompt = HunyuanPromptTemplate::fromJson(*prompt);
    }
    c.hiddenStateSkipLayer =
        jsonInt(json, "hidden_state_skip_layer", c.hiddenStateSkipLayer, kContext);
    c.imageEmbedInterleave =
        jsonInt(json, "image_embed_interleave", c.imageEmbedInterleave, kContext);
    c.maxLength = jsonInt(json, "max_length", c.maxLength, kContext);
    if (jsonBool(json, "apply_final_norm", false, kContext) && c.hiddenStateSkipLayer > 0) {
        throw UserError(std::string(kContext) +
                        ": apply_final_norm with skipped layers is not supported (the "
                        "reference's llm-i2v encoder has no final_layer_norm to apply)");
    }
    return c;
}

LlavaEncoderConfig LlavaEncoderConfig::fromWeights(const InternalView& language,
                                                   const InternalView& vision,
                                                   const LlavaUnshapedSettings& settings) {
    LlavaEncoderConfig c;
    c.text = LlamaConfig::fromWeights(language, settings.llamaHeadDim);
    c.vision =
        ClipVisionConfig::fromWeights(vision, "vision_tower.vision_model.", settings.visionHeadDim);
    // multi_modal_projector: linear_1 [text hidden, vision hidden], linear_2 [text, text].
    const std::string linear1 = "multi_modal_projector.linear_1.weight";
    const std::string linear2 = "multi_modal_projector.linear_2.weight";
    constexpr std::string_view kPurpose = "the LLaVA projector's widths";
    const std::vector<std::int64_t> first = requireShape(vision, linear1, 2, kPurpose);
    const std::vector<std::int64_t> second = requireShape(vision, linear2, 2, kPurpose);
    if (first[1] != c.vision.hiddenSize || first[0] != c.text.hiddenSize ||
        second[0] != c.text.hiddenSize || second[1] != c.text.hiddenSize) {
        throw UserError::inFile(
            vision.file().path(),
            "its projector ('" + linear1 + "' [" + std::to_string(first[0]) + ", " +
                std::to_string(first[1]) + "]) does not map the vision width " +
                std::to_string(c.vision.hiddenSize) + " to the width " +
                std::to_string(c.text.hiddenSize) + " of the Llama in " +
                language.file().path().string() + ": the two files are not one LLaVA");
    }
    c.imageProcessor.shortestEdge = c.vision.imageSize;
    c.imageProcessor.cropHeight = c.vision.imageSize;
    c.imageProcessor.cropWidth = c.vision.imageSize;
    const auto outside = [&](std::int64_t id, const std::string& token) {
        return UserError::inFile(language.file().path(),
                                 "the " + token + " token id " + std::to_string(id) +
                                     " is outside its vocabulary of " +
                                     std::to_string(c.text.vocabSize) +
                                     " (the released ids 128257 and 128258 need LLaVA-Llama-3's "
                                     "128320; pass the model's own)");
    };
    if (settings.imageTokenIndex < 0 || settings.imageTokenIndex >= c.text.vocabSize) {
        throw outside(settings.imageTokenIndex, "<image>");
    }
    if (settings.padTokenId >= c.text.vocabSize) {
        throw outside(settings.padTokenId, "<pad>");
    }
    c.imageTokenIndex = settings.imageTokenIndex;
    c.padTokenId = settings.padTokenId < 0 ? -1 : settings.padTokenId;
    return c;
}

LlavaEncoderConfig LlavaEncoderConfig::fromWeights(const InternalView& llava,
                                                   const LlavaUnshapedSettings& settings) {
    return fromWeights(llava, llava, settings);
}

}  // namespace storyreel::infer::hunyuan
