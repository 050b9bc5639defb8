// ClipVisionConfig: the fields of transformers' CLIPVisionConfig (4.39.3) for the image tower
// of HunyuanVideo-I2V's LLaVA encoder, read from a LLaVA config's "vision_config" or taken
// from the released model (openai/clip-vit-large-patch14-336: ViT-L/14 at 336 px, 24 layers,
// hidden 1024, 16 heads, quick_gelu). Also the activation shared with the CLIP text model.
//
//   const ClipVisionConfig vision = ClipVisionConfig::fromJson(*llava.find("vision_config"));
//   std::int64_t patches = vision.numPatches();   // (336 / 14)^2 = 576
//
// Thread-safety: a value type.
#pragma once

#include "core/infer/weights/json_value.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string>
#include <string_view>

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
    static ClipVisionConfig released() { return {}; }
};

}  // namespace storyreel::infer::hunyuan
