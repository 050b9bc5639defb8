// WanModelConfig: the constructor arguments of Wan 2.1's transformer (wan/modules/model.py
// WanModel.__init__), read from a JSON config (the official config.json, a golden case's
// "config") or taken from the released presets. Defaults are the reference constructor's.
//
//   const WanModelConfig config = WanModelConfig::fromJson(parseJson(text));
//   const WanModelConfig i2v = kWanI2V14B;          // released Wan 2.1 I2V 14B
//   std::int64_t headDim = config.headDim();        // dim / num_heads
//
// Thread-safety: a value type.
#pragma once

#include "core/infer/weights/json_value.h"

#include <array>
#include <cstdint>
#include <string>

namespace storyreel::infer::wan {

enum class WanModelType {
    T2V,  // text to video: cross-attention on the text only
    I2V,  // image to video: CLIP image tokens in front of the text, y concatenated to x
};

struct WanModelConfig {
    WanModelType modelType = WanModelType::T2V;
    std::array<std::int64_t, 3> patchSize = {1, 2, 2};  // (frames, rows, columns)
    std::int64_t textLen = 512;
    std::int64_t inDim = 16;
    std::int64_t dim = 2048;
    std::int64_t ffnDim = 8192;
    std::int64_t freqDim = 256;
    std::int64_t textDim = 4096;
    std::int64_t outDim = 16;
    std::int64_t numHeads = 16;
    std::int64_t numLayers = 32;
    std::array<std::int64_t, 2> windowSize = {-1, -1};  // (-1, -1): global attention
    bool qkNorm = true;
    bool crossAttnNorm = true;
    double eps = 1e-6;

    bool isI2V() const { return modelType == WanModelType::I2V; }
    std::int64_t headDim() const { return dim / numHeads; }
    // prod(patchSize) * outDim: the head's output features per token.
    std::int64_t headOutFeatures() const;
    // "i2v, dim 64, 2 layers, 4 heads, ffn 128, in_dim 36": for messages.
    std::string describe() const;

    // Throws UserError when the port cannot run this configuration (dim not divisible into
    // heads of even size, windowed attention, flf2v/vace, ...).
    void validate() const;

    // Keys as in WanModel.__init__ ("model_type", "patch_size", "dim", ...); missing keys
    // take the reference defaults, unknown ones ("_class_name", ...) are ignored. Throws
    // UserError for a value of the wrong kind or a configuration validate() refuses.
    static WanModelConfig fromJson(const JsonValue& json);
};

// The released models (wan/configs/wan_i2v_14B.py, wan_t2v_14B.py, wan_t2v_1_3B.py with
// shared_config.py and the checkpoints' config.json: text_dim 4096, in_dim 36 for i2v).
inline constexpr WanModelConfig kWanI2V14B = {.modelType = WanModelType::I2V,
                                              .inDim = 36,
                                              .dim = 5120,
                                              .ffnDim = 13824,
                                              .numHeads = 40,
                                              .numLayers = 40};
inline constexpr WanModelConfig kWanT2V14B = {
    .dim = 5120, .ffnDim = 13824, .numHeads = 40, .numLayers = 40};
inline constexpr WanModelConfig kWanT2V1_3B = {
    .dim = 1536, .ffnDim = 8960, .numHeads = 12, .numLayers = 30};

}  // namespace storyreel::infer::wan
