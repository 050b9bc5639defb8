#include "core/infer/models/hunyuan/clip_vision_config.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/hy_weight_shapes.h"
#include "core/infer/models/hunyuan/llava_json_fields.h"
#include "core/infer/registry/internal_view.h"

#include <ATen/ATen.h>

#include <cmath>

namespace storyreel::infer::hunyuan {
namespace {

constexpr const char* kContext = "CLIP vision_config";

}  // namespace

ClipHiddenAct clipHiddenActFromName(const std::string& name, std::string_view context) {
    if (name == "quick_gelu") {
        return ClipHiddenAct::QuickGelu;
    }
    if (name == "gelu") {
        return ClipHiddenAct::Gelu;
    }
    throw UserError(std::string(context) + ": hidden_act \"" + name +
                    "\" is not supported (CLIP uses quick_gelu or gelu)");
}

at::Tensor applyClipHiddenAct(const at::Tensor& x, ClipHiddenAct act) {
    if (act == ClipHiddenAct::QuickGelu) {
        return x * at::sigmoid(x * 1.702);
    }
    return at::gelu(x);
}

std::string ClipVisionConfig::describe() const {
    return "image " + std::to_string(imageSize) + ", patch " + std::to_string(patchSize) +
           ", hidden " + std::to_string(hiddenSize) + ", " + std::to_string(numLayers) +
           " layers, " + std::to_string(numHeads) + " heads, mlp " +
           std::to_string(intermediateSize);
}

void ClipVisionConfig::validate() const {
    const auto refuse = [this](const std::string& problem) {
        return UserError("CLIP vision config (" + describe() + "): " + problem);
    };
    for (const std::int64_t value :
         {hiddenSize, intermediateSize, numHeads, numLayers, numChannels, imageSize, patchSize}) {
        if (value <= 0) {
            throw refuse("sizes and counts must be positive");
        }
    }
    if (hiddenSize % numHeads != 0) {
        throw refuse("hidden_size must split into num_attention_heads heads");
    }
    if (imageSize % patchSize != 0) {
        throw refuse("image_size must be a multiple of patch_size");
    }
}

ClipVisionConfig ClipVisionConfig::fromJson(const JsonValue& json) {
    ClipVisionConfig c;
    c.hiddenSize = jsonInt(json, "hidden_size", c.hiddenSize, kContext);
    c.intermediateSize = jsonInt(json, "intermediate_size", c.intermediateSize, kContext);
    c.numHeads = jsonInt(json, "num_attention_heads", c.numHeads, kContext);
    c.numLayers = jsonInt(json, "num_hidden_layers", c.numLayers, kContext);
    c.numChannels = jsonInt(json, "num_channels", c.numChannels, kContext);
    c.imageSize = jsonInt(json, "image_size", c.imageSize, kContext);
    c.patchSize = jsonInt(json, "patch_size", c.patchSize, kContext);
    c.layerNormEps = jsonDouble(json, "layer_norm_eps", c.layerNormEps, kContext);
    c.hiddenAct =
        clipHiddenActFromName(jsonString(json, "hidden_act", "quick_gelu", kContext), kContext);
    c.validate();
    return c;
}

ClipVisionConfig ClipVisionConfig::fromWeights(const InternalView& view, std::string_view prefix,
                                               std::int64_t headDim) {
    constexpr std::string_view kPurpose = "the CLIP vision configuration";
    const std::string p(prefix);
    const std::string patch = p + "embeddings.patch_embedding.weight";
    const std::string positions = p + "embeddings.position_embedding.weight";
    const std::string fc1 = p + "encoder.layers.0.mlp.fc1.weight";
    const std::vector<std::int64_t> patchShape = requireShape(view, patch, 4, kPurpose);
    const std::vector<std::int64_t> positionShape = requireShape(view, positions, 2, kPurpose);
    const std::vector<std::int64_t> fc1Shape = requireShape(view, fc1, 2, kPurpose);
    ClipVisionConfig c;
    c.hiddenSize = patchShape[0];
    c.numChannels = patchShape[1];
    c.patchSize = patchShape[2];
    c.intermediateSize = fc1Shape[0];
    c.numLayers = countLayers(view, p + "encoder.layers.");
    c.numHeads = headsOf(view, c.hiddenSize, headDim, patch, kPurpose);
    // 1 class token + a square grid of patches.
    const std::int64_t patches = positionShape[0] - 1;
    const auto grid = static_cast<std::int64_t>(std::llround(std::sqrt(double(patches))));
    if (patchShape[3] != c.patchSize || grid * grid != patches || grid == 0) {
        throw UserError::inFile(view.file().path(),
                                "tensors '" + patch + "' and '" + positions +
                                    "' do not describe square patches over a square image");
    }
    c.imageSize = grid * c.patchSize;
    if (positionShape[1] != c.hiddenSize || fc1Shape[1] != c.hiddenSize) {
        throw UserError::inFile(view.file().path(), "tensors '" + positions + "' and '" + fc1 +
                                                        "' do not take the width " +
                                                        std::to_string(c.hiddenSize) + " of '" +
                                                        patch + "'");
    }
    try {
        c.validate();
    } catch (const UserError& error) {
        throw UserError::inFile(view.file().path(), error.what());
    }
    return c;
}

}  // namespace storyreel::infer::hunyuan
