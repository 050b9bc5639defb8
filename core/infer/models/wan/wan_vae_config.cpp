#include "core/infer/models/wan/wan_vae_config.h"

#include "core/base/user_error.h"

#include <optional>
#include <sstream>

namespace storyreel::infer::wan {
namespace {

UserError badKey(const std::string& key, const std::string& problem) {
    return UserError("Wan VAE config: '" + key + "' " + problem);
}

std::int64_t positiveInt(const JsonValue& config, const std::string& key, std::int64_t fallback) {
    const JsonValue* value = config.find(key);
    if (value == nullptr) {
        return fallback;
    }
    const std::optional<std::int64_t> number = value->isNumber() ? value->asInt64() : std::nullopt;
    if (!number || *number < 1) {
        throw badKey(key, "must be a positive integer, got " + std::string(value->kindName()));
    }
    return *number;
}

const JsonValue* arrayAt(const JsonValue& config, const std::string& key) {
    const JsonValue* value = config.find(key);
    if (value != nullptr && !value->isArray()) {
        throw badKey(key, "must be an array, got " + std::string(value->kindName()));
    }
    return value;
}

}  // namespace

WanVAEConfig WanVAEConfig::released() {
    return WanVAEConfig{};
}

WanVAEConfig WanVAEConfig::fromJson(const JsonValue& config) {
    if (!config.isObject()) {
        throw UserError("Wan VAE config: expected an object, got " +
                        std::string(config.kindName()));
    }
    WanVAEConfig result;
    result.dim = positiveInt(config, "dim", result.dim);
    result.zDim = positiveInt(config, "z_dim", result.zDim);
    result.numResBlocks = positiveInt(config, "num_res_blocks", result.numResBlocks);
    if (const JsonValue* mult = arrayAt(config, "dim_mult")) {
        result.dimMult.clear();
        for (const JsonValue& item : mult->items()) {
            const std::optional<std::int64_t> factor =
                item.isNumber() ? item.asInt64() : std::nullopt;
            if (!factor || *factor < 1) {
                throw badKey("dim_mult", "must hold positive integers");
            }
            result.dimMult.push_back(*factor);
        }
        if (result.dimMult.empty()) {
            throw badKey("dim_mult", "must not be empty");
        }
    }
    if (const JsonValue* scales = arrayAt(config, "attn_scales")) {
        result.attnScales.clear();
        for (const JsonValue& item : scales->items()) {
            const std::optional<double> scale = item.isNumber() ? item.asDouble() : std::nullopt;
            if (!scale) {
                throw badKey("attn_scales", "must hold numbers");
            }
            result.attnScales.push_back(*scale);
        }
    }
    if (const JsonValue* temporal = arrayAt(config, "temperal_downsample")) {
        result.temperalDownsample.clear();
        for (const JsonValue& item : temporal->items()) {
            if (item.kind() != JsonValue::Kind::Bool) {
                throw badKey("temperal_downsample", "must hold booleans");
            }
            result.temperalDownsample.push_back(item.boolean());
        }
    }
    // The reference indexes temperal_downsample[i] for each stage boundary and reverses
    // the list for the decoder, so any other length misplaces the temporal stages.
    if (result.temperalDownsample.size() + 1 != result.dimMult.size()) {
        throw badKey("temperal_downsample",
                     "must have one entry per stage boundary (" +
                         std::to_string(result.dimMult.size() - 1) + " for dim_mult of " +
                         std::to_string(result.dimMult.size()) + " stages), got " +
                         std::to_string(result.temperalDownsample.size()));
    }
    return result;
}

std::int64_t WanVAEConfig::spatialFactor() const {
    return std::int64_t{1} << (dimMult.size() - 1);
}

std::string WanVAEConfig::describe() const {
    std::ostringstream text;
    text << "dim " << dim << ", z_dim " << zDim << ", dim_mult [";
    for (std::size_t i = 0; i < dimMult.size(); ++i) {
        text << (i ? ", " : "") << dimMult[i];
    }
    text << "], " << numResBlocks << " residual blocks";
    return text.str();
}

}  // namespace storyreel::infer::wan
