// How HunyuanVideo-I2V's DiT receives the image latents (hyvideo/config.py
// --i2v-condition-type), shared by the DiT's config and the denoising loop.
//
//   HunyuanI2VCondition c = parseHunyuanI2VCondition("token_replace");
//   std::int64_t dropped = hunyuanDroppedLeadingFrames(c);   // 0
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string_view>

namespace storyreel::infer::hunyuan {

enum class HunyuanI2VCondition {
    // The 2025-03-07 weights: 16 input channels; latent frame 0 is the image and its tokens
    // are modulated as at t = 0.
    TokenReplace,
    // The 2025-03-06 weights: 33 input channels (latents, image latents on frame 0, mask).
    LatentConcat,
};

// "token_replace" or "latent_concat" (UserError otherwise).
HunyuanI2VCondition parseHunyuanI2VCondition(std::string_view text);
std::string_view hunyuanI2VConditionName(HunyuanI2VCondition condition);
// The decoded video drops its first 4 frames under latent_concat (image[:, :, 4:]), none
// under token_replace.
std::int64_t hunyuanDroppedLeadingFrames(HunyuanI2VCondition condition);

}  // namespace storyreel::infer::hunyuan
