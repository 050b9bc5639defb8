#include "core/infer/models/wan/wan_config.h"

#include "core/base/user_error.h"

#include <cstddef>
#include <optional>
#include <string_view>

namespace storyreel::infer::wan {
namespace {

UserError configError(std::string_view key, std::string_view problem) {
    return UserError("Wan DiT config: \"" + std::string(key) + "\" " + std::string(problem));
}

std::int64_t readInt(const JsonValue& json, std::string_view key, std::int64_t fallback) {
    const JsonValue* value = json.find(key);
    if (value == nullptr) {
        return fallback;
    }
    const std::optional<std::int64_t> number = value->asInt64();
    if (!number) {
        throw configError(key, "must be an integer");
    }
    return *number;
}

bool readBool(const JsonValue& json, std::string_view key, bool fallback) {
    const JsonValue* value = json.find(key);
    if (value == nullptr) {
        return fallback;
    }
    if (value->kind() != JsonValue::Kind::Bool) {
        throw configError(key, "must be true or false");
    }
    return value->boolean();
}

double readDouble(const JsonValue& json, std::string_view key, double fallback) {
    const JsonValue* value = json.find(key);
    if (value == nullptr) {
        return fallback;
    }
    const std::optional<double> number = value->asDouble();
    if (!number) {
        throw configError(key, "must be a number");
    }
    return *number;
}

template <std::size_t N>
std::array<std::int64_t, N> readInts(const JsonValue& json, std::string_view key,
                                     const std::array<std::int64_t, N>& fallback) {
    const JsonValue* value = json.find(key);
    if (value == nullptr) {
        return fallback;
    }
    if (!value->isArray() || value->size() != N) {
        throw configError(key, "must be a list of " + std::to_string(N) + " integers");
    }
    std::array<std::int64_t, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
        const std::optional<std::int64_t> number = value->at(i).asInt64();
        if (!number) {
            throw configError(key, "must be a list of " + std::to_string(N) + " integers");
        }
        out[i] = *number;
    }
    return out;
}

WanModelType readModelType(const JsonValue& json) {
    const JsonValue* value = json.find("model_type");
    if (value == nullptr) {
        return WanModelType::T2V;
    }
    if (!value->isString()) {
        throw configError("model_type", "must be a string");
    }
    if (value->text() == "t2v") {
        return WanModelType::T2V;
    }
    if (value->text() == "i2v") {
        return WanModelType::I2V;
    }
    throw configError("model_type", "is \"" + value->text() +
                                        "\"; Storyreel runs the Wan 2.1 \"t2v\" and \"i2v\" "
                                        "models (not flf2v or vace)");
}

}  // namespace

std::int64_t WanModelConfig::headOutFeatures() const {
    return patchSize[0] * patchSize[1] * patchSize[2] * outDim;
}

std::string WanModelConfig::describe() const {
    return std::string(isI2V() ? "i2v" : "t2v") + ", dim " + std::to_string(dim) + ", " +
           std::to_string(numLayers) + " layers, " + std::to_string(numHeads) + " heads, ffn " +
           std::to_string(ffnDim) + ", in_dim " + std::to_string(inDim) + ", text_dim " +
           std::to_string(textDim);
}

void WanModelConfig::validate() const {
    const auto refuse = [this](const std::string& problem) {
        return UserError("Wan DiT config (" + describe() + "): " + problem);
    };
    for (const std::int64_t value :
         {textLen, inDim, dim, ffnDim, freqDim, textDim, outDim, numHeads, numLayers}) {
        if (value <= 0) {
            throw refuse("sizes and counts must be positive");
        }
    }
    for (const std::int64_t size : patchSize) {
        if (size <= 0) {
            throw refuse("patch_size must be positive");
        }
    }
    if (dim % numHeads != 0 || headDim() % 2 != 0) {
        throw refuse("dim must split into num_heads heads of even size (RoPE pairs)");
    }
    if (freqDim % 2 != 0) {
        throw refuse("freq_dim must be even (cos and sin halves)");
    }
    if (windowSize[0] != -1 || windowSize[1] != -1) {
        throw refuse("windowed self-attention (window_size other than [-1, -1]) is not supported");
    }
    if (eps <= 0.0) {
        throw refuse("eps must be positive");
    }
}

WanModelConfig WanModelConfig::fromJson(const JsonValue& json) {
    if (!json.isObject()) {
        throw UserError("Wan DiT config: expected a JSON object, found " +
                        std::string(json.kindName()));
    }
    WanModelConfig config;
    config.modelType = readModelType(json);
    config.patchSize = readInts(json, "patch_size", config.patchSize);
    config.textLen = readInt(json, "text_len", config.textLen);
    config.inDim = readInt(json, "in_dim", config.inDim);
    config.dim = readInt(json, "dim", config.dim);
    config.ffnDim = readInt(json, "ffn_dim", config.ffnDim);
    config.freqDim = readInt(json, "freq_dim", config.freqDim);
    config.textDim = readInt(json, "text_dim", config.textDim);
    config.outDim = readInt(json, "out_dim", config.outDim);
    config.numHeads = readInt(json, "num_heads", config.numHeads);
    config.numLayers = readInt(json, "num_layers", config.numLayers);
    config.windowSize = readInts(json, "window_size", config.windowSize);
    config.qkNorm = readBool(json, "qk_norm", config.qkNorm);
    config.crossAttnNorm = readBool(json, "cross_attn_norm", config.crossAttnNorm);
    config.eps = readDouble(json, "eps", config.eps);
    config.validate();
    return config;
}

}  // namespace storyreel::infer::wan
