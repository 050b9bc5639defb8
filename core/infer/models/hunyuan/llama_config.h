// LlamaConfig: the fields of transformers' LlamaConfig (4.39.3) that HunyuanVideo-I2V's text
// encoder needs, read from a LLaVA config's "text_config" or taken from the released model
// (xtuner/llava-llama-3-8b-v1_1-transformers: Llama-3-8B with a vocabulary grown to 128320
// for the <image> and <pad> tokens). Only what that checkpoint uses is supported: SiLU MLP,
// no rope_scaling, no attention bias.
//
//   const LlamaConfig config = LlamaConfig::fromJson(*llava.find("text_config"));
//   std::int64_t kvDim = config.numKeyValueHeads * config.headDim();   // 1024 for 8B
//   const LlamaConfig fromFile = LlamaConfig::fromWeights(view);      // no config.json
//
// Thread-safety: a value type.
#pragma once

#include "core/infer/weights/json_value.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace storyreel::infer {
class InternalView;
}

namespace storyreel::infer::hunyuan {

struct LlamaConfig {
    std::int64_t vocabSize = 128320;
    std::int64_t hiddenSize = 4096;
    std::int64_t intermediateSize = 14336;
    std::int64_t numHeads = 32;
    std::int64_t numKeyValueHeads = 8;  // grouped-query attention
    std::int64_t numLayers = 32;
    double rmsNormEps = 1e-5;
    double ropeTheta = 500000.0;

    std::int64_t headDim() const { return hiddenSize / numHeads; }
    // "hidden 4096, 32 layers, 32 heads (8 kv), mlp 14336, vocab 128320"
    std::string describe() const;
    // Throws UserError for sizes that cannot build the model.
    void validate() const;

    // transformers LlamaConfig fields (hidden_size, num_hidden_layers, ...); absent keys take
    // transformers' defaults where they equal the released model's, the released values
    // otherwise. Throws UserError for a hidden_act other than silu, a rope_scaling, an
    // attention bias, or a value of the wrong type.
    static LlamaConfig fromJson(const JsonValue& textConfig);
    // Sizes from the shapes of a LLaVA view's `prefix`embed_tokens.weight [vocab, hidden],
    // layers.0.self_attn.k_proj.weight [kv heads * head, hidden] and
    // layers.0.mlp.gate_proj.weight [mlp, hidden], and the numbered layers. What no shape
    // tells takes the released model's values: `headDim` (128: heads = hidden / 128,
    // KV heads = kv width / 128), rope_theta 500000, rms eps 1e-5, SiLU. Throws UserError
    // naming the file and the tensor when one is missing, misshapen or does not split into
    // heads of `headDim`.
    static LlamaConfig fromWeights(const InternalView& view, std::int64_t headDim = 128,
                                   std::string_view prefix = "language_model.model.");
    static LlamaConfig released() { return {}; }
};

}  // namespace storyreel::infer::hunyuan
