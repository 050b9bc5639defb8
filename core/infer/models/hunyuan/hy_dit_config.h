// HunyuanDiTConfig: the constructor arguments of HunyuanVideo-I2V's transformer
// (hyvideo/modules/models.py HYVideoDiffusionTransformer.__init__ plus the args it reads:
// i2v_condition_type, text_states_dim, text_states_dim_2, rope_theta), read from a JSON
// config (a golden case's "config"), inferred from a checkpoint's tensor shapes, or the
// released model (kHunyuanVideoI2V: HYVideo-T/2 with the guidance embedding).
//
//   const HunyuanDiTConfig config = HunyuanDiTConfig::fromCheckpoint(view);
//   const ModuleWeights weights(view, weightLoadOptions(profile), "HunyuanVideo DiT",
//                               config.describe());
//   std::int64_t headDim = config.headDim();     // 128 for the released model
//
// Thread-safety: a value type.
#pragma once

#include "core/infer/models/hunyuan/hy_i2v_condition.h"
#include "core/infer/weights/json_value.h"

#include <array>
#include <cstdint>
#include <string>

namespace storyreel::infer {
class InternalView;
}

namespace storyreel::infer::hunyuan {

struct HunyuanDiTConfig {
    std::array<std::int64_t, 3> patchSize = {1, 2, 2};  // (frames, rows, columns)
    std::int64_t inChannels = 16;
    std::int64_t outChannels = 16;
    std::int64_t hiddenSize = 3072;
    std::int64_t headsNum = 24;
    double mlpWidthRatio = 4.0;
    std::int64_t doubleBlocks = 20;                          // mm_double_blocks_depth
    std::int64_t singleBlocks = 40;                          // mm_single_blocks_depth
    std::array<std::int64_t, 3> ropeDimList = {16, 56, 56};  // (t, h, w), sums to head_dim
    double ropeTheta = 256.0;
    bool qkvBias = true;
    bool qkNorm = true;  // RMSNorm per head on q and k (qk_norm_type "rms")
    bool guidanceEmbed = true;
    bool useAttentionMask = true;  // the token refiner masks padded text
    std::int64_t textStatesDim = 4096;
    std::int64_t textStatesDim2 = 768;
    std::int64_t refinerDepth = 2;  // SingleTokenRefiner(depth=2), fixed in the reference
    HunyuanI2VCondition condition = HunyuanI2VCondition::TokenReplace;

    std::int64_t headDim() const { return hiddenSize / headsNum; }
    // int(hidden_size * mlp_width_ratio), as the reference rounds it.
    std::int64_t mlpHidden() const;
    // prod(patch) * out_channels: the final layer's output features per token.
    std::int64_t finalFeatures() const;
    bool isTokenReplace() const { return condition == HunyuanI2VCondition::TokenReplace; }
    // "token_replace, hidden 3072, 24 heads, 20 double + 40 single blocks, in 16, text 4096/768,
    // guidance": for messages.
    std::string describe() const;

    // Throws UserError when the port cannot run this configuration.
    void validate() const;

    // Keys as in the golden configs ("hidden_size", "heads_num", "mm_double_blocks_depth",
    // "i2v_condition_type", "text_states_dim", "rope_theta", ...); a missing key keeps the
    // released model's value (the defaults above), unknown keys are ignored. Throws
    // UserError for a value of the wrong kind or one the port does not implement
    // (mlp_act_type other than gelu_tanh, qk_norm_type other than rms, text_projection
    // other than single_refiner).
    static HunyuanDiTConfig fromJson(const JsonValue& json);

    // From the shapes of a checkpoint's tensors under the reference names: hidden size and
    // patch from img_in.proj.weight [hidden, 16|33, pt, ph, pw] (33 input channels mean
    // latent_concat, 16 token_replace), head_dim from the q norms, block counts, MLP width,
    // text widths, guidance_in's presence, out channels from final_layer.linear. The rope
    // split, which no shape tells, follows the released configs ([16, 56, 56] for head_dim
    // 128, [12, 42, 42] for 96), theta 256. Throws UserError naming the file and the tensor
    // when one it needs is missing.
    static HunyuanDiTConfig fromCheckpoint(const InternalView& view);
};

// The released HunyuanVideo-I2V transformer (HYVideo-T/2, --embedded-cfg-scale: guidance
// embedding; token_replace weights of 2025-03-07).
inline constexpr HunyuanDiTConfig kHunyuanVideoI2V = {};

}  // namespace storyreel::infer::hunyuan
