#include "core/infer/bench/seeded_hunyuan_checkpoint.h"

#include "core/base/user_error.h"
#include "core/infer/registry/expected_tensors.h"
#include "core/infer/registry/model_family.h"

#include <sstream>

namespace storyreel::infer::bench {
namespace {

using hunyuan::HunyuanDiTConfig;

// What expectedTensors needs to list a HunyuanVideo DiT of `config` (the keys
// recogniseModel fills from a checkpoint's shapes).
ModelRecognition recognitionOf(const HunyuanDiTConfig& c) {
    ModelRecognition r;
    r.family = ModelFamily::HunyuanDiT;
    r.layout = CheckpointLayout::Official;
    r.config = {{"hidden", c.hiddenSize},
                {"in_channels", c.inChannels},
                {"double_blocks", c.doubleBlocks},
                {"single_blocks", c.singleBlocks},
                {"mlp_hidden", c.mlpHidden()},
                {"head_dim", c.headDim()},
                {"text_states_dim", c.textStatesDim},
                {"text_states_dim_2", c.textStatesDim2},
                {"refiner_blocks", c.refinerDepth},
                {"guidance", c.guidanceEmbed ? 1 : 0},
                {"out_features", c.finalFeatures()}};
    return r;
}

std::string jsonList(const std::array<std::int64_t, 3>& values) {
    return "[" + std::to_string(values[0]) + ", " + std::to_string(values[1]) + ", " +
           std::to_string(values[2]) + "]";
}

const char* boolean(bool value) {
    return value ? "true" : "false";
}

// HYVideoDiffusionTransformer's constructor arguments and args, as JSON.
std::string hunyuanReferenceConfigJson(const HunyuanDiTConfig& c) {
    std::ostringstream json;
    json.precision(17);
    json << "{\"patch_size\": " << jsonList(c.patchSize) << ", \"in_channels\": " << c.inChannels
         << ", \"out_channels\": " << c.outChannels << ", \"hidden_size\": " << c.hiddenSize
         << ", \"heads_num\": " << c.headsNum << ", \"mlp_width_ratio\": " << c.mlpWidthRatio
         << ", \"mlp_act_type\": \"gelu_tanh\", \"mm_double_blocks_depth\": " << c.doubleBlocks
         << ", \"mm_single_blocks_depth\": " << c.singleBlocks
         << ", \"rope_dim_list\": " << jsonList(c.ropeDimList)
         << ", \"qkv_bias\": " << boolean(c.qkvBias) << ", \"qk_norm\": " << boolean(c.qkNorm)
         << ", \"qk_norm_type\": \"rms\", \"guidance_embed\": " << boolean(c.guidanceEmbed)
         << ", \"text_projection\": \"single_refiner\", \"use_attention_mask\": "
         << boolean(c.useAttentionMask) << ", \"i2v_condition_type\": \""
         << (c.isTokenReplace() ? "token_replace" : "latent_concat")
         << "\", \"text_states_dim\": " << c.textStatesDim
         << ", \"text_states_dim_2\": " << c.textStatesDim2 << ", \"rope_theta\": " << c.ropeTheta
         << "}";
    return json.str();
}

}  // namespace

SeededHunyuanCheckpoint::SeededHunyuanCheckpoint(const HunyuanDiTConfig& config, std::uint64_t seed,
                                                 c10::Device drawDevice)
    : SeededCheckpoint("seeded HunyuanVideo DiT (seed " + std::to_string(seed) + ")", seed,
                       drawDevice),
      config_(config) {
    config_.validate();
    if (config_.patchSize != std::array<std::int64_t, 3>{1, 2, 2}) {
        throw UserError("the HunyuanVideo step bench draws weights for patch size (1, 2, 2) only");
    }
    listTensors(recognitionOf(config_), hunyuanReferenceConfigJson(config_));
}

}  // namespace storyreel::infer::bench
