#include "core/infer/models/hunyuan/clip_text_config.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/hy_weight_shapes.h"
#include "core/infer/models/hunyuan/llava_json_fields.h"
#include "core/infer/registry/internal_view.h"

namespace storyreel::infer::hunyuan {
namespace {

constexpr const char* kContext = "CLIP text config";

}  // namespace

std::string ClipTextConfig::describe() const {
    return "hidden " + std::to_string(hiddenSize) + ", " + std::to_string(numLayers) + " layers, " +
           std::to_string(numHeads) + " heads, mlp " + std::to_string(intermediateSize) +
           ", vocab " + std::to_string(vocabSize) + ", " + std::to_string(maxPositionEmbeddings) +
           " positions";
}

void ClipTextConfig::validate() const {
    for (const std::int64_t value :
         {vocabSize, hiddenSize, intermediateSize, numHeads, numLayers, maxPositionEmbeddings}) {
        if (value <= 0) {
            throw UserError("CLIP text config (" + describe() +
                            "): sizes and counts must be positive");
        }
    }
    if (hiddenSize % numHeads != 0) {
        throw UserError("CLIP text config (" + describe() +
                        "): hidden_size must split into num_attention_heads heads");
    }
}

ClipTextConfig ClipTextConfig::fromJson(const JsonValue& root) {
    const JsonValue* nested = jsonObject(root, "clip_text_config", kContext);
    if (nested == nullptr) {
        nested = jsonObject(root, "text_config", kContext);
    }
    const JsonValue& json = nested != nullptr ? *nested : root;
    ClipTextConfig c;
    c.vocabSize = jsonInt(json, "vocab_size", c.vocabSize, kContext);
    c.hiddenSize = jsonInt(json, "hidden_size", c.hiddenSize, kContext);
    c.intermediateSize = jsonInt(json, "intermediate_size", c.intermediateSize, kContext);
    c.numHeads = jsonInt(json, "num_attention_heads", c.numHeads, kContext);
    c.numLayers = jsonInt(json, "num_hidden_layers", c.numLayers, kContext);
    c.maxPositionEmbeddings =
        jsonInt(json, "max_position_embeddings", c.maxPositionEmbeddings, kContext);
    c.layerNormEps = jsonDouble(json, "layer_norm_eps", c.layerNormEps, kContext);
    c.hiddenAct =
        clipHiddenActFromName(jsonString(json, "hidden_act", "quick_gelu", kContext), kContext);
    c.eosTokenId = jsonInt(json, "eos_token_id", c.eosTokenId, kContext);
    c.validate();
    return c;
}

ClipTextConfig ClipTextConfig::fromWeights(const InternalView& view, std::int64_t headDim) {
    constexpr std::string_view kPurpose = "the CLIP text configuration";
    const std::string embed = "text_model.embeddings.token_embedding.weight";
    const std::string positions = "text_model.embeddings.position_embedding.weight";
    const std::string fc1 = "text_model.encoder.layers.0.mlp.fc1.weight";
    const std::vector<std::int64_t> embedShape = requireShape(view, embed, 2, kPurpose);
    const std::vector<std::int64_t> positionShape = requireShape(view, positions, 2, kPurpose);
    const std::vector<std::int64_t> fc1Shape = requireShape(view, fc1, 2, kPurpose);
    ClipTextConfig c;
    c.vocabSize = embedShape[0];
    c.hiddenSize = embedShape[1];
    c.maxPositionEmbeddings = positionShape[0];
    c.intermediateSize = fc1Shape[0];
    c.numLayers = countLayers(view, "text_model.encoder.layers.");
    c.numHeads = headsOf(view, c.hiddenSize, headDim, embed, kPurpose);
    c.eosTokenId = c.vocabSize - 1;
    if (positionShape[1] != c.hiddenSize || fc1Shape[1] != c.hiddenSize) {
        throw UserError::inFile(view.file().path(), "tensors '" + positions + "' and '" + fc1 +
                                                        "' do not take the width " +
                                                        std::to_string(c.hiddenSize) + " of '" +
                                                        embed + "'");
    }
    try {
        c.validate();
    } catch (const UserError& error) {
        throw UserError::inFile(view.file().path(), error.what());
    }
    return c;
}

}  // namespace storyreel::infer::hunyuan
