// ClipVisionConfig: the fields of transformers' CLIPVisionConfig (4.39.3) for the image tower
// of HunyuanVideo-I2V's LLaVA encoder, read from a LLaVA config's "vision_config" or taken
// from the released model (openai/clip-vit-large-patch14-336: ViT-L/14 at 336 px, 24 layers,
// hidden 1024, 16 heads, quick_gelu). Also the activation shared with the CLIP text model.
//
//   const ClipVisionConfig vision = ClipVisionConfig::fromJson(*llava.find("vision_config"));
//   std::int64_t patches = vision.numPatches();   // (336 / 14)^2 = 576
//   const ClipVisionConfig fromFile = ClipVisionConfig::fromWeights(view);   // no config.json
//
// Thread-safety: a value type.
#pragma once

#include "core/infer/weights/json_value.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace storyreel::infer {
class InternalView;
}

namespace storyreel::infer::hunyuan {

enum class ClipHiddenAct {
    QuickGelu,  // x * sigmoid(1.702 x): every OpenAI CLIP
    Gelu,       // exact (erf) GELU
};

// "quick_gelu" or "gelu"; throws UserError naming `context` for anything else.
ClipHiddenAct clipHiddenActFromName(const std::string& name, std::string_view context);
at::Tensor applyClipHiddenAct(const at::Tensor& x, ClipHiddenAct act);

struct ClipVisionConfig {
    std::int64_t hiddenSize = 1024;
    std::int64_t intermediateSize = 4096;
    std::int64_t numHeads = 16;
    std::int64_t numLayers = 24;
    std::int64_t numChannels = 3;
    std::int64_t imageSize = 336;
    std::int64_t patchSize = 14;
    double layerNormEps = 1e-5;
    ClipHiddenAct hiddenAct = ClipHiddenAct::QuickGelu;

    std::int64_t numPatches() const { return (imageSize / patchSize) * (imageSize / patchSize); }
    std::string describe() const;
    // Throws UserError for sizes that cannot build the tower.
    void validate() const;

    // CLIPVisionConfig fields (hidden_size, image_size, ...); absent keys take the released
    // model's values.
    static ClipVisionConfig fromJson(const JsonValue& visionConfig);
    // Sizes from the shapes under `prefix`: embeddings.patch_embedding.weight [hidden,
    // channels, patch, patch], embeddings.position_embedding.weight [1 + (image / patch)^2,
    // hidden] (the image size), encoder.layers.0.mlp.fc1.weight [mlp, hidden], and the
    // numbered layers (the file must hold all of them: the feature layer counts from the
    // last). What no shape tells takes the released model's values: `headDim` (64: heads =
    // hidden / 64), quick_gelu, layer norm eps 1e-5. Throws UserError naming the file and the
    // tensor when one is missing or misshapen.
    static ClipVisionConfig fromWeights(const InternalView& view,
                                        std::string_view prefix = "vision_tower.vision_model.",
                                        std::int64_t headDim = 64);
    static ClipVisionConfig released() { return {}; }
};

}  // namespace storyreel::infer::hunyuan
