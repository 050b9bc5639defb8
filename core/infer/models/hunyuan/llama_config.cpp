#include "core/infer/models/hunyuan/llama_config.h"

#include "core/base/user_error.h"
#include "core/infer/models/hunyuan/hy_weight_shapes.h"
#include "core/infer/models/hunyuan/llava_json_fields.h"
#include "core/infer/registry/internal_view.h"

namespace storyreel::infer::hunyuan {
namespace {

constexpr const char* kContext = "Llama text_config";

}  // namespace

std::string LlamaConfig::describe() const {
    return "hidden " + std::to_string(hiddenSize) + ", " + std::to_string(numLayers) + " layers, " +
           std::to_string(numHeads) + " heads (" + std::to_string(numKeyValueHeads) + " kv), mlp " +
           std::to_string(intermediateSize) + ", vocab " + std::to_string(vocabSize);
}

void LlamaConfig::validate() const {
    const auto refuse = [this](const std::string& problem) {
        return UserError("Llama config (" + describe() + "): " + problem);
    };
    for (const std::int64_t value :
         {vocabSize, hiddenSize, intermediateSize, numHeads, numKeyValueHeads, numLayers}) {
        if (value <= 0) {
            throw refuse("sizes and counts must be positive");
        }
    }
    if (hiddenSize % numHeads != 0 || headDim() % 2 != 0) {
        throw refuse("hidden_size must split into num_attention_heads heads of even size");
    }
    if (numHeads % numKeyValueHeads != 0) {
        throw refuse("num_attention_heads must be a multiple of num_key_value_heads");
    }
    if (!(rmsNormEps > 0.0) || !(ropeTheta > 0.0)) {
        throw refuse("rms_norm_eps and rope_theta must be positive");
    }
}

LlamaConfig LlamaConfig::fromJson(const JsonValue& json) {
    LlamaConfig c;
    c.vocabSize = jsonInt(json, "vocab_size", c.vocabSize, kContext);
    c.hiddenSize = jsonInt(json, "hidden_size", c.hiddenSize, kContext);
    c.intermediateSize = jsonInt(json, "intermediate_size", c.intermediateSize, kContext);
    c.numHeads = jsonInt(json, "num_attention_heads", c.numHeads, kContext);
    // transformers: num_key_value_heads defaults to num_attention_heads (plain MHA).
    c.numKeyValueHeads = jsonInt(json, "num_key_value_heads", c.numHeads, kContext);
    c.numLayers = jsonInt(json, "num_hidden_layers", c.numLayers, kContext);
    c.rmsNormEps = jsonDouble(json, "rms_norm_eps", c.rmsNormEps, kContext);
    c.ropeTheta = jsonDouble(json, "rope_theta", c.ropeTheta, kContext);
    const std::string act = jsonString(json, "hidden_act", "silu", kContext);
    if (act != "silu") {
        throw UserError(std::string(kContext) + ": hidden_act \"" + act +
                        "\" is not supported (Llama-3 uses silu)");
    }
    if (jsonHas(json, "rope_scaling")) {
        throw UserError(std::string(kContext) +
                        ": rope_scaling is not supported (Llama-3-8B has none; Llama-3.1's "
                        "scaled RoPE is another model)");
    }
    if (jsonBool(json, "attention_bias", false, kContext)) {
        throw UserError(std::string(kContext) +
                        ": attention_bias true is not supported (Llama-3 has no bias)");
    }
    c.validate();
    return c;
}

LlamaConfig LlamaConfig::fromWeights(const InternalView& view, std::int64_t headDim,
                                     std::string_view prefix) {
    constexpr std::string_view kPurpose = "the Llama configuration";
    const std::string p(prefix);
    const std::string embed = p + "embed_tokens.weight";
    const std::string kProj = p + "layers.0.self_attn.k_proj.weight";
    const std::string gate = p + "layers.0.mlp.gate_proj.weight";
    const std::vector<std::int64_t> embedShape = requireShape(view, embed, 2, kPurpose);
    const std::vector<std::int64_t> kShape = requireShape(view, kProj, 2, kPurpose);
    const std::vector<std::int64_t> gateShape = requireShape(view, gate, 2, kPurpose);
    LlamaConfig c;
    c.vocabSize = embedShape[0];
    c.hiddenSize = embedShape[1];
    c.intermediateSize = gateShape[0];
    c.numLayers = countLayers(view, p + "layers.");
    c.numHeads = headsOf(view, c.hiddenSize, headDim, embed, kPurpose);
    c.numKeyValueHeads = headsOf(view, kShape[0], headDim, kProj, kPurpose);
    if (kShape[1] != c.hiddenSize || gateShape[1] != c.hiddenSize) {
        throw UserError::inFile(view.file().path(), "tensors '" + kProj + "' and '" + gate +
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
