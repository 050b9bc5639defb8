// Ports the configuration side of AutoencoderKLCausal3D.__init__, EncoderCausal3D.__init__
// and DecoderCausal3D.__init__ (hyvideo/vae/): which block down- or upsamples in space and
// time, and the tile sizes.
#include "core/infer/models/hunyuan/hy_vae_config.h"

#include "core/base/user_error.h"
#include "core/infer/registry/internal_view.h"

#include <optional>
#include <sstream>

namespace storyreel::infer::hunyuan {
namespace {

UserError badKey(const std::string& key, const std::string& problem) {
    return UserError("HunyuanVideo VAE config: '" + key + "' " + problem);
}

std::int64_t positiveInt(const JsonValue& config, const std::string& key, std::int64_t fallback) {
    const JsonValue* value = config.find(key);
    if (value == nullptr) {
        return fallback;
    }
    const std::optional<std::int64_t> number = value->isNumber() ? value->asInt64() : std::nullopt;
    if (!number || *number < 1) {
        throw badKey(key, value->isNumber() ? "must be a positive integer"
                                            : "must be a positive integer, got " +
                                                  std::string(value->kindName()));
    }
    return *number;
}

// floor(log2(value)) for value >= 1, as int(np.log2(value)).
std::int64_t log2Floor(std::int64_t value) {
    std::int64_t result = 0;
    while (value > 1) {
        value /= 2;
        ++result;
    }
    return result;
}

void requireBlockTypes(const JsonValue& config, const std::string& key, const std::string& type,
                       std::size_t blocks) {
    const JsonValue* types = config.find(key);
    if (types == nullptr) {
        return;
    }
    if (!types->isArray() || types->size() != blocks) {
        throw badKey(key, "must list one block type per entry of block_out_channels (" +
                              std::to_string(blocks) + ")");
    }
    for (const JsonValue& item : types->items()) {
        if (!item.isString() || item.text() != type) {
            throw badKey(key, "must hold \"" + type +
                                  "\" only (the blocks HunyuanVideo's VAE is built from), got " +
                                  (item.isString() ? "\"" + item.text() + "\""
                                                   : std::string(item.kindName())));
        }
    }
}

std::int64_t dimOf(const InternalView& view, const std::string& name, std::size_t axis) {
    if (!view.contains(name)) {
        throw UserError::inFile(view.file().path(),
                                "the HunyuanVideo VAE tensor '" + name +
                                    "' is missing, so the VAE's configuration cannot be read "
                                    "from its shapes; is this the HunyuanVideo VAE checkpoint?");
    }
    const std::vector<std::int64_t> shape = view.shape(name);
    if (shape.size() <= axis) {
        throw UserError::inFile(view.file().path(), "the HunyuanVideo VAE tensor '" + name +
                                                        "' has too few dimensions");
    }
    return shape[axis];
}

}  // namespace

HunyuanVAEConfig HunyuanVAEConfig::released() {
    return HunyuanVAEConfig{};
}

HunyuanVAEConfig HunyuanVAEConfig::fromJson(const JsonValue& config) {
    if (!config.isObject()) {
        throw UserError("HunyuanVideo VAE config: expected an object, got " +
                        std::string(config.kindName()));
    }
    HunyuanVAEConfig result;
    result.inChannels = positiveInt(config, "in_channels", result.inChannels);
    result.outChannels = positiveInt(config, "out_channels", result.outChannels);
    result.latentChannels = positiveInt(config, "latent_channels", result.latentChannels);
    result.layersPerBlock = positiveInt(config, "layers_per_block", result.layersPerBlock);
    result.normNumGroups = positiveInt(config, "norm_num_groups", result.normNumGroups);
    result.sampleTsize = positiveInt(config, "sample_tsize", result.sampleTsize);
    result.spatialCompressionRatio =
        positiveInt(config, "spatial_compression_ratio", result.spatialCompressionRatio);
    result.timeCompressionRatio =
        positiveInt(config, "time_compression_ratio", result.timeCompressionRatio);
    if (const JsonValue* size = config.find("sample_size")) {
        // The reference takes sample_size[0] of a list for the latent tile size.
        const JsonValue& first = size->isArray() && size->size() > 0 ? size->at(0) : *size;
        const std::optional<std::int64_t> value = first.isNumber() ? first.asInt64() : std::nullopt;
        if (!value || *value < 1) {
            throw badKey("sample_size", "must be a positive integer");
        }
        result.sampleSize = *value;
    }
    if (const JsonValue* channels = config.find("block_out_channels")) {
        if (!channels->isArray() || channels->size() == 0) {
            throw badKey("block_out_channels", "must be a non-empty array of integers");
        }
        result.blockOutChannels.clear();
        for (const JsonValue& item : channels->items()) {
            const std::optional<std::int64_t> value =
                item.isNumber() ? item.asInt64() : std::nullopt;
            if (!value || *value < 1) {
                throw badKey("block_out_channels", "must hold positive integers");
            }
            result.blockOutChannels.push_back(*value);
        }
    }
    if (const JsonValue* scaling = config.find("scaling_factor")) {
        const std::optional<double> value =
            scaling->isNumber() ? scaling->asDouble() : std::nullopt;
        if (!value || *value <= 0.0) {
            throw badKey("scaling_factor", "must be a positive number");
        }
        result.scalingFactor = *value;
    }
    if (const JsonValue* attention = config.find("mid_block_add_attention")) {
        if (attention->kind() != JsonValue::Kind::Bool) {
            throw badKey("mid_block_add_attention", "must be true or false");
        }
        result.midBlockAddAttention = attention->boolean();
    }
    if (const JsonValue* act = config.find("act_fn")) {
        if (!act->isString() || (act->text() != "silu" && act->text() != "swish")) {
            throw badKey("act_fn", "must be \"silu\" (the activation HunyuanVideo's VAE uses)");
        }
    }
    requireBlockTypes(config, "down_block_types", "DownEncoderBlockCausal3D", result.blockCount());
    requireBlockTypes(config, "up_block_types", "UpDecoderBlockCausal3D", result.blockCount());
    if (result.timeCompressionRatio != 4) {
        // EncoderCausal3D raises "Unsupported time_compression_ratio" for any other value.
        throw badKey("time_compression_ratio",
                     "must be 4, got " + std::to_string(result.timeCompressionRatio));
    }
    for (const std::int64_t channels : result.blockOutChannels) {
        if (channels % result.normNumGroups != 0) {
            throw badKey("norm_num_groups", "(" + std::to_string(result.normNumGroups) +
                                                ") must divide every block_out_channels entry");
        }
    }
    return result;
}

HunyuanVAEConfig HunyuanVAEConfig::fromWeights(const InternalView& view) {
    HunyuanVAEConfig result;
    result.blockOutChannels.clear();
    for (std::size_t block = 0;; ++block) {
        const std::string name =
            "encoder.down_blocks." + std::to_string(block) + ".resnets.0.conv1.conv.weight";
        if (!view.contains(name)) {
            break;
        }
        result.blockOutChannels.push_back(dimOf(view, name, 0));
    }
    if (result.blockOutChannels.empty()) {
        dimOf(view, "encoder.down_blocks.0.resnets.0.conv1.conv.weight", 0);  // throws
    }
    result.layersPerBlock = 0;
    while (view.contains("encoder.down_blocks.0.resnets." + std::to_string(result.layersPerBlock) +
                         ".conv1.conv.weight")) {
        ++result.layersPerBlock;
    }
    result.inChannels = dimOf(view, "encoder.conv_in.conv.weight", 1);
    result.outChannels = dimOf(view, "decoder.conv_out.conv.weight", 0);
    result.latentChannels = dimOf(view, "post_quant_conv.weight", 0);
    result.midBlockAddAttention = view.contains("decoder.mid_block.attentions.0.to_q.weight");
    for (const std::int64_t channels : result.blockOutChannels) {
        if (channels % result.normNumGroups != 0) {
            throw UserError::inFile(
                view.file().path(),
                "a HunyuanVideo VAE with block channels " + std::to_string(channels) +
                    " cannot use the released 32 normalisation groups; give its config.json");
        }
    }
    return result;
}

HunyuanVAEConfig::Triple HunyuanVAEConfig::downsampleStride(std::size_t block) const {
    const std::int64_t spatialLayers = log2Floor(spatialCompressionRatio);
    const std::int64_t timeLayers = log2Floor(timeCompressionRatio);
    const auto i = static_cast<std::int64_t>(block);
    const auto blocks = static_cast<std::int64_t>(blockCount());
    const bool finalBlock = i == blocks - 1;
    const bool spatial = i < spatialLayers;
    const bool temporal = i >= blocks - 1 - timeLayers && !finalBlock;
    return {temporal ? 2 : 1, spatial ? 2 : 1, spatial ? 2 : 1};
}

HunyuanVAEConfig::Triple HunyuanVAEConfig::upsampleFactor(std::size_t block) const {
    // DecoderCausal3D applies the same rule to its up blocks, in their own order.
    return downsampleStride(block);
}

std::int64_t HunyuanVAEConfig::spatialFactor() const {
    std::int64_t factor = 1;
    for (std::size_t block = 0; block < blockCount(); ++block) {
        factor *= downsampleStride(block)[1];
    }
    return factor;
}

std::int64_t HunyuanVAEConfig::temporalFactor() const {
    std::int64_t factor = 1;
    for (std::size_t block = 0; block < blockCount(); ++block) {
        factor *= downsampleStride(block)[0];
    }
    return factor;
}

std::int64_t HunyuanVAEConfig::tileLatentMinSize() const {
    // int(sample_size / (2 ** (len(block_out_channels) - 1)))
    return sampleSize / (std::int64_t{1} << (blockCount() - 1));
}

std::string HunyuanVAEConfig::describe() const {
    std::ostringstream text;
    text << "block_out_channels [";
    for (std::size_t i = 0; i < blockOutChannels.size(); ++i) {
        text << (i ? ", " : "") << blockOutChannels[i];
    }
    text << "], " << layersPerBlock << " layers per block, " << normNumGroups << " groups, latent "
         << latentChannels;
    return text.str();
}

}  // namespace storyreel::infer::hunyuan
