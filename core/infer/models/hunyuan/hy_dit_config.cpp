#include "core/infer/models/hunyuan/hy_dit_config.h"

#include "core/base/user_error.h"
#include "core/infer/registry/internal_view.h"

#include <cstddef>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

namespace storyreel::infer::hunyuan {
namespace {

UserError configError(std::string_view key, std::string_view problem) {
    return UserError("HunyuanVideo DiT config: \"" + std::string(key) + "\" " +
                     std::string(problem));
}

std::int64_t readInt(const JsonValue& json, std::string_view key, std::int64_t fallback) {
    const JsonValue* value = json.find(key);
    if (value == nullptr || value->kind() == JsonValue::Kind::Null) {
        return fallback;
    }
    const std::optional<std::int64_t> number = value->asInt64();
    if (!number) {
        throw configError(key, "must be an integer");
    }
    return *number;
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

std::string readString(const JsonValue& json, std::string_view key, std::string fallback) {
    const JsonValue* value = json.find(key);
    if (value == nullptr) {
        return fallback;
    }
    if (!value->isString()) {
        throw configError(key, "must be a string");
    }
    return value->text();
}

std::array<std::int64_t, 3> readInts3(const JsonValue& json, std::string_view key,
                                      const std::array<std::int64_t, 3>& fallback) {
    const JsonValue* value = json.find(key);
    if (value == nullptr) {
        return fallback;
    }
    if (value->isNumber()) {  // patch_size may be one integer for all three axes
        const std::optional<std::int64_t> number = value->asInt64();
        if (!number) {
            throw configError(key, "must be an integer or a list of 3 integers");
        }
        return {*number, *number, *number};
    }
    if (!value->isArray() || value->size() != 3) {
        throw configError(key, "must be a list of 3 integers");
    }
    std::array<std::int64_t, 3> out{};
    for (std::size_t i = 0; i < 3; ++i) {
        const std::optional<std::int64_t> number = value->at(i).asInt64();
        if (!number) {
            throw configError(key, "must be a list of 3 integers");
        }
        out[i] = *number;
    }
    return out;
}

void requireValue(std::string_view key, const std::string& value, std::string_view supported) {
    if (value != supported) {
        throw configError(key, "is \"" + value + "\"; Storyreel's port implements \"" +
                                   std::string(supported) + "\" only (the released model's)");
    }
}

// Tensors needed to infer a configuration.
std::vector<std::int64_t> needShape(const InternalView& view, const std::string& name) {
    if (!view.contains(name)) {
        throw UserError::inFile(view.file().path(),
                                "the HunyuanVideo DiT tensor \"" + name +
                                    "\" is missing, so the model's configuration cannot be "
                                    "read from the file; it is incomplete or holds another model");
    }
    return view.shape(name);
}

UserError shapeError(const InternalView& view, const std::string& name, const std::string& need) {
    return UserError::inFile(view.file().path(), "the HunyuanVideo DiT tensor \"" + name +
                                                     "\" does not have the shape " + need);
}

// The number of blocks `prefix`N.* for N = 0, 1, ... (consecutive from 0).
std::int64_t countBlocks(const InternalView& view, const std::string& prefix) {
    std::set<std::int64_t> indices;
    for (const std::string& name : view.names()) {
        if (name.rfind(prefix, 0) != 0) {
            continue;
        }
        const std::size_t end = name.find('.', prefix.size());
        const std::string digits = name.substr(prefix.size(), end - prefix.size());
        if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos) {
            indices.insert(std::stoll(digits));
        }
    }
    std::int64_t count = 0;
    while (indices.count(count) != 0) {
        ++count;
    }
    return count;
}

}  // namespace

std::int64_t HunyuanDiTConfig::mlpHidden() const {
    return static_cast<std::int64_t>(static_cast<double>(hiddenSize) * mlpWidthRatio);
}

std::int64_t HunyuanDiTConfig::finalFeatures() const {
    return patchSize[0] * patchSize[1] * patchSize[2] * outChannels;
}

std::string HunyuanDiTConfig::describe() const {
    // Appended piece by piece: GCC 12 warns (-Warray-bounds, a false positive) on long
    // chains of std::string + literal.
    std::string text = isTokenReplace() ? "token_replace" : "latent_concat";
    text += ", hidden " + std::to_string(hiddenSize);
    text += ", " + std::to_string(headsNum) + " heads";
    text += ", " + std::to_string(doubleBlocks) + " double + ";
    text += std::to_string(singleBlocks) + " single blocks";
    text += ", in " + std::to_string(inChannels);
    text += ", out " + std::to_string(outChannels);
    text += ", text " + std::to_string(textStatesDim) + "/" + std::to_string(textStatesDim2);
    if (guidanceEmbed) {
        text += ", guidance";
    }
    return text;
}

void HunyuanDiTConfig::validate() const {
    const auto refuse = [this](const std::string& problem) {
        return UserError("HunyuanVideo DiT config (" + describe() + "): " + problem);
    };
    for (const std::int64_t value : {inChannels, outChannels, hiddenSize, headsNum, textStatesDim,
                                     textStatesDim2, refinerDepth}) {
        if (value <= 0) {
            throw refuse("sizes and counts must be positive");
        }
    }
    if (doubleBlocks < 0 || singleBlocks < 0) {
        throw refuse("block counts must not be negative");
    }
    for (const std::int64_t size : patchSize) {
        if (size <= 0) {
            throw refuse("patch_size must be positive");
        }
    }
    if (hiddenSize % headsNum != 0) {
        throw refuse("hidden_size must be divisible by heads_num");
    }
    if (ropeDimList[0] + ropeDimList[1] + ropeDimList[2] != headDim()) {
        throw refuse("rope_dim_list must sum to head_dim " + std::to_string(headDim()));
    }
    for (const std::int64_t dim : ropeDimList) {
        if (dim <= 0 || dim % 2 != 0) {
            throw refuse("rope_dim_list entries must be positive and even (RoPE pairs)");
        }
    }
    if (mlpHidden() <= 0 || ropeTheta <= 0.0) {
        throw refuse("mlp_width_ratio and rope_theta must be positive");
    }
}

HunyuanDiTConfig HunyuanDiTConfig::fromJson(const JsonValue& json) {
    if (!json.isObject()) {
        throw UserError("HunyuanVideo DiT config: expected a JSON object, found " +
                        std::string(json.kindName()));
    }
    HunyuanDiTConfig config;
    config.patchSize = readInts3(json, "patch_size", config.patchSize);
    config.inChannels = readInt(json, "in_channels", config.inChannels);
    // out_channels None means in_channels in the reference.
    config.outChannels = readInt(json, "out_channels", config.inChannels);
    config.hiddenSize = readInt(json, "hidden_size", config.hiddenSize);
    config.headsNum = readInt(json, "heads_num", config.headsNum);
    config.mlpWidthRatio = readDouble(json, "mlp_width_ratio", config.mlpWidthRatio);
    config.doubleBlocks = readInt(json, "mm_double_blocks_depth", config.doubleBlocks);
    config.singleBlocks = readInt(json, "mm_single_blocks_depth", config.singleBlocks);
    config.ropeDimList = readInts3(json, "rope_dim_list", config.ropeDimList);
    config.ropeTheta = readDouble(json, "rope_theta", config.ropeTheta);
    config.qkvBias = readBool(json, "qkv_bias", config.qkvBias);
    config.qkNorm = readBool(json, "qk_norm", config.qkNorm);
    config.guidanceEmbed = readBool(json, "guidance_embed", config.guidanceEmbed);
    config.useAttentionMask = readBool(json, "use_attention_mask", config.useAttentionMask);
    config.textStatesDim = readInt(json, "text_states_dim", config.textStatesDim);
    config.textStatesDim2 = readInt(json, "text_states_dim_2", config.textStatesDim2);
    requireValue("mlp_act_type", readString(json, "mlp_act_type", "gelu_tanh"), "gelu_tanh");
    requireValue("qk_norm_type", readString(json, "qk_norm_type", "rms"), "rms");
    requireValue("text_projection", readString(json, "text_projection", "single_refiner"),
                 "single_refiner");
    const std::string condition = readString(json, "i2v_condition_type", "token_replace");
    if (condition == "token_replace") {
        config.condition = HunyuanI2VCondition::TokenReplace;
    } else if (condition == "latent_concat") {
        config.condition = HunyuanI2VCondition::LatentConcat;
    } else {
        throw configError("i2v_condition_type",
                          "is \"" + condition + "\"; expected token_replace or latent_concat");
    }
    config.validate();
    return config;
}

HunyuanDiTConfig HunyuanDiTConfig::fromCheckpoint(const InternalView& view) {
    HunyuanDiTConfig config;
    const std::vector<std::int64_t> patch = needShape(view, "img_in.proj.weight");
    if (patch.size() != 5) {
        throw shapeError(view, "img_in.proj.weight", "[hidden, in_channels, pt, ph, pw]");
    }
    config.hiddenSize = patch[0];
    config.inChannels = patch[1];
    config.patchSize = {patch[2], patch[3], patch[4]};
    // 33 = 16 latents + 16 image latents + 1 mask (the first I2V release); 16: token_replace.
    config.condition = config.inChannels == 33 ? HunyuanI2VCondition::LatentConcat
                                               : HunyuanI2VCondition::TokenReplace;

    config.qkNorm = view.contains("double_blocks.0.img_attn_q_norm.weight") ||
                    view.contains("single_blocks.0.q_norm.weight");
    std::int64_t headDim = 128;  // the released model's, when no q norm tells
    if (config.qkNorm) {
        const std::string norm = view.contains("double_blocks.0.img_attn_q_norm.weight")
                                     ? "double_blocks.0.img_attn_q_norm.weight"
                                     : "single_blocks.0.q_norm.weight";
        const std::vector<std::int64_t> shape = view.shape(norm);
        if (shape.size() != 1 || shape[0] <= 0 || config.hiddenSize % shape[0] != 0) {
            throw shapeError(view, norm, "[head_dim] with head_dim dividing the hidden size");
        }
        headDim = shape[0];
    }
    config.headsNum = config.hiddenSize / headDim;
    // The split is no tensor's shape. This rule gives the released configs' [16, 56, 56]
    // for head_dim 128 and HYVideo-S/2's [12, 42, 42] for 96 (and the golden [4, 6, 6] for
    // 16): rows and columns (head_dim - head_dim/8)/2 each, rounded down to even, frames
    // the rest.
    const std::int64_t spatial = (headDim - headDim / 8) / 2 / 2 * 2;
    config.ropeDimList = {headDim - 2 * spatial, spatial, spatial};

    config.doubleBlocks = countBlocks(view, "double_blocks.");
    config.singleBlocks = countBlocks(view, "single_blocks.");
    std::int64_t mlp = 0;
    if (config.doubleBlocks > 0) {
        mlp = needShape(view, "double_blocks.0.img_mlp.fc1.weight").at(0);
        config.qkvBias = view.contains("double_blocks.0.img_attn_qkv.bias");
    } else if (config.singleBlocks > 0) {
        mlp = needShape(view, "single_blocks.0.linear1.weight").at(0) - 3 * config.hiddenSize;
    }
    if (mlp > 0) {
        config.mlpWidthRatio = static_cast<double>(mlp) / static_cast<double>(config.hiddenSize);
    }
    config.textStatesDim = needShape(view, "txt_in.input_embedder.weight").at(1);
    config.textStatesDim2 = needShape(view, "vector_in.in_layer.weight").at(1);
    config.refinerDepth = countBlocks(view, "txt_in.individual_token_refiner.blocks.");
    config.guidanceEmbed = view.contains("guidance_in.mlp.0.weight");
    const std::int64_t outFeatures = needShape(view, "final_layer.linear.weight").at(0);
    const std::int64_t patchVolume = patch[2] * patch[3] * patch[4];
    if (patchVolume <= 0 || outFeatures % patchVolume != 0) {
        throw shapeError(view, "final_layer.linear.weight",
                         "[pt*ph*pw*out_channels, hidden] for the patch of img_in.proj");
    }
    config.outChannels = outFeatures / patchVolume;
    try {
        config.validate();
    } catch (const UserError& error) {
        throw UserError::inFile(view.file().path(), error.what());
    }
    return config;
}

}  // namespace storyreel::infer::hunyuan
