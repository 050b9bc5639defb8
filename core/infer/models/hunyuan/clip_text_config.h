// ClipTextConfig: the fields of transformers' CLIPTextConfig (4.39.3) for HunyuanVideo's second
// text encoder, CLIP-L's text model (openai/clip-vit-large-patch14: 12 layers, hidden 768,
// 12 heads, quick_gelu, 77 positions, eos_token_id 2 in its config, which selects the
// legacy pooling at the highest token id).
//
//   const ClipTextConfig config = ClipTextConfig::fromJson(configJson);  // or ::released()
//   const ClipTextConfig fromFile = ClipTextConfig::fromWeights(view);   // no config.json
//
// Thread-safety: a value type.
#pragma once

#include "core/infer/models/hunyuan/clip_vision_config.h"
#include "core/infer/weights/json_value.h"

#include <cstdint>
#include <string>

namespace storyreel::infer {
class InternalView;
}

namespace storyreel::infer::hunyuan {

struct ClipTextConfig {
    std::int64_t vocabSize = 49408;
    std::int64_t hiddenSize = 768;
    std::int64_t intermediateSize = 3072;
    std::int64_t numHeads = 12;
    std::int64_t numLayers = 12;
    std::int64_t maxPositionEmbeddings = 77;
    double layerNormEps = 1e-5;
    ClipHiddenAct hiddenAct = ClipHiddenAct::QuickGelu;
    // 2 (the released config): pool at argmax(input_ids), i.e. <|endoftext|>, the highest id.
    // Otherwise: pool at the first eos_token_id.
    std::int64_t eosTokenId = 2;

    std::string describe() const;
    // Throws UserError for sizes that cannot build the model.
    void validate() const;

    // CLIPTextConfig fields, either at the top of `json` or under "clip_text_config" or
    // "text_config" (a full CLIPConfig); absent keys take the released model's values.
    static ClipTextConfig fromJson(const JsonValue& json);
    // Sizes from the shapes of text_model.embeddings.token_embedding.weight [vocab, hidden],
    // text_model.embeddings.position_embedding.weight [max positions, hidden],
    // text_model.encoder.layers.0.mlp.fc1.weight [mlp, hidden] and the numbered layers. What no
    // shape tells takes the released model's values: `headDim` (64: heads = hidden / 64),
    // quick_gelu, layer norm eps 1e-5, and eos_token_id = vocab - 1 (<|endoftext|> is the
    // highest id of CLIP's vocabulary, where the released config's legacy rule pools too).
    // Throws UserError naming the file and the tensor when one is missing or misshapen.
    static ClipTextConfig fromWeights(const InternalView& view, std::int64_t headDim = 64);
    static ClipTextConfig released() { return {}; }
};

}  // namespace storyreel::infer::hunyuan
